//! The annotation lattice (`SomeValue`) and the shared definitions it points
//! to: list definitions, dict definitions and per-struct field annotations.
//!
//! Integer literals without a suffix start with an integer *type variable*
//! (`IntKind::Var`) that later unifies with the other operand, a declared
//! type or a parameter type; after the fixpoint every variable is resolved
//! (unbound ones default to `i32`, as rustc does).

use flowspace::model::{GraphId, IntTy, Program, StructId, TraitId};

/// An index into the list definitions (`Vec<T>`, `&[T]`, arrays).
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct ListDefId(pub u32);

/// An index into the dict definitions (`HashMap<K, V>`).
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct DictDefId(pub u32);

/// An integer type variable (union-find node) of unsuffixed literals.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub struct IntVar(pub u32);

/// The integer type of an annotation: known, or still a variable.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum IntKind {
    Ty(IntTy),
    Var(IntVar),
}

/// Objects of the std library that are values in RRust programs.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum BuiltinObj {
    Stdin,
    Stdout,
    Stderr,
    /// `std::env::args()` before `collect()`.
    EnvArgs,
}

/// What a `dyn` value is known to be: an object implementing every trait
/// of `traits` (sorted, non-empty), of one of the `types` (sorted: every
/// type whose objects flowed here; a declared `dyn Shape` starts with
/// none). Its calls dispatch over `types` only.
#[derive(Clone, PartialEq, Debug)]
pub struct DynSet {
    pub traits: Vec<TraitId>,
    pub types: Vec<StructId>,
}

impl DynSet {
    pub fn of(traits: Vec<TraitId>, types: Vec<StructId>) -> DynSet {
        let mut types = types;
        types.sort();
        types.dedup();
        DynSet { traits, types }
    }
}

/// What is known of a value at one point of the program.
#[derive(Clone, PartialEq, Debug)]
pub enum SomeValue {
    /// No value reaches here (yet): bottom of the lattice.
    Impossible,
    Int {
        kind: IntKind,
        /// Known to be >= 0 (always true of unsigned types).
        nonneg: bool,
        konst: Option<i128>,
    },
    Bool {
        konst: Option<bool>,
    },
    Char,
    Float,
    Unit,
    /// `String` or `&str` (they share one representation). `owned` is false
    /// when only `&str` values were seen.
    Str {
        owned: bool,
    },
    List(ListDefId),
    Dict(DictDefId),
    Instance(StructId),
    /// `dyn Trait`: an object of one of several types, known only at run
    /// time from its header. Made where objects of two types meet, and from
    /// `dyn` types.
    Dyn(DynSet),
    Tuple(Vec<SomeValue>),
    /// `Option<T>`; `None` alone is `Option(Impossible)`.
    Option(Box<SomeValue>),
    /// `Result<T, E>`.
    Result(Box<SomeValue>, Box<SomeValue>),
    IoError,
    /// `std::num::ParseIntError` (the error of `str::parse` to an integer).
    ParseIntError,
    /// `std::num::ParseFloatError` (of `str::parse::<f64>`).
    ParseFloatError,
    /// `std::num::TryFromIntError` (of `u8::try_from(x)` and the like).
    TryFromIntError,
    /// `std::fmt::Error` (of `fmt::Result`; never made: writes into a
    /// `Formatter` do not fail).
    FmtError,
    Builtin(BuiltinObj),
    Func(GraphId),
    /// `Rc<T>`: the same value as `T` (one object shared by every clone),
    /// kept apart only so that `clone` shares it instead of copying. Gone
    /// from the finished annotations (`erase_rc`): later stages see `T`.
    Rc(Box<SomeValue>),
    /// `RefCell<T>`: an object holding a borrow flag and the value, whose
    /// annotation is the item of this list definition (reused for its
    /// union-find: every cell that may flow to the same place shares it).
    RefCell(ListDefId),
    /// `Cell<T>`: as `RefCell`, without the borrow flag in use.
    Cell(ListDefId),
}

