//! The flow model: one `FunctionGraph` per RRust function, made of blocks with
//! input arguments, high-level operations on variables and constants, and exits
//! whose links pass values to the next block's inputs (SSA with block
//! arguments, as RPython's `flowspace/model.py`).
//!
//! Everything lives in typed-index arenas (`cranelift_entity::PrimaryMap`).
//! Operations are still high level: the frontend knows the syntax, not the
//! types, so `a.len()` is a `MethodCall("len")` and `a + b` is `Bin(Add)`; the
//! annotator decides what each one means and the rtyper lowers it.

use crate::span::Span;
use cranelift_entity::{entity_impl, PrimaryMap};

/// The method `#[derive(PartialEq)]` expands into on structs and on enums
/// with fields (`frontend/derives.rs`); `a == b` on such values calls it.
pub const DERIVED_EQ: &str = "__derived_eq";
/// The method `#[derive(Clone)]` expands into; `a.clone()` calls it.
pub const DERIVED_CLONE: &str = "__derived_clone";
/// The method `#[derive(Debug)]` expands into: `fn(&self, pretty: bool) ->
/// String`; `{:?}` calls it with `false`, `{:#?}` with `true`.
pub const DERIVED_DEBUG: &str = "__derived_debug";
/// The method an `impl fmt::Display` becomes (`frontend/traits.rs`):
/// `fn(&self) -> String`, the text `{}` and `.to_string()` give.
pub const USER_DISPLAY: &str = "__display";

/// A function graph in `Program::graphs`.
#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GraphId(u32);
entity_impl!(GraphId, "graph");

/// A block of one graph.
#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Block(u32);
entity_impl!(Block, "block");

/// An SSA variable of one graph. Every variable is defined exactly once: as an
/// input of a block or as the result of one operation.
#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Var(u32);
entity_impl!(Var, "v");

/// A trait of the file in `Program::traits`.
#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TraitId(u32);
entity_impl!(TraitId, "trait");

/// A trait of the file: what a `dyn Trait` value can be and do.
#[derive(Clone, Debug)]
pub struct TraitDef {
    pub name: String,
    /// Its methods taking `&self` or `&mut self`, in order.
    pub methods: Vec<String>,
    /// The types with an `impl Trait for Type`, in source order.
    pub implementors: Vec<StructId>,
    /// Its supertraits of this file (`trait Shape: Named`); std ones
    /// (`Display`, `Debug`) are in `std_supertraits`.
    pub supertraits: Vec<TraitId>,
    pub std_supertraits: Vec<String>,
}

/// A user `struct` in `Program::structs`.
#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StructId(u32);
entity_impl!(StructId, "struct");

/// Rust's integer types.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum IntTy {
    I8,
    I16,
    I32,
    I64,
    Isize,
    U8,
    U16,
    U32,
    U64,
    Usize,
}

impl IntTy {
    pub fn bits(self) -> u32 {
        match self {
            IntTy::I8 | IntTy::U8 => 8,
            IntTy::I16 | IntTy::U16 => 16,
            IntTy::I32 | IntTy::U32 => 32,
            IntTy::I64 | IntTy::U64 | IntTy::Isize | IntTy::Usize => 64,
        }
    }
    pub fn signed(self) -> bool {
        matches!(
            self,
            IntTy::I8 | IntTy::I16 | IntTy::I32 | IntTy::I64 | IntTy::Isize
        )
    }
    pub fn name(self) -> &'static str {
        match self {
            IntTy::I8 => "i8",
            IntTy::I16 => "i16",
            IntTy::I32 => "i32",
            IntTy::I64 => "i64",
            IntTy::Isize => "isize",
            IntTy::U8 => "u8",
            IntTy::U16 => "u16",
            IntTy::U32 => "u32",
            IntTy::U64 => "u64",
            IntTy::Usize => "usize",
        }
    }
    pub fn from_name(s: &str) -> Option<IntTy> {
        Some(match s {
            "i8" => IntTy::I8,
            "i16" => IntTy::I16,
            "i32" => IntTy::I32,
            "i64" => IntTy::I64,
            "isize" => IntTy::Isize,
            "u8" => IntTy::U8,
            "u16" => IntTy::U16,
            "u32" => IntTy::U32,
            "u64" => IntTy::U64,
            "usize" => IntTy::Usize,
            _ => return None,
        })
    }
    /// Smallest and largest value of the type.
    pub fn range(self) -> (i128, i128) {
        let b = self.bits();
        if self.signed() {
            (-(1i128 << (b - 1)), (1i128 << (b - 1)) - 1)
        } else {
            (0, (1i128 << b) - 1)
        }
    }
}

