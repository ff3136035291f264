//! Guard simplification: a guard whose condition is already known to hold
//! (a constant, an earlier guard on the same value, `guard_nonnull` of a
//! fresh allocation) is removed. A guard that always fails, or one that
//! cannot be proved, stays.
//!
//! A guard that pins a value (`guard_value(x, c)`, `guard_false(x)`,
//! `guard_isnull(p)`) also replaces that value by the constant in the ops
//! after it (not in a `label`; everything is forgotten at a label).

use super::rewrite::Rewrite;
use crate::ops::Opcode;
use crate::trace::{Trace, Value};
use std::collections::{HashMap, HashSet};

/// Removes guards that cannot fail; returns how many went.
pub fn guards(trace: &mut Trace) -> usize {
    let mut rw = Rewrite::new(trace);
    // Values known equal to a constant after a guard.
    let mut equal: HashMap<Value, Value> = HashMap::new();
    // Values known nonzero (ints) or nonnull (refs).
    let mut nonzero: HashSet<Value> = HashSet::new();
    for i in 0..trace.ops.len() {
        rw.resolve_args(&mut trace.ops[i]);
        let op = &mut trace.ops[i];
        if op.opcode == Opcode::Label {
            equal.clear();
            nonzero.clear();
            continue;
        }
        for v in op.args.iter_mut().chain(op.fail_args.iter_mut()) {
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
                Value::Op(j) if fresh(trace, j) => true,
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

/// Whether op `j` allocates (its result is never null).
fn fresh(trace: &Trace, j: u32) -> bool {
    trace
        .ops
        .get(j as usize)
        .is_some_and(|op| matches!(op.opcode, Opcode::New | Opcode::NewArray))
}

#[cfg(test)]
mod tests;
