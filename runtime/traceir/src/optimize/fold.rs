//! Constant folding and algebraic identities of pure operations.
//!
//! Ints fold with exact wrapping 64-bit semantics; a division or
//! remainder by 0 (or MIN by -1) and a shift amount outside 0..=63 are
//! left alone, as is every float identity that could change a sign or a
//! NaN.

use super::rewrite::Rewrite;
use crate::ops::Opcode;
use crate::trace::{Descr, Trace, Value};
use abi::IntKind;

/// Folds constant pure ops and simplifies identities; returns how many
/// ops went.
pub fn fold(trace: &mut Trace) -> usize {
    let mut rw = Rewrite::new(trace);
    for i in 0..trace.ops.len() {
        rw.resolve_args(&mut trace.ops[i]);
        reassociate(trace, i, &rw);
        if let Some(v) = simplify(trace, i, &rw) {
            rw.replace(i, v);
        }
    }
    let removed = rw.finish(trace);
    // Rewrites, not removals: what they free goes in `dce`.
    masked_adds(trace);
    removed
}

/// `(x ± c1) ± c2` becomes `x + (±c1 ± c2)`, rewriting op `i` in place
/// (its value is the same), so that a stack machine's `sp + 1 - 1` is `sp`
/// again and the heap cache sees the same index (`+ 0` then folds away).
fn reassociate(trace: &mut Trace, i: usize, rw: &Rewrite) {
    use Opcode::*;
    let signed_const = |op: &crate::trace::Op| -> Option<(Value, i64)> {
        match (op.opcode, op.args.as_slice()) {
            (IntAdd, [x, Value::ConstInt(c)]) | (IntAdd, [Value::ConstInt(c), x])
                if !x.is_const() =>
            {
                Some((*x, *c))
            }
            (IntSub, [x, Value::ConstInt(c)]) if !x.is_const() => Some((*x, c.wrapping_neg())),
            _ => None,
        }
    };
    let Some((Value::Op(j), c2)) = signed_const(&trace.ops[i]) else {
        return;
    };
    if rw.is_pinned(j) {
        return;
    }
    let Some((x, c1)) = trace.ops.get(j as usize).and_then(signed_const) else {
        return;
    };
    let op = &mut trace.ops[i];
    op.opcode = IntAdd;
    op.args = vec![x, Value::ConstInt(c1.wrapping_add(c2))];
}

/// Narrow integers wrap by masking after each add (`(x + 1) & 255` for a
/// `u8`), so a run of them (a Brainfuck `+++`) is `((x + 1) & 255) + 1) &
/// 255 ...`. Modulo 2^k the inner masks do nothing: when an add's only
/// user is an `int_and` with the mask 2^k - 1, `(w & m) + c` becomes `w +
/// c` and `(x + c1) + c2` becomes `x + (c1 + c2)` (the inner op's only
/// user being this add). Ops left unused go in `dce`. Returns how many
/// ops were rewritten.
fn masked_adds(trace: &mut Trace) -> usize {
    use Opcode::*;
    let n = trace.ops.len();
    let mut uses = vec![0u32; n];
    for op in &trace.ops {
        for v in op.uses() {
            if let Value::Op(j) = *v {
                if let Some(u) = uses.get_mut(j as usize) {
                    *u += 1;
                }
            }
        }
    }
    // An op's `(value, constant)` when it is `opcode(value, constant)`.
    let with_const = |trace: &Trace, j: usize, opcode: Opcode| -> Option<(Value, i64)> {
        let op = trace.ops.get(j)?;
        if op.opcode != opcode || op.args.len() != 2 {
            return None;
        }
        match (op.args[0], op.args[1]) {
            (v, Value::ConstInt(c)) | (Value::ConstInt(c), v) if !v.is_const() => Some((v, c)),
            _ => None,
        }
    };
    // Values a label names are not what their definition says after it.
    let pinned = super::rewrite::pinned_ops(trace);
    let mut changed = 0;
    for i in 0..n {
        let Some((Value::Op(y), mask)) = with_const(trace, i, IntAnd) else {
            continue;
        };
        let y = y as usize;
        if pinned[y] {
            continue;
        }
        if mask <= 0 || (mask as u64).wrapping_add(1) & (mask as u64) != 0 {
            continue;
        }
        loop {
            if uses.get(y) != Some(&1) {
                break;
            }
            let Some((Value::Op(z), c)) = with_const(trace, y, IntAdd) else {
                break;
            };
            let z = z as usize;
            if uses[z] != 1 || pinned[z] {
                break;
            }
            let inner = match (with_const(trace, z, IntAnd), with_const(trace, z, IntAdd)) {
                (Some((w, m)), _) if m == mask => (w, c),
                (_, Some((x, c2))) => (x, c.wrapping_add(c2)),
                _ => break,
            };
            // y = inner.0 + inner.1; z loses its only user and its use
            // of inner.0 moves to y.
            trace.ops[y].args = vec![inner.0, Value::ConstInt(inner.1)];
            uses[z] = 0;
            changed += 1;
        }
    }
    changed
}

