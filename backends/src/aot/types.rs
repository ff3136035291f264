//! Low-level types as Cranelift types.

use cranelift_codegen::ir::{types, AbiParam, Type};
use rtyper::lltype::LLType;

/// Bool -> I8, Int -> its width, Char -> I32, Float -> F64, Ptr -> I64,
/// Void -> no value.
pub(crate) fn cl_type(t: LLType) -> Option<Type> {
    Some(match t {
        LLType::Void => return None,
        LLType::Bool => types::I8,
        LLType::Int(i) => match i.bits() {
            8 => types::I8,
            16 => types::I16,
            32 => types::I32,
            _ => types::I64,
        },
        LLType::Char => types::I32,
        LLType::Float => types::F64,
        LLType::Ptr(_) => types::I64,
    })
}

/// Whether comparisons, divisions and widening treat the type as signed.
pub(crate) fn is_signed(t: LLType) -> bool {
    matches!(t, LLType::Int(i) if i.signed())
}

/// Width in bits of an integer-like type (Bool 8, Char 32, Ptr 64).
pub(crate) fn int_bits(t: LLType) -> Option<u32> {
    match t {
        LLType::Bool => Some(8),
        LLType::Int(i) => Some(i.bits()),
        LLType::Char => Some(32),
        LLType::Ptr(_) => Some(64),
        LLType::Void | LLType::Float => None,
    }
}

/// A parameter or return slot; with `extend`, integers narrower than 64
/// bits are sign- or zero-extended as the C ABI of rustc expects.
pub(crate) fn abi_param(t: LLType, extend: bool) -> Option<AbiParam> {
    let ty = cl_type(t)?;
    let p = AbiParam::new(ty);
    Some(if extend && ty.is_int() && ty.bits() < 64 {
        if is_signed(t) {
            p.sext()
        } else {
            p.uext()
        }
    } else {
        p
    })
}

/// `v` masked to `bits` (Cranelift wants narrow immediates zero-extended).
pub(crate) fn mask_imm(v: i64, bits: u32) -> i64 {
    if bits >= 64 {
        v
    } else {
        ((v as u64) & ((1u64 << bits) - 1)) as i64
    }
}
