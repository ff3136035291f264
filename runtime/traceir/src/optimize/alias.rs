//! May two references be one object, may two indices be equal? The heap
//! passes ask before they let a store to one place make them forget (or
//! see) another place of the same descr.
//!
//! Two references are known apart when they are different constants, when
//! one is an allocation the other existed before (or is another
//! allocation), or when a guard that passed said so: `guard_true(ptr_ne(a,
//! b))` or `guard_false(ptr_eq(a, b))` (`Distinct`; `unalias` inserts such
//! guards where a loop writes one array and reads another of the same
//! descr). Two indices are known apart when they are different constants,
//! or one base plus different constants (a stack machine's `sp` and
//! `sp + 1`).

use super::boundary::Boundary;
use super::rewrite::definition;
use crate::ops::Opcode;
use crate::trace::{Op, Trace, Value};

/// Pairs of references known to be different objects, from the guards a
/// pass has gone past.
#[derive(Default, Clone, Debug)]
pub(crate) struct Distinct {
    pairs: Vec<(Value, Value)>,
}

fn ordered(a: Value, b: Value) -> (Value, Value) {
    if a.order_key() <= b.order_key() {
        (a, b)
    } else {
        (b, a)
    }
}

impl Distinct {
    /// Notes what guard `op` says once it passed (nothing for other ops).
    pub fn note(&mut self, trace: &Trace, pinned: &[bool], op: &Op) {
        let want = match op.opcode {
            Opcode::GuardTrue => Opcode::PtrNe,
            Opcode::GuardFalse => Opcode::PtrEq,
            _ => return,
        };
        let Some(&cond) = op.args.first() else {
            return;
        };
        let Some(def) = definition(trace, pinned, cond) else {
            return;
        };
        if def.opcode == want && def.args.len() == 2 && def.args[0] != def.args[1] {
            let p = ordered(def.args[0], def.args[1]);
            if !self.pairs.contains(&p) {
                self.pairs.push(p);
            }
        }
    }

    /// At a label: keeps what holds on every iteration of the loop after it.
    pub fn at_label(&mut self, b: &Boundary) {
        self.pairs
            .retain(|(x, y)| b.invariant(*x) && b.invariant(*y));
    }

    pub fn known(&self, a: Value, b: Value) -> bool {
        self.pairs.contains(&ordered(a, b))
    }

    /// What the guards among `trace.ops[..end]` say (on values as
    /// numbered there), keeping across a label only what holds in its loop.
    pub fn before(trace: &Trace, pinned: &[bool], end: usize) -> Distinct {
        let mut d = Distinct::default();
        for (i, op) in trace.ops[..end.min(trace.ops.len())].iter().enumerate() {
            if op.opcode == Opcode::Label {
                d.at_label(&Boundary::at(trace, i));
            } else {
                d.note(trace, pinned, op);
            }
        }
        d
    }
}

/// Whether two reference values may be the same object.
pub(crate) fn may_alias(
    trace: &Trace,
    pinned: &[bool],
    distinct: &Distinct,
    a: Value,
    b: Value,
) -> bool {
    if a == b {
        return true;
    }
    let address = |v: Value| match v {
        Value::Null => Some(0),
        Value::ConstRef(i) => trace.gcrefs.get(i as usize).copied(),
        _ => None,
    };
    if let (Some(x), Some(y)) = (address(a), address(b)) {
        return x == y;
    }
    !(distinct.known(a, b)
        || fresh_before(trace, pinned, a, b)
        || fresh_before(trace, pinned, b, a))
}

/// Whether `a` is an allocation and `b` existed before it (or is another
/// allocation), so they cannot be the same object.
fn fresh_before(trace: &Trace, pinned: &[bool], a: Value, b: Value) -> bool {
    let Value::Op(k) = a else { return false };
    // A value a label names is the jump's, not a fresh allocation.
    if pinned.get(k as usize).copied().unwrap_or(true) {
        return false;
    }
    let is_new = |j: u32| {
        trace
            .ops
            .get(j as usize)
            .is_some_and(|op| matches!(op.opcode, Opcode::New | Opcode::NewArray))
    };
    if !is_new(k) {
        return false;
    }
    match b {
        Value::Op(j) => j < k || is_new(j),
        _ => true,
    }
}

/// Whether two int values may be equal: not when both are constants that
/// differ, or the same value plus different constants (a stack machine's
/// `sp` and `sp + 1`).
pub(crate) fn may_be_equal(trace: &Trace, pinned: &[bool], a: Value, b: Value) -> bool {
    match (a, b) {
        (Value::ConstInt(x), Value::ConstInt(y)) => x == y,
        _ => {
            let (ba, ca) = base_offset(trace, pinned, a);
            let (bb, cb) = base_offset(trace, pinned, b);
            ba != bb || ca == cb
        }
    }
}

/// `v` as `base + offset` when it is an add or subtract of a constant.
fn base_offset(trace: &Trace, pinned: &[bool], v: Value) -> (Value, i64) {
    match definition(trace, pinned, v).map(|op| (op.opcode, op.args.as_slice())) {
        Some((Opcode::IntAdd, [x, Value::ConstInt(c)]))
        | Some((Opcode::IntAdd, [Value::ConstInt(c), x]))
            if !x.is_const() =>
        {
            (*x, *c)
        }
        Some((Opcode::IntSub, [x, Value::ConstInt(c)])) if !x.is_const() => (*x, c.wrapping_neg()),
        _ => (v, 0),
    }
}
