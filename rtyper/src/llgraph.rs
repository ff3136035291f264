//! Low-level graphs: the output of the rtyper and the input of the backends
//! (and, later, of the codewriter). Same shape as the flow model (blocks with
//! inputs, ops, links), but every variable has an `LLType` and every op is a
//! machine-level operation on those types.

use crate::lltype::{GcTypeId, GcTypes, LLType};
use cranelift_entity::{entity_impl, PrimaryMap};
use flowspace::model::{Block, FnHints, IntTy, Var};
use flowspace::span::Span;

/// A low-level graph in `LLProgram::graphs`.
#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LLGraphId(u32);
entity_impl!(LLGraphId, "llgraph");

/// A prebuilt (static, immortal) heap object in `LLProgram::prebuilt`.
#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PrebuiltId(u32);
entity_impl!(PrebuiltId, "prebuilt");

#[derive(Copy, Clone, PartialEq, Debug)]
pub enum LLConst {
    /// An integer of the given type; the value is already in its range.
    Int(i64, IntTy),
    Bool(bool),
    Char(char),
    Float(f64),
    /// The null reference of a pointer type.
    Null(GcTypeId),
    /// The address of a prebuilt object.
    Prebuilt(PrebuiltId),
    /// The unit value (of type Void).
    Void,
}

impl LLConst {
    pub fn ty(&self, prebuilt: &PrimaryMap<PrebuiltId, Prebuilt>) -> LLType {
        match *self {
            LLConst::Int(_, t) => LLType::Int(t),
            LLConst::Bool(_) => LLType::Bool,
            LLConst::Char(_) => LLType::Char,
            LLConst::Float(_) => LLType::Float,
            LLConst::Null(t) => LLType::Ptr(t),
            LLConst::Prebuilt(p) => LLType::Ptr(prebuilt[p].ty),
            LLConst::Void => LLType::Void,
        }
    }
}

#[derive(Copy, Clone, PartialEq, Debug)]
pub enum LLValue {
    Var(Var),
    Const(LLConst),
}

/// Comparison kinds; signedness comes from the operands' type.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// Runtime checks that panic with Rust's message when they fail. The
/// backend emits the test inline and a cold call to the runtime's panic
/// entry with the op's span as `file:line:col`.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum CheckKind {
    /// `[index, len]` (both usize): `index < len`, else
    /// "index out of bounds: the len is {len} but the index is {index}".
    Bounds,
    /// `[divisor]`: != 0, else "attempt to divide by zero".
    DivZero,
    /// `[divisor]`: != 0, else
    /// "attempt to calculate the remainder with a divisor of zero".
    RemZero,
    /// `[a, b]` (signed): not (a == MIN && b == -1), else
    /// "attempt to divide with overflow".
    DivOverflow,
    /// `[a, b]` (signed): as above, else
    /// "attempt to calculate the remainder with overflow".
    RemOverflow,
    /// `[is_some: Bool]`: else "called `Option::unwrap()` on a `None` value".
    UnwrapNone,
    /// `[ok: Bool, message: Ptr(str)]`: else the message (`expect`).
    Expect,
}

