//! Low-level types as the jitcode's kinds, banks and scalars, and
//! constants as operands.

use abi::{Bank, IntKind, Kind, Scalar};
use flowspace::model::IntTy;
use rtyper::lltype::LLType;

pub fn int_kind_of(t: IntTy) -> IntKind {
    IntKind::new(t.bits() as u8, t.signed())
}

/// The int kind of an Int, Bool or Char type.
pub fn int_kind(ty: LLType) -> Option<IntKind> {
    match ty {
        LLType::Int(t) => Some(int_kind_of(t)),
        LLType::Bool => Some(IntKind::BOOL),
        LLType::Char => Some(IntKind::CHAR),
        _ => None,
    }
}

/// The kind of a value of `ty`; None for Void.
pub fn kind(ty: LLType) -> Option<Kind> {
    match ty {
        LLType::Void => None,
        LLType::Float => Some(Kind::Float),
        LLType::Ptr(_) => Some(Kind::Ref),
        LLType::Int(_) | LLType::Bool | LLType::Char => int_kind(ty).map(Kind::Int),
    }
}

pub fn bank(ty: LLType) -> Option<Bank> {
    kind(ty).map(Kind::bank)
}

/// The scalar side of an `as` conversion.
pub fn scalar(ty: LLType) -> Option<Scalar> {
    match ty {
        LLType::Float => Some(Scalar::Float),
        _ => int_kind(ty).map(Scalar::Int),
    }
}

pub fn bank_index(b: Bank) -> usize {
    match b {
        Bank::Int => 0,
        Bank::Ref => 1,
        Bank::Float => 2,
    }
}
