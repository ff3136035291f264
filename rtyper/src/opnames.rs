//! The written names of low-level operations, comparison kinds and check
//! kinds: one table that the printer (`dump`) and the parser (`parse`)
//! both read, so the two cannot drift apart.
//!
//! An op is written `name` or `name<param>`: `int_add`, `int_cmp<lt>`,
//! `check<bounds>`, `malloc<Tape>`, `getfield<Tape.pos>`,
//! `direct_call<Tape::get>`, `call<rr_print>`, `jit_merge_point<0, 2>`,
//! `type_id_of`, `ptr_cast` (whose target type is its result's).
//! `OpTag` names the kind without its parameter; `OpParam` says which
//! parameter (if any) goes between the angle brackets.

use crate::llgraph::{CheckKind, Cmp, LLOpKind};

/// An `LLOpKind` without its parameter.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum OpTag {
    IntAdd,
    IntSub,
    IntMul,
    IntDiv,
    IntRem,
    IntAnd,
    IntOr,
    IntXor,
    IntShl,
    IntShr,
    IntNeg,
    IntNot,
    IntCmp,
    FloatAdd,
    FloatSub,
    FloatMul,
    FloatDiv,
    FloatRem,
    FloatNeg,
    FloatCmp,
    Cast,
    SameAs,
    Check,
    Malloc,
    MallocArray,
    GetField,
    SetField,
    GetArrayItem,
    SetArrayItem,
    ArrayLen,
    PtrEq,
    PtrNe,
    TypeIdOf,
    PtrCast,
    DirectCall,
    RuntimeCall,
    JitMergePoint,
    JitPromote,
    JitIsJitted,
}

/// What an op writes between `<` and `>`.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum OpParam {
    /// Nothing (and no angle brackets).
    None,
    /// A comparison kind: `int_cmp<lt>`.
    Cmp,
    /// A check kind: `check<bounds>`.
    Check,
    /// A heap type: `malloc<Tape>`.
    GcType,
    /// A struct type and one of its fields: `getfield<Tape.pos>`.
    Field,
    /// A graph by name: `direct_call<Tape::get>`.
    Graph,
    /// A runtime function: `call<rr_print>`.
    RuntimeFn,
    /// The driver index and the number of greens: `jit_merge_point<0, 2>`.
    MergePoint,
}

/// Every tag, in declaration order (parsing looks names up here; a test
/// checks that each appears in the op fixture).
pub const ALL: [OpTag; 39] = [
    OpTag::IntAdd,
    OpTag::IntSub,
    OpTag::IntMul,
    OpTag::IntDiv,
    OpTag::IntRem,
    OpTag::IntAnd,
    OpTag::IntOr,
    OpTag::IntXor,
    OpTag::IntShl,
    OpTag::IntShr,
    OpTag::IntNeg,
    OpTag::IntNot,
    OpTag::IntCmp,
    OpTag::FloatAdd,
    OpTag::FloatSub,
    OpTag::FloatMul,
    OpTag::FloatDiv,
    OpTag::FloatRem,
    OpTag::FloatNeg,
    OpTag::FloatCmp,
    OpTag::Cast,
    OpTag::SameAs,
    OpTag::Check,
    OpTag::Malloc,
    OpTag::MallocArray,
    OpTag::GetField,
    OpTag::SetField,
    OpTag::GetArrayItem,
    OpTag::SetArrayItem,
    OpTag::ArrayLen,
    OpTag::PtrEq,
    OpTag::PtrNe,
    OpTag::TypeIdOf,
    OpTag::PtrCast,
    OpTag::DirectCall,
    OpTag::RuntimeCall,
    OpTag::JitMergePoint,
    OpTag::JitPromote,
    OpTag::JitIsJitted,
];

// `ALL` lists the tags in declaration order, so the last one's discriminant
// tells whether one was left out.
const _: () = assert!(ALL.len() == OpTag::JitIsJitted as usize + 1);