/// Low-level operations. `args` per kind are given in each comment; the
/// result's type is the result variable's `LLType`.
#[derive(Clone, PartialEq, Debug)]
pub enum LLOpKind {
    // Integer arithmetic, wrapping (rustc's release semantics). Both
    // operands and the result have the same Int type (or Bool/Char for the
    // comparisons and bitwise ops).
    /// `[a, b]`
    IntAdd,
    IntSub,
    IntMul,
    /// `[a, b]`: the divisor was already checked (`Check`), truncating.
    IntDiv,
    IntRem,
    IntAnd,
    IntOr,
    IntXor,
    /// `[a, b]`: `b` may have any Int type; the amount is masked to the
    /// width of `a` (rustc's release semantics).
    IntShl,
    /// Arithmetic for signed `a`, logical for unsigned.
    IntShr,
    /// `[a]`: wrapping negation.
    IntNeg,
    /// `[a]`: bitwise not (on Bool: logical not).
    IntNot,
    /// `[a, b]` -> Bool. Works on Int, Bool, Char.
    IntCmp(Cmp),
    /// `[a, b]` on Float.
    FloatAdd,
    FloatSub,
    FloatMul,
    FloatDiv,
    FloatRem,
    /// `[a]`
    FloatNeg,
    /// `[a, b]` -> Bool.
    FloatCmp(Cmp),
    /// `[a]` -> result type: `as` conversions between Int, Bool, Char and
    /// Float, with Rust's semantics (truncate/extend, saturating float to
    /// int, NaN to 0).
    Cast,
    /// `[a]` -> a, same type.
    SameAs,
    /// `[cond, ...]`: see `CheckKind`. Result Void.
    Check(CheckKind),
    /// `[]` -> a zeroed struct object with its header set.
    Malloc(GcTypeId),
    /// `[length]` -> a zeroed array object of that length.
    MallocArray(GcTypeId),
    /// `[obj]` -> the field.
    GetField {
        ty: GcTypeId,
        field: u32,
    },
    /// `[obj, value]`
    SetField {
        ty: GcTypeId,
        field: u32,
    },
    /// `[array, index]` (index already checked) -> the item.
    GetArrayItem(GcTypeId),
    /// `[array, index, value]`
    SetArrayItem(GcTypeId),
    /// `[array]` -> its length (Int(Usize)).
    ArrayLen(GcTypeId),
    /// `[a, b]` -> Bool: pointer comparison (identity), also with null.
    PtrEq,
    PtrNe,
    /// `[obj]` (any `Ptr(_)`, never null) -> `Int(U32)`: the type id, the
    /// low half of `obj`'s header word (the index of its `GcTypeId`).
    /// Pure: an object's type never changes, so two reads of one object
    /// give the same id (CSE-able); it neither collects nor panics.
    TypeIdOf,
    /// `[obj]` (any `Ptr(_)`) -> the same reference as another GC type,
    /// the result variable's `Ptr(T)` (as with `Cast`, the target type is
    /// the result's type, so the op has no parameter): `Ptr(OBJECT)` ->
    /// `Ptr(Circle)` after a dispatch on the type id, or back. Pure, no
    /// machine code (a copy); null stays null. Nothing checks that the
    /// object really has type `T`: the producer guarantees it.
    PtrCast,
    /// `[args...]` -> a call of another low-level graph.
    DirectCall(LLGraphId),
    /// `[args...]` -> a call of a runtime function (see
    /// `docs/runtime-abi.md`). Parameter and return types are the args' and
    /// the result's types.
    RuntimeCall(String),
    /// `[greens.., reds..]` -> Void: the merge point of `#[jit_merge_point]`
    /// (jit driver `driver`, the index of the portal among the program's
    /// portals), first op of the portal's dispatch-loop head. `greens` of
    /// the args are greens, the rest reds, in the attribute's order; every
    /// variable live there is one of them. The codewriter turns it into the
    /// jitcode's `MergePoint`; `--opt=2` drops it; `--opt=jit` code calls
    /// `rrjit_merge_point` there (docs/runtime-abi.md, "JIT").
    JitMergePoint {
        driver: u32,
        greens: u32,
    },
    /// `[a]` -> a, same type: `rrlib::jit::promote(a)`. AOT code: the
    /// value itself; in a JIT trace the value becomes a constant, checked
    /// by a guard (RPython's `promote`).
    JitPromote,
    /// `[]` -> Bool: `rrlib::jit::we_are_jitted()`. False in AOT code,
    /// true in the jitcodes the tracer and blackhole run.
    JitIsJitted,
}

#[derive(Clone, Debug)]
pub struct LLOp {
    pub kind: LLOpKind,
    pub args: Vec<LLValue>,
    /// Always present; of type Void when the op produces nothing.
    pub result: Var,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct LLLink {
    pub target: Block,
    pub args: Vec<LLValue>,
}

#[derive(Clone, Debug)]
pub enum LLExit {
    Goto(LLLink),
    If {
        cond: LLValue,
        then_link: LLLink,
        else_link: LLLink,
    },
    /// On an Int or Char value; case constants are distinct.
    Switch {
        value: LLValue,
        cases: Vec<(i64, LLLink)>,
        default: LLLink,
    },
    Return(LLValue),
    Unreachable,
}

impl LLExit {
    pub fn links(&self) -> Vec<&LLLink> {
        match self {
            LLExit::Goto(l) => vec![l],
            LLExit::If {
                then_link,
                else_link,
                ..
            } => vec![then_link, else_link],
            LLExit::Switch { cases, default, .. } => {
                let mut v: Vec<&LLLink> = cases.iter().map(|(_, l)| l).collect();
                v.push(default);
                v
            }
            LLExit::Return(_) | LLExit::Unreachable => vec![],
        }
    }