fn int(v: Value) -> Option<i64> {
    match v {
        Value::ConstInt(c) => Some(c),
        _ => None,
    }
}

fn float(v: Value) -> Option<f64> {
    match v {
        Value::ConstFloat(b) => Some(f64::from_bits(b)),
        _ => None,
    }
}

fn fl(f: f64) -> Value {
    Value::ConstFloat(f.to_bits())
}

fn bool_int(b: bool) -> Value {
    Value::ConstInt(b as i64)
}

/// The address of a reference constant.
fn address(trace: &Trace, v: Value) -> Option<u64> {
    match v {
        Value::Null => Some(0),
        Value::ConstRef(i) => trace.gcrefs.get(i as usize).copied(),
        _ => None,
    }
}

/// What op `i` (its args already rewritten) can be replaced by.
fn simplify(trace: &Trace, i: usize, rw: &Rewrite) -> Option<Value> {
    use Opcode::*;
    let op = &trace.ops[i];
    if !op.opcode.flags().pure {
        return None;
    }
    let a = op.args.first().copied()?;
    let b = op.args.get(1).copied();
    if let (Some(x), Some(y)) = (int(a), b.and_then(int)) {
        if let Some(r) = int_binary(op.opcode, x, y) {
            return Some(Value::ConstInt(r));
        }
    }
    if let (Some(x), Some(y)) = (float(a), b.and_then(float)) {
        if let Some(r) = float_binary(op.opcode, x, y) {
            return Some(r);
        }
    }
    match (op.opcode, b) {
        (IntNeg, None) => int(a).map(|x| Value::ConstInt(x.wrapping_neg())),
        (IntInvert, None) => int(a).map(|x| Value::ConstInt(!x)),
        (FloatNeg, None) => float(a).map(|x| fl(-x)),
        (CastIntToFloat, None) => int(a).map(|x| fl(x as f64)),
        (CastUintToFloat, None) => int(a).map(|x| fl(x as u64 as f64)),
        (CastFloatToInt, None) => match (&op.descr, float(a)) {
            (Descr::IntKind(k), Some(f)) => saturating_cast(f, *k).map(Value::ConstInt),
            _ => None,
        },
        (SameAsI | SameAsR | SameAsF, None) => Some(a),
        (TypeIdGc, None) => known_type_id(trace, a, rw).map(|t| Value::ConstInt(t as i64)),
        (PtrEq | PtrNe, Some(b)) => {
            let eq = if a == b {
                Some(true)
            } else {
                match (address(trace, a), address(trace, b)) {
                    (Some(x), Some(y)) => Some(x == y),
                    _ => None,
                }
            };
            eq.map(|eq| bool_int(eq == (op.opcode == PtrEq)))
        }
        (_, Some(b)) => identity(op.opcode, a, b),
        _ => None,
    }
    .or_else(|| double_negation(trace, op.opcode, a, rw))
}

/// The type id of the object `v` refers to when the trace says it: `v`
/// is a `new` (its descr's type id), or a `same_as_r` of one. (A constant
/// object's is folded by the recorder, which reads its header.)
fn known_type_id(trace: &Trace, mut v: Value, rw: &Rewrite) -> Option<u32> {
    loop {
        let Value::Op(j) = v else { return None };
        // A label redefines its arguments on every iteration.
        if rw.is_pinned(j) {
            return None;
        }
        let op = trace.ops.get(j as usize)?;
        match (op.opcode, &op.descr) {
            (Opcode::New, Descr::Size { type_id, .. }) => return Some(*type_id),
            (Opcode::SameAsR, _) if op.args.len() == 1 => v = op.args[0],
            _ => return None,
        }
    }
}

/// `int_neg(int_neg(x))`, `int_invert(int_invert(x))`,
/// `float_neg(float_neg(x))`: `x`.
fn double_negation(trace: &Trace, opcode: Opcode, a: Value, rw: &Rewrite) -> Option<Value> {
    if !matches!(
        opcode,
        Opcode::IntNeg | Opcode::IntInvert | Opcode::FloatNeg
    ) {
        return None;
    }
    match a {
        Value::Op(j) if !rw.is_pinned(j) => {
            let inner = trace.ops.get(j as usize)?;
            (inner.opcode == opcode && inner.args.len() == 1).then(|| inner.args[0])
        }
        _ => None,
    }
}

