//! Dead code removal: pure ops, heap reads, `new` and `call_pure_*` calls
//! that cannot panic (nor write the heap) are dropped when their result is
//! unused. Guards, stores, other calls, `new_array` (its length may be
//! huge) and control ops stay.

use super::effects::{call_effects, is_call_pure};
use super::rewrite::Rewrite;
use crate::ops::{Opcode, Type};
use crate::trace::{Op, Trace, Value};
use abi::CallDescr;

/// Removes unused side-effect-free ops; returns how many went.
pub fn dce(trace: &mut Trace, calls: &[CallDescr]) -> usize {
    let mut rw = Rewrite::new(trace);
    let mut used = vec![false; trace.ops.len()];
    for (i, op) in trace.ops.iter().enumerate().rev() {
        if !used[i] && removable(op, calls) {
            rw.remove(i);
            continue;
        }
        for v in op.uses() {
            if let Value::Op(j) = *v {
                if let Some(u) = used.get_mut(j as usize) {
                    *u = true;
                }
            }
        }
    }
    rw.finish(trace)
}

fn removable(op: &Op, calls: &[CallDescr]) -> bool {
    let f = op.opcode.flags();
    if is_call_pure(op.opcode) {
        return call_effects(op, calls)
            .is_some_and(|e| !e.can_panic && !e.writes_heap && !e.noreturn);
    }
    op.result_type() != Type::Void
        && (f.pure || (f.reads_heap && !f.side_effect && !f.call) || op.opcode == Opcode::New)
}

#[cfg(test)]
mod tests;