/// A type as written in the source (declarations, `let x: T`, `as T`,
/// turbofish). References are kept so the annotator can check them; the
/// rtyper erases them. `Infer` is a missing or `_` type.
#[derive(Clone, PartialEq, Debug)]
pub enum Ty {
    Int(IntTy),
    Bool,
    Char,
    F64,
    Unit,
    /// `!` (functions that never return).
    Never,
    /// `str` (seen behind a reference as `&str`).
    Str,
    String,
    Vec(Box<Ty>),
    /// `[T]` (seen behind a reference as `&[T]`).
    Slice(Box<Ty>),
    Box(Box<Ty>),
    /// `Rc<T>`: a shared `T` (the same object for every clone).
    Rc(Box<Ty>),
    /// `RefCell<T>`: a `T` behind a borrow flag.
    RefCell(Box<Ty>),
    /// `Cell<T>`.
    Cell(Box<Ty>),
    Option(Box<Ty>),
    Result(Box<Ty>, Box<Ty>),
    HashMap(Box<Ty>, Box<Ty>),
    Tuple(Vec<Ty>),
    Ref {
        mutable: bool,
        inner: Box<Ty>,
    },
    Struct(StructId),
    /// `dyn Trait` (behind `Box`, `&` or `&mut`): a value of one of the
    /// trait's implementors, known at run time.
    Dyn(TraitId),
    /// `std::fmt::Error` (the error of `fmt::Result`).
    FmtError,
    /// `std::num::ParseIntError`, `std::num::ParseFloatError`.
    ParseIntError,
    ParseFloatError,
    /// `std::num::TryFromIntError`.
    TryFromIntError,
    /// Type parameter `i` of the function's own generics (`fn f<T>`): the
    /// annotator makes one instance of the function per binding.
    Param(u32),
    Infer,
}

impl Ty {
    /// `&mut` to a scalar (`&mut usize`): passed as a cell (a `Vec` of one
    /// item) so that writes through it reach the caller's variable.
    pub fn scalar_mut_ref(&self) -> Option<&Ty> {
        match self {
            Ty::Ref {
                mutable: true,
                inner,
            } if matches!(**inner, Ty::Int(_) | Ty::Bool | Ty::Char | Ty::F64) => Some(inner),
            _ => None,
        }
    }
}

/// A constant operand.
#[derive(Clone, PartialEq, Debug)]
pub enum Const {
    /// An integer literal; `None` when it has no suffix (its type is inferred).
    Int(i128, Option<IntTy>),
    Bool(bool),
    Char(char),
    Float(f64),
    /// A string literal (`&'static str`).
    Str(String),
    /// A byte-string literal `b"..."` (`&'static [u8; N]`, used as `&[u8]`).
    ByteStr(Vec<u8>),
    Unit,
    /// `None`.
    None,
    /// A user function used as a value.
    Fn(GraphId),
}

/// An operand: a variable or a constant.
#[derive(Clone, PartialEq, Debug)]
pub enum Value {
    Var(Var),
    Const(Const),
}

impl From<Var> for Value {
    fn from(v: Var) -> Value {
        Value::Var(v)
    }
}

#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    BitAnd,
    BitOr,
    BitXor,
    Shl,
    Shr,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl BinOp {
    pub fn name(self) -> &'static str {
        match self {
            BinOp::Add => "add",
            BinOp::Sub => "sub",
            BinOp::Mul => "mul",
            BinOp::Div => "div",
            BinOp::Rem => "rem",
            BinOp::BitAnd => "and",
            BinOp::BitOr => "or",
            BinOp::BitXor => "xor",
            BinOp::Shl => "lshift",
            BinOp::Shr => "rshift",
            BinOp::Eq => "eq",
            BinOp::Ne => "ne",
            BinOp::Lt => "lt",
            BinOp::Le => "le",
            BinOp::Gt => "gt",
            BinOp::Ge => "ge",
        }
    }
    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge
        )
    }
}

#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum UnOp {
    /// `-a`
    Neg,
    /// `!a` (logical on bool, bitwise on integers)
    Not,
}