impl SomeValue {
    pub fn int(ty: IntTy) -> SomeValue {
        SomeValue::Int {
            kind: IntKind::Ty(ty),
            nonneg: !ty.signed(),
            konst: None,
        }
    }
    /// This annotation without what does not change a representation or a
    /// type (constants, known signs, `&str` versus `String`).
    pub fn erased(&self) -> SomeValue {
        use SomeValue as S;
        match self {
            S::Int { kind, .. } => S::Int {
                kind: *kind,
                nonneg: false,
                konst: None,
            },
            S::Bool { .. } => S::bool(),
            S::Str { .. } => S::string(),
            S::Option(x) => S::Option(Box::new(x.erased())),
            S::Result(o, e) => S::Result(Box::new(o.erased()), Box::new(e.erased())),
            S::Tuple(xs) => S::Tuple(xs.iter().map(|x| x.erased()).collect()),
            S::Rc(x) => S::Rc(Box::new(x.erased())),
            other => other.clone(),
        }
    }

    /// `{:?}` of this value is written out piece by piece (containers, user
    /// types, `Result`s, std error values), not by one runtime call.
    pub fn debug_by_parts(&self) -> bool {
        matches!(
            self,
            SomeValue::Instance(_)
                | SomeValue::Dyn(..)
                | SomeValue::Option(_)
                | SomeValue::Result(..)
                | SomeValue::ParseIntError
                | SomeValue::ParseFloatError
                | SomeValue::TryFromIntError
                | SomeValue::FmtError
                | SomeValue::Unit
                | SomeValue::List(_)
                | SomeValue::Tuple(_)
        )
    }
    pub fn bool() -> SomeValue {
        SomeValue::Bool { konst: None }
    }
    pub fn string() -> SomeValue {
        SomeValue::Str { owned: true }
    }
    /// The integer type, once annotation is finished (unbound variables
    /// default to `i32`).
    pub fn int_ty(&self) -> Option<IntTy> {
        match self {
            SomeValue::Int {
                kind: IntKind::Ty(t),
                ..
            } => Some(*t),
            SomeValue::Int { .. } => Some(IntTy::I32),
            _ => None,
        }
    }
    pub fn is_impossible(&self) -> bool {
        matches!(self, SomeValue::Impossible)
    }
    /// Values of these annotations live on the GC heap, so a `&mut` to them
    /// can be erased to the object reference itself.
    pub fn is_heap(&self) -> bool {
        matches!(
            self,
            SomeValue::Str { .. }
                | SomeValue::List(_)
                | SomeValue::Dict(_)
                | SomeValue::Instance(_)
                | SomeValue::Dyn(..)
                | SomeValue::Builtin(_)
                | SomeValue::RefCell(_)
                | SomeValue::Cell(_)
        ) || matches!(self, SomeValue::Rc(x) if x.is_heap())
    }

    /// This annotation with every `Rc<T>` replaced by `T` (an `Rc` is its
    /// value's own reference).
    pub fn erase_rc(&self) -> SomeValue {
        use SomeValue as S;
        match self {
            S::Rc(x) => x.erase_rc(),
            S::Option(x) => S::Option(Box::new(x.erase_rc())),
            S::Result(o, e) => S::Result(Box::new(o.erase_rc()), Box::new(e.erase_rc())),
            S::Tuple(xs) => S::Tuple(xs.iter().map(|x| x.erase_rc()).collect()),
            other => other.clone(),
        }
    }

    /// The value an `Rc` derefs to (itself for anything else): what
    /// method calls, field reads and operators see.
    pub fn peel_rc(&self) -> &SomeValue {
        match self {
            SomeValue::Rc(x) => x.peel_rc(),
            other => other,
        }
    }
}

/// A list definition: all lists that may flow to the same place share one.
#[derive(Clone, Debug)]
pub struct ListDef {
    pub item: SomeValue,
    /// `push`/`pop`/`clear`/`insert` seen: the length may change.
    pub resized: bool,
    /// An item is written after creation.
    pub mutated: bool,
    /// Created from an array expression or a byte-string literal.
    pub is_fixed_array: bool,
    /// Union-find parent (itself when a root).
    pub(crate) parent: ListDefId,
}

#[derive(Clone, Debug)]
pub struct DictDef {
    pub key: SomeValue,
    pub value: SomeValue,
    pub(crate) parent: DictDefId,
}

