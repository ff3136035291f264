//! Concrete semantics shared by the tracer, the blackhole interpreter and
//! the trace interpreter: integer and float arithmetic on normalised
//! 64-bit words, casts, checks, and raw heap access at descriptor offsets.

use abi::{Cmp, IntBinOp, IntKind, Kind};

/// `a op b` in `kind`, normalised. Errors on a division by zero (the
/// preceding `Check` should have panicked).
pub fn int_bin(op: IntBinOp, kind: IntKind, a: u64, b: u64) -> Result<u64, String> {
    let (sa, sb) = (a as i64, b as i64);
    let bits = kind.bits as u32;
    let r: i64 = match op {
        IntBinOp::Add => sa.wrapping_add(sb),
        IntBinOp::Sub => sa.wrapping_sub(sb),
        IntBinOp::Mul => sa.wrapping_mul(sb),
        IntBinOp::Div | IntBinOp::Rem if b == 0 => return Err("division by zero".into()),
        IntBinOp::Div if kind.signed => sa.wrapping_div(sb),
        IntBinOp::Div => (a / b) as i64,
        IntBinOp::Rem if kind.signed => sa.wrapping_rem(sb),
        IntBinOp::Rem => (a % b) as i64,
        IntBinOp::And => sa & sb,
        IntBinOp::Or => sa | sb,
        IntBinOp::Xor => sa ^ sb,
        IntBinOp::Shl => sa.wrapping_shl(b as u32 & (bits - 1)),
        IntBinOp::Shr if kind.signed => sa.wrapping_shr(b as u32 & (bits - 1)),
        IntBinOp::Shr => a.wrapping_shr(b as u32 & (bits - 1)) as i64,
    };
    Ok(kind.normalise(r) as u64)
}

/// The mask of an unsigned narrow kind.
pub fn mask(kind: IntKind) -> u64 {
    if kind.bits >= 64 {
        u64::MAX
    } else {
        (1u64 << kind.bits) - 1
    }
}

pub fn int_neg(kind: IntKind, a: u64) -> u64 {
    kind.normalise((a as i64).wrapping_neg()) as u64
}

/// Bitwise not (the codewriter writes a bool's `!` as `^ 1`).
pub fn int_not(kind: IntKind, a: u64) -> u64 {
    kind.normalise(!(a as i64)) as u64
}

pub fn int_cmp(cmp: Cmp, signed: bool, a: u64, b: u64) -> u64 {
    let r = if signed {
        cmp_ord(cmp, (a as i64).cmp(&(b as i64)))
    } else {
        cmp_ord(cmp, a.cmp(&b))
    };
    r as u64
}

fn cmp_ord(cmp: Cmp, o: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering::*;
    match cmp {
        Cmp::Eq => o == Equal,
        Cmp::Ne => o != Equal,
        Cmp::Lt => o == Less,
        Cmp::Le => o != Greater,
        Cmp::Gt => o == Greater,
        Cmp::Ge => o != Less,
    }
}

pub fn float_cmp(cmp: Cmp, a: u64, b: u64) -> u64 {
    let (x, y) = (f64::from_bits(a), f64::from_bits(b));
    (match cmp {
        Cmp::Eq => x == y,
        Cmp::Ne => x != y,
        Cmp::Lt => x < y,
        Cmp::Le => x <= y,
        Cmp::Gt => x > y,
        Cmp::Ge => x >= y,
    }) as u64
}

/// Rust's saturating `f as kind` (NaN gives 0), normalised.
pub fn float_to_int(kind: IntKind, bits: u64) -> u64 {
    let f = f64::from_bits(bits);
    let v: i64 = match (kind.bits, kind.signed) {
        (8, true) => f as i8 as i64,
        (16, true) => f as i16 as i64,
        (32, true) => f as i32 as i64,
        (8, false) => f as u8 as i64,
        (16, false) => f as u16 as i64,
        (32, false) => f as u32 as i64,
        (_, true) => f as i64,
        (_, false) => f as u64 as i64,
    };
    v as u64
}