/// One piece of a `format!`-style string.
#[derive(Clone, PartialEq, Debug)]
pub enum FmtPiece {
    /// Literal text.
    Lit(String),
    /// The next argument (arguments are consumed in order; the frontend
    /// resolves positional and named arguments to this order).
    Arg(FmtSpec),
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum FmtKind {
    /// `{}`
    Display,
    /// `{:?}`
    Debug,
    /// `{:x}`
    LowerHex,
    /// `{:X}`
    UpperHex,
    /// `{:b}`
    Binary,
    /// `{:o}`
    Octal,
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum FmtAlign {
    /// No alignment given: the type's default (numbers right, text left).
    Default,
    Left,
    Center,
    Right,
}

/// A parsed format spec: `{:fill align sign # 0 width .precision kind}`.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub struct FmtSpec {
    pub kind: FmtKind,
    pub fill: char,
    pub align: FmtAlign,
    pub plus: bool,
    pub alternate: bool,
    pub zero_pad: bool,
    pub width: Option<u32>,
    pub precision: Option<u32>,
}

impl Default for FmtSpec {
    fn default() -> Self {
        FmtSpec {
            kind: FmtKind::Display,
            fill: ' ',
            align: FmtAlign::Default,
            plus: false,
            alternate: false,
            zero_pad: false,
            width: None,
            precision: None,
        }
    }
}

/// Where `print!`-like macros write.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// The high-level operations. `args` of the `Op` are listed per kind.
#[derive(Clone, PartialEq, Debug)]
pub enum OpKind {
    /// `[a, b]` -> `a op b`. Also used for compound assignment (`a += b` is
    /// `a = add(a, b)`). Comparisons return bool.
    Bin(BinOp),
    /// `[a]`
    Un(UnOp),
    /// `[a]` -> `a as T`.
    Cast(Ty),
    /// `[a]` -> `a` (a plain copy, e.g. where a block needs a fresh name).
    SameAs,
    /// `[obj]` -> `obj.field` (tuple fields are named "0", "1", ...).
    GetField(String),
    /// `[obj, value]` -> `obj.field = value`; result unit.
    SetField(String),
    /// `[obj, index]` -> `obj[index]` (Vec, slice, str bytes, HashMap).
    GetIndex,
    /// `[obj, index, value]` -> `obj[index] = value`; result unit.
    SetIndex,
    /// `[obj, start, end]` (`From`: `[obj, start]`) -> `&obj[start..end]`
    /// of a `Vec`, slice or `str`: a new value holding those items, with
    /// std's panics when the range does not fit. A copy is exact because
    /// the frontend only lets it be read (a shared borrow: the original
    /// cannot change while it lives); `&mut v[a..b]` is rejected.
    Slice(SliceKind),
    /// `[f0, f1, ...]` in declaration order -> a new struct value.
    NewStruct(StructId),
    /// `[a, b, ...]` -> `(a, b, ...)`.
    NewTuple,
    /// `[a, b, ...]` -> `vec![a, b, ...]`.
    NewVec,
    /// `[x, n]` -> `vec![x; n]`.
    NewVecRepeat,
    /// `[payload...]` -> a value of a std enum variant: `Some(x)`, `Ok(x)`,
    /// `Err(e)`. (`None` is `Const::None`.)
    NewVariant(String),
    /// `[value]` -> bool: is `value` the named variant (`Some`, `None`,
    /// `Ok`, `Err`)? Used to lower patterns; never panics.
    IsVariant(String),
    /// `[value]` -> field `index` of the payload of the named variant,
    /// already tested by `IsVariant`.
    VariantField { variant: String, index: usize },
    /// `[value]` -> bool, for `value?` on an `Option` or a `Result`: does
    /// the function go on (`Some`/`Ok`)?
    TryContinues,
    /// `[value]` -> the payload of `Some`/`Ok`, after `TryContinues`.
    TryUnwrap,
    /// `[value]` -> what `value?` returns from the function otherwise:
    /// `None`, or `Err(e)` with the same error (no `From` conversion).
    TryResidual,
    /// `[fields...]` in declaration order -> a value of variant `variant`
    /// (an index into `EnumDef::variants`) of the user enum `ty`.
    NewEnum { ty: StructId, variant: u32 },
    /// `[value]` -> bool: is the user enum value of variant `variant`?
    IsEnumVariant { ty: StructId, variant: u32 },
    /// `[value]` -> field `field` (an index into `StructDef::fields`) of a
    /// value already tested by `IsEnumVariant`.
    EnumField { ty: StructId, field: usize },
    /// `[args...]` -> a call of a user function.
    Call(GraphId),
    /// `[args...]` -> a call of a std path the frontend canonicalised, e.g.
    /// `["Vec","new"]`, `["String","from"]`, `["HashMap","new"]`,
    /// `["std","env","args"]`, `["std","fs","read"]`,
    /// `["std","process","exit"]`, `["std","io","stdin"]`,
    /// `["std","io","stdout"]`, `["u8","from"]`, `["i64","MAX"]`-like
    /// associated consts come as `Const` instead.
    CallPath(Vec<String>),
    /// `[receiver, args...]` -> `receiver.name(args)`. Also carries the
    /// turbofish type if any (`collect::<Vec<String>>()`).
    MethodCall { name: String, turbofish: Option<Ty> },
    /// `[args...]` -> a `String` built from the pieces (`format!`).
    Format(Vec<FmtPiece>),
    /// `[string]` -> writes it to the stream; result unit.
    Print(Stream),
    /// `[message: String]` -> panics with that message (`panic!`,
    /// `unreachable!`, `assert!` failures, `todo!`); result never.
    Panic,
    /// `[a]` -> `&a` / `&mut a`.
    Ref { mutable: bool },
    /// `[a]` -> `*a`.
    Deref,
}

/// The range of a `Slice` op. `..b` is `0..b` and `..=b` is `0..=b`;
/// `..` is no op at all (the whole value).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SliceKind {
    /// `a..b`
    Range,
    /// `a..=b`
    Inclusive,
    /// `a..`
    From,
}