    pub fn links_mut(&mut self) -> Vec<&mut LLLink> {
        match self {
            LLExit::Goto(l) => vec![l],
            LLExit::If {
                then_link,
                else_link,
                ..
            } => vec![then_link, else_link],
            LLExit::Switch { cases, default, .. } => {
                let mut v: Vec<&mut LLLink> = cases.iter_mut().map(|(_, l)| l).collect();
                v.push(default);
                v
            }
            LLExit::Return(_) | LLExit::Unreachable => vec![],
        }
    }

    /// Every value the exit reads: the condition, switch value or returned
    /// value, then the link arguments.
    pub fn values(&self) -> Vec<&LLValue> {
        let mut out: Vec<&LLValue> = match self {
            LLExit::If { cond, .. } => vec![cond],
            LLExit::Switch { value, .. } => vec![value],
            LLExit::Return(v) => vec![v],
            LLExit::Goto(_) | LLExit::Unreachable => vec![],
        };
        for l in self.links() {
            out.extend(&l.args);
        }
        out
    }

    /// Applies `f` to every value the exit reads (as `values`).
    pub fn values_mut(&mut self, mut f: impl FnMut(&mut LLValue)) {
        match self {
            LLExit::If { cond: v, .. } | LLExit::Switch { value: v, .. } | LLExit::Return(v) => {
                f(v)
            }
            LLExit::Goto(_) | LLExit::Unreachable => {}
        }
        for l in self.links_mut() {
            l.args.iter_mut().for_each(&mut f);
        }
    }
}

#[derive(Clone, Debug)]
pub struct LLBlock {
    pub inputs: Vec<Var>,
    pub ops: Vec<LLOp>,
    pub exit: LLExit,
}

#[derive(Clone, Debug)]
pub struct LLVarData {
    pub ty: LLType,
    pub name: Option<String>,
}

pub struct LLGraph {
    /// Unique symbol-safe name (`Tape::advance` becomes `Tape__advance`
    /// in the object file; the backend mangles).
    pub name: String,
    pub ret: LLType,
    pub start: Block,
    pub blocks: PrimaryMap<Block, LLBlock>,
    pub vars: PrimaryMap<Var, LLVarData>,
    pub hints: FnHints,
    pub span: Span,
}

impl LLGraph {
    pub fn params(&self) -> &[Var] {
        &self.blocks[self.start].inputs
    }
    pub fn param_types(&self) -> Vec<LLType> {
        self.params().iter().map(|v| self.vars[*v].ty).collect()
    }
    pub fn op_count(&self) -> usize {
        self.blocks.values().map(|b| b.ops.len()).sum()
    }
    pub fn value_type(&self, v: &LLValue, prebuilt: &PrimaryMap<PrebuiltId, Prebuilt>) -> LLType {
        match v {
            LLValue::Var(v) => self.vars[*v].ty,
            LLValue::Const(c) => c.ty(prebuilt),
        }
    }
}

/// The contents of a prebuilt object.
#[derive(Clone, Debug)]
pub enum PrebuiltData {
    /// One constant per field of the struct type, in order.
    Struct(Vec<LLConst>),
    /// The items of an array type.
    Array(Vec<LLConst>),
    /// The items of an `Array<u8>`, as bytes (string literals).
    Bytes(Vec<u8>),
}

#[derive(Clone, Debug)]
pub struct Prebuilt {
    pub ty: GcTypeId,
    pub data: PrebuiltData,
}

/// The whole low-level program.
pub struct LLProgram {
    pub types: GcTypes,
    pub graphs: PrimaryMap<LLGraphId, LLGraph>,
    pub prebuilt: PrimaryMap<PrebuiltId, Prebuilt>,
    /// The graph of `fn main` (no parameters, returns Void).
    pub entry: LLGraphId,
    /// Source paths by `Span::file`, for panic locations.
    pub files: Vec<String>,
}