impl OpTag {
    /// The tag of an op kind (exhaustive: a new `LLOpKind` variant does
    /// not compile until it has a tag, and so a name).
    pub fn of(k: &LLOpKind) -> OpTag {
        match k {
            LLOpKind::IntAdd => OpTag::IntAdd,
            LLOpKind::IntSub => OpTag::IntSub,
            LLOpKind::IntMul => OpTag::IntMul,
            LLOpKind::IntDiv => OpTag::IntDiv,
            LLOpKind::IntRem => OpTag::IntRem,
            LLOpKind::IntAnd => OpTag::IntAnd,
            LLOpKind::IntOr => OpTag::IntOr,
            LLOpKind::IntXor => OpTag::IntXor,
            LLOpKind::IntShl => OpTag::IntShl,
            LLOpKind::IntShr => OpTag::IntShr,
            LLOpKind::IntNeg => OpTag::IntNeg,
            LLOpKind::IntNot => OpTag::IntNot,
            LLOpKind::IntCmp(_) => OpTag::IntCmp,
            LLOpKind::FloatAdd => OpTag::FloatAdd,
            LLOpKind::FloatSub => OpTag::FloatSub,
            LLOpKind::FloatMul => OpTag::FloatMul,
            LLOpKind::FloatDiv => OpTag::FloatDiv,
            LLOpKind::FloatRem => OpTag::FloatRem,
            LLOpKind::FloatNeg => OpTag::FloatNeg,
            LLOpKind::FloatCmp(_) => OpTag::FloatCmp,
            LLOpKind::Cast => OpTag::Cast,
            LLOpKind::SameAs => OpTag::SameAs,
            LLOpKind::Check(_) => OpTag::Check,
            LLOpKind::Malloc(_) => OpTag::Malloc,
            LLOpKind::MallocArray(_) => OpTag::MallocArray,
            LLOpKind::GetField { .. } => OpTag::GetField,
            LLOpKind::SetField { .. } => OpTag::SetField,
            LLOpKind::GetArrayItem(_) => OpTag::GetArrayItem,
            LLOpKind::SetArrayItem(_) => OpTag::SetArrayItem,
            LLOpKind::ArrayLen(_) => OpTag::ArrayLen,
            LLOpKind::PtrEq => OpTag::PtrEq,
            LLOpKind::PtrNe => OpTag::PtrNe,
            LLOpKind::TypeIdOf => OpTag::TypeIdOf,
            LLOpKind::PtrCast => OpTag::PtrCast,
            LLOpKind::DirectCall(_) => OpTag::DirectCall,
            LLOpKind::RuntimeCall(_) => OpTag::RuntimeCall,
            LLOpKind::JitMergePoint { .. } => OpTag::JitMergePoint,
            LLOpKind::JitPromote => OpTag::JitPromote,
            LLOpKind::JitIsJitted => OpTag::JitIsJitted,
        }
    }