impl SliceKind {
    /// The `kind` argument of `rr_list_slice`/`rr_str_slice`
    /// (docs/runtime-abi.md).
    pub fn code(self) -> u64 {
        match self {
            SliceKind::Range => 0,
            SliceKind::Inclusive => 1,
            SliceKind::From => 2,
        }
    }
}

/// One operation `result = kind(args)`.
#[derive(Clone, Debug)]
pub struct Op {
    pub kind: OpKind,
    pub args: Vec<Value>,
    pub result: Var,
    pub span: Span,
    /// For `GetIndex`/`SetIndex`: the span of the `[...]` part. rustc
    /// reports a failing *overloaded* index (`Vec`, `String`, `HashMap`,
    /// through the `Index` trait) there, and a failing built-in index
    /// (slices, arrays) at `span`, the start of the whole expression.
    pub index_span: Option<Span>,
}

/// A jump to `target`, passing `args` to its inputs (same count).
#[derive(Clone, Debug)]
pub struct Link {
    pub target: Block,
    pub args: Vec<Value>,
}

/// How a block ends.
#[derive(Clone, Debug)]
pub enum Exit {
    Goto(Link),
    /// `cond` is a bool.
    If {
        cond: Value,
        then_link: Link,
        else_link: Link,
    },
    /// Multiway branch on an integer or char: the first case whose constant
    /// equals `value`, else `default`. Constants are distinct.
    Switch {
        value: Value,
        cases: Vec<(Const, Link)>,
        default: Link,
    },
    Return(Value),
    /// Control never gets here (after a call that returns `!` or a panic).
    Unreachable,
}

impl Exit {
    pub fn links(&self) -> Vec<&Link> {
        match self {
            Exit::Goto(l) => vec![l],
            Exit::If {
                then_link,
                else_link,
                ..
            } => vec![then_link, else_link],
            Exit::Switch { cases, default, .. } => {
                let mut v: Vec<&Link> = cases.iter().map(|(_, l)| l).collect();
                v.push(default);
                v
            }
            Exit::Return(_) | Exit::Unreachable => vec![],
        }
    }
    pub fn links_mut(&mut self) -> Vec<&mut Link> {
        match self {
            Exit::Goto(l) => vec![l],
            Exit::If {
                then_link,
                else_link,
                ..
            } => vec![then_link, else_link],
            Exit::Switch { cases, default, .. } => {
                let mut v: Vec<&mut Link> = cases.iter_mut().map(|(_, l)| l).collect();
                v.push(default);
                v
            }
            Exit::Return(_) | Exit::Unreachable => vec![],
        }
    }
}