/// What is known of one field of a user struct.
#[derive(Clone, Debug)]
pub struct FieldAnn {
    pub ann: SomeValue,
    /// Written by a `SetField` (after the struct was built). Fields where
    /// this stays false are immutable for the JIT.
    pub written_after_construction: bool,
}

/// Where a constant operand sits, to record the type its literal got.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum Site {
    /// Argument `arg` of operation `op` of the block.
    OpArg {
        block: flowspace::model::Block,
        op: u32,
        arg: u32,
    },
    /// Argument `arg` of exit link `link` (in `Exit::links()` order).
    LinkArg {
        block: flowspace::model::Block,
        link: u32,
        arg: u32,
    },
    /// The `Return` value, `If` condition or `Switch` value of the block.
    ExitValue { block: flowspace::model::Block },
}

/// What `describe` needs to look up: the integer type an annotation has so
/// far, and the items of list and dict definitions. The annotator answers
/// during annotation, `Annotations` after it.
pub(crate) trait Lookup {
    /// The integer type of an `Int` annotation, if known yet.
    fn int_ty(&self, a: &SomeValue) -> Option<IntTy>;
    fn list_item(&self, l: ListDefId) -> Option<SomeValue>;
    fn dict_key_value(&self, d: DictDefId) -> Option<(SomeValue, SomeValue)>;
}

/// An annotation as Rust would name the type, for messages and dumps.
pub(crate) fn describe(prog: &Program, look: &dyn Lookup, a: &SomeValue) -> String {
    use SomeValue as S;
    let d = |x: &SomeValue| describe(prog, look, x);
    match a {
        S::Impossible => "!".into(),
        S::Int { .. } => look
            .int_ty(a)
            .map(|t| t.name().to_string())
            .unwrap_or_else(|| "{integer}".into()),
        S::Bool { .. } => "bool".into(),
        S::Char => "char".into(),
        S::Float => "f64".into(),
        S::Unit => "()".into(),
        S::Str { owned: true } => "String".into(),
        S::Str { owned: false } => "&str".into(),
        S::List(l) => match look.list_item(*l) {
            Some(item) => format!("Vec<{}>", d(&item)),
            None => "Vec<?>".into(),
        },
        S::Dict(dd) => match look.dict_key_value(*dd) {
            Some((k, v)) => format!("HashMap<{}, {}>", d(&k), d(&v)),
            None => "HashMap<?>".into(),
        },
        S::Instance(st) => prog
            .structs
            .get(*st)
            .map(|x| {
                if x.name.starts_with("__Closure") {
                    "closure".to_string()
                } else {
                    x.name.clone()
                }
            })
            .unwrap_or_else(|| "?".into()),
        S::Dyn(d) => format!(
            "dyn {}",
            d.traits
                .iter()
                .filter_map(|t| prog.traits.get(*t).map(|x| x.name.as_str()))
                .collect::<Vec<_>>()
                .join(" + ")
        ),
        S::Tuple(xs) => format!("({})", xs.iter().map(d).collect::<Vec<_>>().join(", ")),
        S::Option(x) => format!("Option<{}>", d(x)),
        S::Rc(x) => format!("Rc<{}>", d(x)),
        S::RefCell(l) | S::Cell(l) => {
            let kind = if matches!(a, S::RefCell(_)) {
                "RefCell"
            } else {
                "Cell"
            };
            match look.list_item(*l) {
                Some(item) => format!("{kind}<{}>", d(&item)),
                None => format!("{kind}<?>"),
            }
        }
        S::Result(o, e) => format!("Result<{}, {}>", d(o), d(e)),
        S::IoError => "std::io::Error".into(),
        S::ParseIntError => "std::num::ParseIntError".into(),
        S::ParseFloatError => "std::num::ParseFloatError".into(),
        S::TryFromIntError => "std::num::TryFromIntError".into(),
        S::FmtError => "std::fmt::Error".into(),
        S::Builtin(b) => match b {
            BuiltinObj::Stdin => "Stdin".into(),
            BuiltinObj::Stdout => "Stdout".into(),
            BuiltinObj::Stderr => "Stderr".into(),
            BuiltinObj::EnvArgs => "Args".into(),
        },
        S::Func(g) => format!(
            "fn {}",
            prog.graphs.get(*g).map(|x| x.name.as_str()).unwrap_or("?")
        ),
    }
}
