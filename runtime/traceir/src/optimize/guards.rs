//! Guard simplification: a guard whose condition is already known to hold
//! (a constant, an earlier guard on the same value or on the same integer
//! comparison, its negation or its mirror image — `guard_false(a <= b)`
//! proves `guard_true(b < a)` —, `guard_nonnull` of a fresh allocation) is
//! removed. A guard that always fails, or one that
//! cannot be proved, stays.
//!
//! Guards of a value against constants also bound it (`x < 10` gives
//! `x <= 9`, signed or unsigned as the comparison is): a later comparison
//! of it with a constant that the bounds decide needs no guard (after
//! `uint_lt(2, n)`, `uint_lt(1, n)` holds).
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
    let mut bounds = Bounds::default();
    for i in 0..trace.ops.len() {
        rw.resolve_args(&mut trace.ops[i]);
        let op = &mut trace.ops[i];
        if op.opcode == Opcode::Label {
            // Facts about values that do not change hold in the loop.
            let b = Boundary::at(trace, i);
            equal.retain(|v, _| b.invariant(*v));
            nonzero.retain(|v| b.invariant(*v));
            known.retain(|(_, x, y), _| b.invariant(*x) && b.invariant(*y));
            bounds.signed.retain(|v, _| b.invariant(*v));
            bounds.unsigned.retain(|v, _| b.invariant(*v));
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
                if known.get(&c) == Some(&want) || bounds.decide(c) == Some(want) {
                    rw.remove(i);
                    continue;
                }
                learn(&mut known, c, want);
                bounds.learn(c, want);
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

/// What guards against constants proved of values: inclusive ranges,
/// as signed and as unsigned numbers.
#[derive(Default)]
struct Bounds {
    signed: FastMap<Value, (i64, i64)>,
    unsigned: FastMap<Value, (u64, u64)>,
}

/// `(op, x, c)` with the constant on the right (None when neither or both
/// sides are constants).
fn against_constant(c: (Opcode, Value, Value)) -> Option<(Opcode, Value, i64)> {
    match c {
        (op, x, Value::ConstInt(k)) if !x.is_const() => Some((op, x, k)),
        (op, Value::ConstInt(k), x) if !x.is_const() => Some((swapped(op), x, k)),
        _ => None,
    }
}

impl Bounds {
    /// The truth of comparison `c` if the bounds decide it.
    fn decide(&self, c: (Opcode, Value, Value)) -> Option<bool> {
        use Opcode::*;
        let (op, x, k) = against_constant(c)?;
        let within = |lo: bool, hi: bool| -> Option<bool> {
            // `lo`: the comparison holds for every value in range; `hi`:
            // for none.
            if lo {
                Some(true)
            } else if hi {
                Some(false)
            } else {
                None
            }
        };
        match op {
            IntLt | IntLe | IntGt | IntGe | IntEq | IntNe => {
                let &(lo, hi) = self.signed.get(&x)?;
                match op {
                    IntLt => within(hi < k, lo >= k),
                    IntLe => within(hi <= k, lo > k),
                    IntGt => within(lo > k, hi <= k),
                    IntGe => within(lo >= k, hi < k),
                    IntEq => within(lo == k && hi == k, k < lo || k > hi),
                    _ => within(k < lo || k > hi, lo == k && hi == k),
                }
            }
            UintLt | UintLe | UintGt | UintGe => {
                let &(lo, hi) = self.unsigned.get(&x)?;
                let k = k as u64;
                match op {
                    UintLt => within(hi < k, lo >= k),
                    UintLe => within(hi <= k, lo > k),
                    UintGt => within(lo > k, hi <= k),
                    _ => within(lo >= k, hi < k),
                }
            }
            _ => None,
        }
    }

    /// Narrows the bounds with comparison `c` known to be `truth`.
    fn learn(&mut self, c: (Opcode, Value, Value), truth: bool) {
        use Opcode::*;
        let Some((op, x, k)) = against_constant(c) else {
            return;
        };
        let op = if truth {
            op
        } else {
            match negated(op) {
                Some(n) => n,
                None => return,
            }
        };
        // The range the comparison leaves (None: nothing to learn, or no
        // value satisfies it, where the guard always fails).
        let signed = match op {
            IntLt => k.checked_sub(1).map(|h| (i64::MIN, h)),
            IntLe => Some((i64::MIN, k)),
            IntGt => k.checked_add(1).map(|l| (l, i64::MAX)),
            IntGe => Some((k, i64::MAX)),
            IntEq => Some((k, k)),
            _ => None,
        };
        if let Some((l, h)) = signed {
            let e = self.signed.entry(x).or_insert((i64::MIN, i64::MAX));
            *e = (e.0.max(l), e.1.min(h));
        }
        let k = k as u64;
        let unsigned = match op {
            UintLt => k.checked_sub(1).map(|h| (0, h)),
            UintLe => Some((0, k)),
            UintGt => k.checked_add(1).map(|l| (l, u64::MAX)),
            UintGe => Some((k, u64::MAX)),
            IntEq => Some((k, k)),
            _ => None,
        };
        if let Some((l, h)) = unsigned {
            let e = self.unsigned.entry(x).or_insert((0, u64::MAX));
            *e = (e.0.max(l), e.1.min(h));
        }
    }
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
