//! Common subexpressions: a pure op (or `call_pure_*`) with the same
//! opcode, arguments and descr as an earlier one is replaced by it.
//! Commutative ops match with their arguments swapped. A `call_pure_*`
//! whose callee may read the heap is forgotten at the next heap write. At
//! a label, what holds on every iteration carries over (`boundary`).

use super::boundary::Boundary;
use super::effects::{call_effects, is_call_pure, may_write_heap};
use super::rewrite::Rewrite;
use crate::fasthash::FastMap;
use crate::ops::{Opcode, Type};
use crate::trace::{Descr, Trace, Value};
use abi::CallDescr;

type Table = FastMap<(Opcode, Vec<Value>), Vec<(Descr, Value)>>;

/// Removes repeated pure computations; returns how many ops went.
pub fn cse(trace: &mut Trace, calls: &[CallDescr]) -> usize {
    let mut rw = Rewrite::new(trace);
    let mut pure = Table::default();
    let mut elidable = Table::default();
    for i in 0..trace.ops.len() {
        rw.resolve_args(&mut trace.ops[i]);
        let op = &trace.ops[i];
        if op.opcode == Opcode::Label {
            // What was computed before the label from values that do not
            // change is still there in the loop (`boundary`).
            let b = Boundary::at(trace, i);
            let loop_writes = b.loop_ops(trace).iter().any(|o| may_write_heap(o, calls));
            let keep = |key: &(Opcode, Vec<Value>), entries: &mut Vec<(Descr, Value)>| {
                entries.retain(|(_, v)| b.invariant(*v));
                key.1.iter().all(|a| b.invariant(*a)) && !entries.is_empty()
            };
            pure.retain(keep);
            elidable.retain(|key, entries| {
                if loop_writes || !b.keeps_heap() {
                    entries.retain(|(d, _)| reads_no_heap(d, calls));
                }
                keep(key, entries)
            });
            continue;
        }
        if may_write_heap(op, calls) {
            // Keep only the calls known not to read the heap.
            elidable.retain(|(_, _), entries| {
                entries.retain(|(d, _)| reads_no_heap(d, calls));
                !entries.is_empty()
            });
        }
        if op.result_type() == Type::Void {
            continue;
        }
        let table = if op.opcode.flags().pure {
            &mut pure
        } else if is_call_pure(op.opcode) && call_effects(op, calls).is_none_or(|e| !e.writes_heap)
        {
            &mut elidable
        } else {
            continue;
        };
        let mut args = op.args.clone();
        if commutative(op.opcode) && args.len() == 2 && args[1].order_key() < args[0].order_key() {
            args.swap(0, 1);
        }
        let entries = table.entry((op.opcode, args)).or_default();
        if let Some((_, v)) = entries.iter().find(|(d, _)| *d == op.descr) {
            let v = *v;
            rw.replace(i, v);
        } else {
            entries.push((op.descr.clone(), Value::Op(i as u32)));
        }
    }
    rw.finish(trace)
}

/// Whether a call with descriptor `d` is known not to read the heap.
fn reads_no_heap(d: &Descr, calls: &[CallDescr]) -> bool {
    matches!(d, Descr::Call(n)
        if calls.get(*n as usize).is_some_and(|c| !c.effects.reads_heap))
}

fn commutative(opcode: Opcode) -> bool {
    use Opcode::*;
    matches!(
        opcode,
        IntAdd | IntMul | IntAnd | IntOr | IntXor | IntEq | IntNe | PtrEq | PtrNe
    )
}

#[cfg(test)]
mod tests;