pub fn int_to_float(kind: IntKind, a: u64) -> u64 {
    if kind.signed {
        ((a as i64) as f64).to_bits()
    } else {
        (a as f64).to_bits()
    }
}

/// `int_signext(x, bytes)`.
pub fn signext(x: u64, bytes: u64) -> u64 {
    match bytes {
        1 => x as i8 as i64 as u64,
        2 => x as i16 as i64 as u64,
        4 => x as i32 as i64 as u64,
        _ => x,
    }
}

/// Reads a value of `kind` at `addr`, normalised to a register word.
///
/// # Safety
/// `addr` must point to readable memory holding a value of `kind`.
pub unsafe fn load(addr: u64, kind: Kind) -> u64 {
    let p = addr as *const u8;
    match kind {
        Kind::Int(k) => {
            let raw: i64 = match (k.bits, k.signed) {
                (8, true) => p.cast::<i8>().read_unaligned() as i64,
                (16, true) => p.cast::<i16>().read_unaligned() as i64,
                (32, true) => p.cast::<i32>().read_unaligned() as i64,
                (8, false) => p.read_unaligned() as i64,
                (16, false) => p.cast::<u16>().read_unaligned() as i64,
                (32, false) => p.cast::<u32>().read_unaligned() as i64,
                _ => p.cast::<i64>().read_unaligned(),
            };
            raw as u64
        }
        Kind::Ref | Kind::Float => p.cast::<u64>().read_unaligned(),
    }
}

/// Stores the low bytes of `v` as `kind` at `addr`.
///
/// # Safety
/// `addr` must point to writable memory for a value of `kind`.
pub unsafe fn store(addr: u64, kind: Kind, v: u64) {
    let p = addr as *mut u8;
    match kind.bytes() {
        1 => p.write_unaligned(v as u8),
        2 => p.cast::<u16>().write_unaligned(v as u16),
        4 => p.cast::<u32>().write_unaligned(v as u32),
        _ => p.cast::<u64>().write_unaligned(v),
    }
}

/// The minimum of a signed kind as a normalised word.
pub fn int_min(kind: IntKind) -> u64 {
    match kind.bits {
        8 => i8::MIN as i64 as u64,
        16 => i16::MIN as i64 as u64,
        32 => i32::MIN as i64 as u64,
        _ => i64::MIN as u64,
    }
}

/// The write barrier before storing the reference `value` into `obj`
/// (`index`: an array item).
///
/// # Safety
/// `obj` must be a live heap object.
pub unsafe fn barrier(host: &crate::Host, obj: u64, value: u64, index: Option<u64>) {
    use abi::layout::{FLAG_HAS_CARDS, FLAG_TRACK_YOUNG_PTRS};
    if value == 0 {
        return;
    }
    let header = (obj as *const u64).read_unaligned();
    if header & FLAG_TRACK_YOUNG_PTRS == 0 {
        return;
    }
    match index {
        Some(i) if header & FLAG_HAS_CARDS != 0 => (host.write_barrier_array)(obj as *mut u8, i),
        _ => (host.write_barrier)(obj as *mut u8),
    }
}

/// The address of item `index` of an array object.
pub fn item_addr(array: u64, index: u64, item_size: u32) -> u64 {
    array
        .wrapping_add(abi::layout::ARRAY_ITEMS_OFFSET as u64)
        .wrapping_add(index.wrapping_mul(item_size as u64))
}

/// The length of an array object.
///
/// # Safety
/// `array` must be a live array object.
pub unsafe fn array_len(array: u64) -> u64 {
    ((array + abi::layout::ARRAY_LENGTH_OFFSET as u64) as *const u64).read_unaligned()
}

/// The type id in an object's header (its low 32 bits).
///
/// # Safety
/// `obj` must be a live object.
pub unsafe fn type_id_of(obj: u64) -> u64 {
    ((obj + abi::layout::TYPE_ID_OFFSET as u64) as *const u32).read_unaligned() as u64
}
