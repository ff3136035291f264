//! Guard simplification: a guard whose condition is already known to hold
//! (a constant, an earlier guard on the same value or on the same integer
//! comparison, its negation or its mirror image — `guard_false(a <= b)`
//! proves `guard_true(b < a)` —, `guard_nonnull` of a fresh allocation) is
//! removed. A guard that always fails, or one that
//! cannot be proved, stays.
//!
//! A guard that pins a value (`guard_value(x, c)`, `guard_false(x)`,
//! `guard_isnull(p)`) also replaces that value by the constant in the ops
//! after it (not in a `label`). At a label, facts about values that do
//! not change between iterations carry over (`boundary`).

use super::boundary::Boundary;
use super::rewrite::Rewrite;
use crate::fasthash::{FastMap, FastSet};
use crate::ops::Opcode;
use crate::trace::{Trace, Value};

/// Removes guards that cannot fail; returns how many went.
pub fn guards(trace: &mut Trace) -> usize {
    let mut rw = Rewrite::new(trace);
    // Values known equal to a constant after a guard.
    let mut equal: FastMap<Value, Value> = FastMap::default();
    // Values known nonzero (ints) or nonnull (refs).
    let mut nonzero: FastSet<Value> = FastSet::default();
    // Integer comparisons known true or false (a guard checked them, or
    // their negation, or the same with the arguments swapped).
    let mut known: FastMap<(Opcode, Value, Value), bool> = FastMap::default();
    for i in 0..trace.ops.len() {
        rw.resolve_args(&mut trace.ops[i]);
        let op = &mut trace.ops[i];
        if op.opcode == Opcode::Label {
            // Facts about values that do not change hold in the loop.
            let b = Boundary::at(trace, i);
            equal.retain(|v, _| b.invariant(*v));
            nonzero.retain(|v| b.invariant(*v));
            known.retain(|(_, x, y), _| b.invariant(*x) && b.invariant(*y));
            continue;
        }
        for v in op.uses_mut() {
            if let Some(&c) = equal.get(v) {
                *v = c;
            }
        }
        let op = &trace.ops[i];
        if !op.opcode.flags().guard {
            continue;
        }
        let a = op.args.first().copied();
        let b = op.args.get(1).copied();
        // A guard on a comparison: known already, or known from now on.
        if let (Opcode::GuardTrue | Opcode::GuardFalse, Some(Value::Op(j))) = (op.opcode, a) {
            if let Some(c) = comparison(trace, j).filter(|_| !rw.is_pinned(j)) {
                let want = op.opcode == Opcode::GuardTrue;
                if known.get(&c) == Some(&want) {
                    rw.remove(i);
                    continue;
                }
                learn(&mut known, c, want);
            }
        }
        let holds = match (op.opcode, a) {
            (Opcode::GuardTrue, Some(a)) => match a {
                Value::ConstInt(c) => c != 0,
                _ => !nonzero.insert(a),
            },
            (Opcode::GuardFalse, Some(a)) => match a {
                Value::ConstInt(c) => c == 0,
                _ => {
                    equal.insert(a, Value::ConstInt(0));
                    false
                }
            },
            (Opcode::GuardValue, Some(a)) => match b {
                Some(b) if a == b => true,
                Some(b) if !a.is_const() && b.is_const() => {
                    equal.insert(a, b);
                    if b != Value::ConstInt(0) && b != Value::Null {
                        nonzero.insert(a);
                    }
                    false
                }
                _ => false,
            },
            (Opcode::GuardNonnull, Some(a)) => match a {
                Value::ConstRef(r) => trace.gcrefs.get(r as usize).is_some_and(|&p| p != 0),
                Value::Null => false,
                Value::Op(j) if fresh(trace, j) && !rw.is_pinned(j) => true,
                _ => !nonzero.insert(a),
            },
            (Opcode::GuardIsnull, Some(a)) => match a {
                Value::Null => true,
                _ if a.is_const() => false,
                _ => {
                    equal.insert(a, Value::Null);
                    false
                }
            },
            _ => false,
        };
        if holds {
            rw.remove(i);
        }
    }
    rw.finish(trace)
}

/// Op `j` as an integer comparison `(opcode, a, b)`.
fn comparison(trace: &Trace, j: u32) -> Option<(Opcode, Value, Value)> {
    let op = trace.ops.get(j as usize)?;
    (negated(op.opcode).is_some() && op.args.len() == 2)
        .then(|| (op.opcode, op.args[0], op.args[1]))
}

/// The comparison that is true exactly when `c` is false (ints only:
/// floats have NaN).
fn negated(c: Opcode) -> Option<Opcode> {
    use Opcode::*;
    Some(match c {
        IntLt => IntGe,
        IntGe => IntLt,
        IntLe => IntGt,
        IntGt => IntLe,
        IntEq => IntNe,
        IntNe => IntEq,
        UintLt => UintGe,
        UintGe => UintLt,
        UintLe => UintGt,
        UintGt => UintLe,
        _ => return None,
    })
}

/// `a c b` is `b swapped(c) a`.
fn swapped(c: Opcode) -> Opcode {
    use Opcode::*;
    match c {
        IntLt => IntGt,
        IntGt => IntLt,
        IntLe => IntGe,
        IntGe => IntLe,
        UintLt => UintGt,
        UintGt => UintLt,
        UintLe => UintGe,
        UintGe => UintLe,
        other => other,
    }
}

/// Records that `c` is `truth`, with its negation and swapped forms.
fn learn(
    known: &mut FastMap<(Opcode, Value, Value), bool>,
    c: (Opcode, Value, Value),
    truth: bool,
) {
    let (op, a, b) = c;
    let Some(neg) = negated(op) else { return };
    known.insert((op, a, b), truth);
    known.insert((neg, a, b), !truth);
    known.insert((swapped(op), b, a), truth);
    known.insert((swapped(neg), b, a), !truth);
}

/// Whether op `j` allocates (its result is never null).
fn fresh(trace: &Trace, j: u32) -> bool {
    trace
        .ops
        .get(j as usize)
        .is_some_and(|op| matches!(op.opcode, Opcode::New | Opcode::NewArray))
}

#[cfg(test)]
mod tests;
