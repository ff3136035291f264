//! Guard strengthening: in a run of unsigned bounds guards `x + c < n` on
//! the same `x` and `n` with constant offsets `c >= 0`, as a Brainfuck
//! `>>>>>>>>>` makes (each move checks the new position against the
//! tape's length), the first guard checks the largest offset instead (and
//! that `x + c_max` does not wrap) and the later ones go: nine compares
//! and branches become two.
//!
//! The first guard then fails a little early (when `x + 1 < n` holds but
//! `x + 9 < n` does not), which is correct: its resume data is the state
//! at that guard, from where the interpreter redoes the moves, each with
//! its own check. Between the guards anything may happen (stores, calls):
//! failing at the first guard comes before all of it. A label ends a run
//! (after it the values are loop-carried).

use super::rewrite::{definition, pinned_ops};
use crate::ops::Opcode;
use crate::trace::{Descr, Op, Trace, Value};

/// A guard `x + c < n` (unsigned): its op index and `c`.
#[derive(Copy, Clone)]
struct Bound {
    guard: usize,
    c: i64,
}

/// Strengthens the first guard of each run; returns how many guards went.
pub fn strengthen(trace: &mut Trace) -> usize {
    let pinned = pinned_ops(trace);
    // Runs by (x, n), in order, reset at each label.
    let mut runs: Vec<((Value, Value), Vec<Bound>)> = Vec::new();
    let mut open: Vec<usize> = Vec::new(); // indices into `runs` since the last label
    for (i, op) in trace.ops.iter().enumerate() {
        if op.opcode == Opcode::Label {
            open.clear();
            continue;
        }
        let Some((x, c, n)) = bound_of(trace, &pinned, op) else {
            continue;
        };
        match open.iter().find(|&&r| runs[r].0 == (x, n)) {
            Some(&r) => runs[r].1.push(Bound { guard: i, c }),
            None => {
                open.push(runs.len());
                runs.push(((x, n), vec![Bound { guard: i, c }]));
            }
        }
    }
    let mut first: Vec<Option<(Value, Value, i64)>> = vec![None; trace.ops.len()];
    let mut removed = vec![false; trace.ops.len()];
    let mut count = 0;
    for ((x, n), run) in &runs {
        let c_max = run.iter().map(|b| b.c).max().unwrap_or(0);
        if run.len() < 2 || c_max == 0 {
            continue; // one guard, or repeats of `x < n` (cse's)
        }
        first[run[0].guard] = Some((*x, *n, c_max));
        for b in &run[1..] {
            removed[b.guard] = true;
            count += 1;
        }
    }
    if count == 0 {
        return 0;
    }
    let old = std::mem::take(&mut trace.ops);
    let mut map: Vec<Value> = Vec::with_capacity(old.len());
    let remap = |v: Value, map: &[Value]| match v {
        Value::Op(j) => map.get(j as usize).copied().unwrap_or(v),
        _ => v,
    };
    for (i, mut op) in old.into_iter().enumerate() {
        for v in op.uses_mut() {
            *v = remap(*v, &map);
        }
        if removed[i] {
            map.push(Value::Null); // a guard: no result
            continue;
        }
        if let Some((x, n, c)) = first[i] {
            let (x, n) = (remap(x, &map), remap(n, &map));
            // `x <= u64::MAX - c`: `x + c` does not wrap.
            let limit = Value::ConstInt((u64::MAX - c as u64) as i64);
            let fits = trace.push(Op::new(Opcode::UintLe, vec![x, limit]));
            let mut g = op.clone();
            g.opcode = Opcode::GuardTrue;
            g.args = vec![fits];
            trace.ops.push(g);
            let sum = trace.push(Op::new(Opcode::IntAdd, vec![x, Value::ConstInt(c)]));
            let within = trace.push(Op::new(Opcode::UintLt, vec![sum, n]));
            op.opcode = Opcode::GuardTrue;
            op.args = vec![within];
        }
        let has_result = op.result_type() != crate::ops::Type::Void;
        let v = trace.push(op);
        map.push(if has_result { v } else { Value::Null });
    }
    count
}

/// `op` as a guard `x + c < n` (unsigned, `c >= 0` a constant).
fn bound_of(trace: &Trace, pinned: &[bool], op: &Op) -> Option<(Value, i64, Value)> {
    use Opcode::*;
    if !matches!(op.descr, Descr::None) || op.args.len() != 1 {
        return None; // a restart guard enters another trace: left alone
    }
    let cond = definition(trace, pinned, op.args[0])?;
    let (a, b) = (*cond.args.first()?, *cond.args.get(1)?);
    let (lhs, n) = match (op.opcode, cond.opcode) {
        (GuardTrue, UintLt) | (GuardFalse, UintGe) => (a, b),
        (GuardTrue, UintGt) | (GuardFalse, UintLe) => (b, a),
        _ => return None,
    };
    if let Some(add) = definition(trace, pinned, lhs).filter(|d| d.opcode == IntAdd) {
        match (add.args[0], add.args[1]) {
            (x, Value::ConstInt(c)) | (Value::ConstInt(c), x) if c >= 0 && !x.is_const() => {
                return Some((x, c, n));
            }
            _ => {}
        }
    }
    (!lhs.is_const()).then_some((lhs, 0, n))
}

#[cfg(test)]
mod tests;
