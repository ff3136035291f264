//! `as` conversions with Rust's semantics.

use cranelift_codegen::ir::{types, InstBuilder, Value};
use cranelift_frontend::FunctionBuilder;
use rtyper::lltype::LLType;

use super::types::{cl_type, int_bits, is_signed};

/// Converts `v` from `from` to `to`:
/// - integers (and Bool, Char as sources) truncate or sign/zero-extend by
///   the source's signedness;
/// - `u8 as char` zero-extends;
/// - integer to float rounds to nearest;
/// - float to integer saturates, NaN becomes 0.
pub(crate) fn cast(
    b: &mut FunctionBuilder,
    from: LLType,
    to: LLType,
    v: Value,
) -> Result<Value, String> {
    use rtyper::lltype::LLType as T;
    if from == to {
        return Ok(v);
    }
    let to_ty = cl_type(to).ok_or("cast to Void")?;
    match (from, to) {
        (T::Int(_) | T::Bool | T::Char, T::Int(_)) => {
            let fb = int_bits(from).expect("integer");
            Ok(resize(b, v, fb, to_ty, is_signed(from)))
        }
        (T::Int(i), T::Char) if i.bits() == 8 && !i.signed() => Ok(b.ins().uextend(types::I32, v)),
        (T::Int(i), T::Float) => {
            let wide = resize(b, v, i.bits(), types::I64, i.signed());
            Ok(if i.signed() {
                b.ins().fcvt_from_sint(types::F64, wide)
            } else {
                b.ins().fcvt_from_uint(types::F64, wide)
            })
        }
        (T::Float, T::Int(i)) => Ok(float_to_int(b, v, i.bits(), i.signed(), to_ty)),
        _ => Err(format!("no `as` conversion from {from:?} to {to:?}")),
    }
}

/// Integer truncation or extension from `from_bits` to `to`.
fn resize(
    b: &mut FunctionBuilder,
    v: Value,
    from_bits: u32,
    to: types::Type,
    signed: bool,
) -> Value {
    let to_bits = to.bits();
    if from_bits == to_bits {
        v
    } else if from_bits > to_bits {
        b.ins().ireduce(to, v)
    } else if signed {
        b.ins().sextend(to, v)
    } else {
        b.ins().uextend(to, v)
    }
}

/// Saturating conversion; Cranelift's `*_sat` conversions map NaN to 0.
/// For 8 and 16 bits, convert to 32 bits and clamp to the target's range
/// (a plain truncation would wrap, not saturate).
fn float_to_int(
    b: &mut FunctionBuilder,
    v: Value,
    bits: u32,
    signed: bool,
    to: types::Type,
) -> Value {
    if bits >= 32 {
        return if signed {
            b.ins().fcvt_to_sint_sat(to, v)
        } else {
            b.ins().fcvt_to_uint_sat(to, v)
        };
    }
    if signed {
        let w = b.ins().fcvt_to_sint_sat(types::I32, v);
        let max = b.ins().iconst(types::I32, (1i64 << (bits - 1)) - 1);
        let min = b
            .ins()
            .iconst(types::I32, (-(1i64 << (bits - 1))) as u32 as i64);
        let w = b.ins().smin(w, max);
        let w = b.ins().smax(w, min);
        b.ins().ireduce(to, w)
    } else {
        let w = b.ins().fcvt_to_uint_sat(types::I32, v);
        let max = b.ins().iconst(types::I32, (1i64 << bits) - 1);
        let w = b.ins().umin(w, max);
        b.ins().ireduce(to, w)
    }
}