/// Identities with one non-constant argument (or the same one twice).
fn identity(opcode: Opcode, a: Value, b: Value) -> Option<Value> {
    use Opcode::*;
    let zero = Value::ConstInt(0);
    let (ia, ib) = (int(a), int(b));
    let same = a == b;
    match opcode {
        IntAdd | IntOr | IntXor if ib == Some(0) => Some(a),
        IntAdd | IntOr | IntXor if ia == Some(0) => Some(b),
        IntSub | IntLshift | IntRshift | UintRshift if ib == Some(0) => Some(a),
        IntLshift | IntRshift | UintRshift if ia == Some(0) => Some(zero),
        IntMul if ib == Some(1) => Some(a),
        IntMul if ia == Some(1) => Some(b),
        IntMul | IntAnd if ia == Some(0) || ib == Some(0) => Some(zero),
        IntAnd if ib == Some(-1) => Some(a),
        IntAnd if ia == Some(-1) => Some(b),
        IntOr if ia == Some(-1) || ib == Some(-1) => Some(Value::ConstInt(-1)),
        IntFloorDiv | UintFloorDiv if ib == Some(1) => Some(a),
        IntMod | UintMod if ib == Some(1) => Some(zero),
        IntSignext if ib == Some(8) => Some(a),
        IntAnd | IntOr if same => Some(a),
        IntSub | IntXor if same => Some(zero),
        IntEq | IntLe | IntGe | UintLe | UintGe if same => Some(Value::ConstInt(1)),
        IntNe | IntLt | IntGt | UintLt | UintGt if same => Some(zero),
        _ => None,
    }
}

/// `x op y` on constant ints, None when it must not fold.
fn int_binary(opcode: Opcode, x: i64, y: i64) -> Option<i64> {
    use Opcode::*;
    let (ux, uy) = (x as u64, y as u64);
    let shift = u32::try_from(y).ok().filter(|&s| s < 64);
    Some(match opcode {
        IntAdd => x.wrapping_add(y),
        IntSub => x.wrapping_sub(y),
        IntMul => x.wrapping_mul(y),
        IntFloorDiv => x.checked_div(y)?,
        IntMod => x.checked_rem(y)?,
        UintFloorDiv => ux.checked_div(uy)? as i64,
        UintMod => ux.checked_rem(uy)? as i64,
        IntAnd => x & y,
        IntOr => x | y,
        IntXor => x ^ y,
        IntLshift => x << shift?,
        IntRshift => x >> shift?,
        UintRshift => (ux >> shift?) as i64,
        IntSignext => match y {
            1 => x as i8 as i64,
            2 => x as i16 as i64,
            4 => x as i32 as i64,
            8 => x,
            _ => return None,
        },
        IntLt => (x < y) as i64,
        IntLe => (x <= y) as i64,
        IntGt => (x > y) as i64,
        IntGe => (x >= y) as i64,
        IntEq => (x == y) as i64,
        IntNe => (x != y) as i64,
        UintLt => (ux < uy) as i64,
        UintLe => (ux <= uy) as i64,
        UintGt => (ux > uy) as i64,
        UintGe => (ux >= uy) as i64,
        _ => return None,
    })
}

/// `x op y` on constant floats (IEEE, as the machine does it).
fn float_binary(opcode: Opcode, x: f64, y: f64) -> Option<Value> {
    use Opcode::*;
    Some(match opcode {
        FloatAdd => fl(x + y),
        FloatSub => fl(x - y),
        FloatMul => fl(x * y),
        FloatTrueDiv => fl(x / y),
        FloatLt => bool_int(x < y),
        FloatLe => bool_int(x <= y),
        FloatGt => bool_int(x > y),
        FloatGe => bool_int(x >= y),
        FloatEq => bool_int(x == y),
        FloatNe => bool_int(x != y),
        _ => return None,
    })
}

/// Rust's saturating `f as <kind>`, normalised.
fn saturating_cast(f: f64, k: IntKind) -> Option<i64> {
    Some(match (k.bits, k.signed) {
        (8, true) => f as i8 as i64,
        (16, true) => f as i16 as i64,
        (32, true) => f as i32 as i64,
        (64, true) => f as i64,
        (8, false) => f as u8 as i64,
        (16, false) => f as u16 as i64,
        (32, false) => f as u32 as i64,
        (64, false) => f as u64 as i64,
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