#[derive(Clone, Debug)]
pub struct BlockData {
    pub inputs: Vec<Var>,
    pub ops: Vec<Op>,
    pub exit: Exit,
}

/// What the source says of a variable.
#[derive(Clone, Debug)]
pub struct VarData {
    /// The Rust name it came from, for dumps and messages (`pc`, `tape`).
    pub name: Option<String>,
    /// A type written in the source for it (`let x: u8`, a parameter's
    /// type), else `Ty::Infer`.
    pub declared: Ty,
}

/// How a method takes `self`.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum SelfKind {
    Value,
    Ref,
    RefMut,
}

/// `#[jit_merge_point(greens(...), reds(...), get_printable_location = f)]`.
#[derive(Clone, Debug, Default)]
pub struct MergePoint {
    pub greens: Vec<String>,
    pub reds: Vec<String>,
    pub get_printable_location: Option<String>,
    /// The loop head the merge point stands for (the block that starts the
    /// dispatch loop's condition test).
    pub loop_header: Option<Block>,
    /// The inputs of `loop_header` that `greens` and `reds` name, in the
    /// same order (set with `loop_header`).
    pub green_vars: Vec<Var>,
    pub red_vars: Vec<Var>,
    /// Greens that are parameters declared as shared references (`&T`):
    /// what they point to cannot change while the portal runs (RRust has
    /// no interior mutability), so the JIT may fold reads from them.
    pub immutable_greens: Vec<String>,
    /// The attribute, for diagnostics.
    pub span: Option<Span>,
}

/// The hints of `rrlib::jit` on a function.
#[derive(Clone, Debug, Default)]
pub struct FnHints {
    pub purefunction: bool,
    pub dont_look_inside: bool,
    pub unroll_safe: bool,
    pub merge_point: Option<MergePoint>,
}

#[derive(Clone)]
pub struct FunctionGraph {
    /// Qualified name: `mainloop`, `Tape::advance`.
    pub name: String,
    /// The struct this is a method or associated function of.
    pub impl_of: Option<StructId>,
    pub self_kind: Option<SelfKind>,
    /// Declared parameter types, `self` first for methods (as `Struct`,
    /// `&Struct` or `&mut Struct`). The start block's inputs are the
    /// parameters in the same order.
    pub param_tys: Vec<Ty>,
    pub ret_ty: Ty,
    pub start: Block,
    pub blocks: PrimaryMap<Block, BlockData>,
    pub vars: PrimaryMap<Var, VarData>,
    pub hints: FnHints,
    pub span: Span,
    /// The function's own type parameters (`fn f<T, U>`), by name; a
    /// generic function is a template the annotator instantiates per call
    /// (type parameters of an `impl<T>` are not here: they are erased).
    pub generics: Vec<String>,
}

impl FunctionGraph {
    pub fn new(name: String, span: Span) -> FunctionGraph {
        let mut blocks = PrimaryMap::new();
        let start = blocks.push(BlockData {
            inputs: vec![],
            ops: vec![],
            exit: Exit::Unreachable,
        });
        FunctionGraph {
            name,
            impl_of: None,
            self_kind: None,
            param_tys: vec![],
            ret_ty: Ty::Unit,
            start,
            blocks,
            vars: PrimaryMap::new(),
            hints: FnHints::default(),
            span,
            generics: vec![],
        }
    }
    pub fn new_var(&mut self, name: Option<String>, declared: Ty) -> Var {
        self.vars.push(VarData { name, declared })
    }
    pub fn new_block(&mut self) -> Block {
        self.blocks.push(BlockData {
            inputs: vec![],
            ops: vec![],
            exit: Exit::Unreachable,
        })
    }
    pub fn params(&self) -> &[Var] {
        &self.blocks[self.start].inputs
    }
    pub fn op_count(&self) -> usize {
        self.blocks.values().map(|b| b.ops.len()).sum()
    }
}

#[derive(Clone, Debug)]
pub struct FieldDef {
    pub name: String,
    pub ty: Ty,
    pub span: Span,
}