    /// The written name and the parameter it takes.
    pub fn spec(self) -> (&'static str, OpParam) {
        use OpParam as P;
        match self {
            OpTag::IntAdd => ("int_add", P::None),
            OpTag::IntSub => ("int_sub", P::None),
            OpTag::IntMul => ("int_mul", P::None),
            OpTag::IntDiv => ("int_div", P::None),
            OpTag::IntRem => ("int_rem", P::None),
            OpTag::IntAnd => ("int_and", P::None),
            OpTag::IntOr => ("int_or", P::None),
            OpTag::IntXor => ("int_xor", P::None),
            OpTag::IntShl => ("int_shl", P::None),
            OpTag::IntShr => ("int_shr", P::None),
            OpTag::IntNeg => ("int_neg", P::None),
            OpTag::IntNot => ("int_not", P::None),
            OpTag::IntCmp => ("int_cmp", P::Cmp),
            OpTag::FloatAdd => ("float_add", P::None),
            OpTag::FloatSub => ("float_sub", P::None),
            OpTag::FloatMul => ("float_mul", P::None),
            OpTag::FloatDiv => ("float_div", P::None),
            OpTag::FloatRem => ("float_rem", P::None),
            OpTag::FloatNeg => ("float_neg", P::None),
            OpTag::FloatCmp => ("float_cmp", P::Cmp),
            OpTag::Cast => ("cast", P::None),
            OpTag::SameAs => ("same_as", P::None),
            OpTag::Check => ("check", P::Check),
            OpTag::Malloc => ("malloc", P::GcType),
            OpTag::MallocArray => ("malloc_array", P::GcType),
            OpTag::GetField => ("getfield", P::Field),
            OpTag::SetField => ("setfield", P::Field),
            OpTag::GetArrayItem => ("getarrayitem", P::GcType),
            OpTag::SetArrayItem => ("setarrayitem", P::GcType),
            OpTag::ArrayLen => ("arraylen", P::GcType),
            OpTag::PtrEq => ("ptr_eq", P::None),
            OpTag::PtrNe => ("ptr_ne", P::None),
            OpTag::TypeIdOf => ("type_id_of", P::None),
            OpTag::PtrCast => ("ptr_cast", P::None),
            OpTag::DirectCall => ("direct_call", P::Graph),
            OpTag::RuntimeCall => ("call", P::RuntimeFn),
            OpTag::JitMergePoint => ("jit_merge_point", P::MergePoint),
            OpTag::JitPromote => ("jit_promote", P::None),
            OpTag::JitIsJitted => ("jit_is_jitted", P::None),
        }
    }

    pub fn name(self) -> &'static str {
        self.spec().0
    }

    pub fn from_name(s: &str) -> Option<OpTag> {
        ALL.iter().copied().find(|t| t.name() == s)
    }
}

/// Every comparison kind, for parsing (the names are in `cmp_name`).
pub const ALL_CMPS: [Cmp; 6] = [Cmp::Eq, Cmp::Ne, Cmp::Lt, Cmp::Le, Cmp::Gt, Cmp::Ge];

pub fn cmp_name(c: Cmp) -> &'static str {
    match c {
        Cmp::Eq => "eq",
        Cmp::Ne => "ne",
        Cmp::Lt => "lt",
        Cmp::Le => "le",
        Cmp::Gt => "gt",
        Cmp::Ge => "ge",
    }
}

pub fn cmp_from_name(s: &str) -> Option<Cmp> {
    ALL_CMPS.iter().copied().find(|c| cmp_name(*c) == s)
}

/// Every check kind, for parsing (the names are in `check_name`).
pub const ALL_CHECKS: [CheckKind; 7] = [
    CheckKind::Bounds,
    CheckKind::DivZero,
    CheckKind::RemZero,
    CheckKind::DivOverflow,
    CheckKind::RemOverflow,
    CheckKind::UnwrapNone,
    CheckKind::Expect,
];

pub fn check_name(c: CheckKind) -> &'static str {
    match c {
        CheckKind::Bounds => "bounds",
        CheckKind::DivZero => "div_zero",
        CheckKind::RemZero => "rem_zero",
        CheckKind::DivOverflow => "div_overflow",
        CheckKind::RemOverflow => "rem_overflow",
        CheckKind::UnwrapNone => "unwrap_none",
        CheckKind::Expect => "expect",
    }
}

pub fn check_from_name(s: &str) -> Option<CheckKind> {
    ALL_CHECKS.iter().copied().find(|c| check_name(*c) == s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_parse_back() {
        for (i, t) in ALL.iter().enumerate() {
            assert_eq!(*t as usize, i, "ALL is in declaration order");
            assert_eq!(OpTag::from_name(t.name()), Some(*t));
        }
        for c in ALL_CMPS {
            assert_eq!(cmp_from_name(cmp_name(c)), Some(c));
        }
        for c in ALL_CHECKS {
            assert_eq!(check_from_name(check_name(c)), Some(c));
        }
    }
}
