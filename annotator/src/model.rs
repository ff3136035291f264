//! The annotation lattice (`SomeValue`) and the shared definitions it points
//! to: list definitions, dict definitions and per-struct field annotations.
//!
//! Integer literals without a suffix start with an integer *type variable*
//! (`IntKind::Var`) that later unifies with the other operand, a declared
//! type or a parameter type; after the fixpoint every variable is resolved
//! (unbound ones default to `i32`, as rustc does).

use flowspace::model::{GraphId, IntTy, StructId};

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
    Tuple(Vec<SomeValue>),
    /// `Option<T>`; `None` alone is `Option(Impossible)`.
    Option(Box<SomeValue>),
    /// `Result<T, E>`.
    Result(Box<SomeValue>, Box<SomeValue>),
    IoError,
    Builtin(BuiltinObj),
    Func(GraphId),
}

impl SomeValue {
    pub fn int(ty: IntTy) -> SomeValue {
        SomeValue::Int {
            kind: IntKind::Ty(ty),
            nonneg: !ty.signed(),
            konst: None,
        }
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
                | SomeValue::Builtin(_)
        )
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