/// A user `struct` or `enum`. Enums share the struct arena so that `impl`
/// blocks, method lookup, field annotations and layouts serve both: the
/// fields of all variants are flattened into `fields`, each named
/// `Variant.field` (`Variant.0` for tuple variants), which no source
/// expression can name.
#[derive(Clone, Debug)]
pub struct StructDef {
    pub name: String,
    /// Named fields, or "0", "1", ... for tuple structs.
    pub fields: Vec<FieldDef>,
    /// `#[derive(...)]` names: `Clone`, `Copy`, `Debug`, `PartialEq`, ...
    pub derives: Vec<String>,
    /// `Some` for an `enum`.
    pub enum_def: Option<EnumDef>,
    pub span: Span,
    /// The number of type parameters (`struct Stack<T>`: 1). A generic
    /// struct or enum has one layout for all its uses.
    pub type_params: usize,
}

impl StructDef {
    pub fn field_index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }
    pub fn is_enum(&self) -> bool {
        self.enum_def.is_some()
    }
    /// An enum none of whose variants has fields (represented as its
    /// discriminant).
    pub fn is_fieldless_enum(&self) -> bool {
        self.enum_def.as_ref().is_some_and(|e| e.is_fieldless())
    }
    pub fn derives(&self, name: &str) -> bool {
        self.derives.iter().any(|d| d == name)
    }
    /// The variant named `name`, with its index.
    pub fn variant(&self, name: &str) -> Option<(u32, &VariantDef)> {
        let e = self.enum_def.as_ref()?;
        let i = e.variants.iter().position(|v| v.name == name)?;
        Some((i as u32, &e.variants[i]))
    }
}

/// How a variant is written.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum VariantShape {
    /// `A`
    Unit,
    /// `A(i64, String)`
    Tuple,
    /// `A { x: i64 }`
    Struct,
}

#[derive(Clone, Debug)]
pub struct VariantDef {
    pub name: String,
    pub shape: VariantShape,
    /// Its fields are `StructDef::fields[first_field..first_field + field_count]`.
    pub first_field: usize,
    pub field_count: usize,
    /// The value `as` gives (fieldless enums); implicit ones count on from
    /// the previous variant, as in Rust.
    pub discriminant: i128,
    pub span: Span,
}

impl VariantDef {
    /// The index in `StructDef::fields` of the variant's field `name`
    /// (`"0"`, `"1"`, ... for tuple variants).
    pub fn field_index(&self, def: &StructDef, name: &str) -> Option<usize> {
        let fields = &def.fields[self.first_field..self.first_field + self.field_count];
        let want = format!("{}.{name}", self.name);
        fields
            .iter()
            .position(|f| f.name == want)
            .map(|i| self.first_field + i)
    }
}

#[derive(Clone, Debug)]
pub struct EnumDef {
    pub variants: Vec<VariantDef>,
    /// `#[repr(u8)]` and friends: the integer type of the discriminant.
    pub repr: Option<IntTy>,
}

impl EnumDef {
    /// No variant has fields: values are their discriminant, an integer.
    pub fn is_fieldless(&self) -> bool {
        self.variants.iter().all(|v| v.field_count == 0)
    }
    /// The integer type of the discriminant (`isize` unless `#[repr]`).
    pub fn discr_ty(&self) -> IntTy {
        self.repr.unwrap_or(IntTy::Isize)
    }
}

/// A whole RRust program after flow building.
pub struct Program {
    pub structs: PrimaryMap<StructId, StructDef>,
    pub traits: PrimaryMap<TraitId, TraitDef>,
    pub graphs: PrimaryMap<GraphId, FunctionGraph>,
    /// `fn main`.
    pub entry: GraphId,
}

impl Program {
    /// The method `name` (one taking `self`) of struct or enum `s`.
    pub fn method(&self, s: StructId, name: &str) -> Option<GraphId> {
        let full = format!("{}::{name}", self.structs.get(s)?.name);
        self.graphs
            .iter()
            .find(|(_, g)| g.impl_of == Some(s) && g.self_kind.is_some() && g.name == full)
            .map(|(id, _)| id)
    }
    pub fn graph_by_name(&self, name: &str) -> Option<GraphId> {
        self.graphs
            .iter()
            .find(|(_, g)| g.name == name)
            .map(|(id, _)| id)
    }
    pub fn merge_point_graph(&self) -> Option<GraphId> {
        self.graphs
            .iter()
            .find(|(_, g)| g.hints.merge_point.is_some())
            .map(|(id, _)| id)
    }
}
