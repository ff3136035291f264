//! Dead stores: a `setfield_gc` or `setarrayitem_gc` to the same object,
//! field (or index) and descr as a later one, with nothing in between that
//! could see the first value, is removed. What could see it: a read of
//! that descr, a guard (its exit resumes the interpreter, which reads the
//! heap), a call, an allocation (it may collect), a label, jump or finish.
//! A store to another place does not see it, so runs of stores to one
//! cell (a Brainfuck `+++++`) keep only the last, nor does a read of an
//! object known to be another (`alias`).

use super::alias::{may_alias, Distinct};
use super::boundary::Boundary;
use super::rewrite::{pinned_ops, Rewrite};
use crate::fasthash::FastMap;
use crate::ops::Opcode;
use crate::trace::{Descr, Trace, Value};

#[derive(PartialEq, Eq, Hash, Clone)]
enum Place {
    Field(Value, abi::FieldDescr),
    Item(Value, Value, abi::ArrayDescr),
}

/// Removes stores overwritten before they can be seen; returns how many.
pub fn dse(trace: &mut Trace) -> usize {
    use Opcode::*;
    let mut rw = Rewrite::new(trace);
    // The pending (not yet seen) store to each place.
    let mut pending: FastMap<Place, usize> = FastMap::default();
    let pinned = pinned_ops(trace);
    let mut distinct = Distinct::default();
    for i in 0..trace.ops.len() {
        rw.resolve_args(&mut trace.ops[i]);
        let op = &trace.ops[i];
        let a = &op.args;
        if op.opcode == Label {
            distinct.at_label(&Boundary::at(trace, i));
        } else {
            distinct.note(trace, &pinned, op);
        }
        let place = match (op.opcode, &op.descr) {
            (SetfieldGc, Descr::Field(fd)) if a.len() == 2 => Some(Place::Field(a[0], *fd)),
            (SetarrayitemGc, Descr::Array(ad)) if a.len() == 3 => {
                Some(Place::Item(a[0], a[1], *ad))
            }
            _ => None,
        };
        if let Some(p) = place {
            if let Some(earlier) = pending.insert(p, i) {
                rw.remove(earlier);
            }
            continue;
        }
        match (op.opcode, &op.descr) {
            (GetfieldGcI | GetfieldGcR | GetfieldGcF, Descr::Field(fd)) if !a.is_empty() => {
                let sees = |o: Value| may_alias(trace, &pinned, &distinct, o, a[0]);
                pending.retain(|p, _| !matches!(p, Place::Field(o, d) if d == fd && sees(*o)));
            }
            (GetarrayitemGcI | GetarrayitemGcR | GetarrayitemGcF, Descr::Array(ad))
                if !a.is_empty() =>
            {
                let sees = |o: Value| may_alias(trace, &pinned, &distinct, o, a[0]);
                pending.retain(|p, _| !matches!(p, Place::Item(o, _, d) if d == ad && sees(*o)));
            }
            // Pure ops and debug markers see nothing of the heap.
            _ if op.opcode.flags().pure || op.opcode == DebugMergePoint => {}
            _ => pending.clear(),
        }
    }
    rw.finish(trace)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{parse, print};

    #[test]
    fn keeps_only_the_last_of_a_run_of_stores() {
        let mut t = parse(
            "[p0, i1]
setarrayitem_gc(p0, i1, 1, descr=<Array u8>)
setfield_gc(p0, 5, descr=<Field 8 u64>)
setarrayitem_gc(p0, i1, 2, descr=<Array u8>)
setarrayitem_gc(p0, 0, 7, descr=<Array u8>)
setarrayitem_gc(p0, i1, 3, descr=<Array u8>)
setfield_gc(p0, 6, descr=<Field 8 u64>)
finish()
",
        )
        .unwrap();
        assert_eq!(dse(&mut t), 3);
        assert_eq!(
            print(&t, &[]),
            "[p0, i1]
setarrayitem_gc(p0, 0, 7, descr=<Array u8>)
setarrayitem_gc(p0, i1, 3, descr=<Array u8>)
setfield_gc(p0, 6, descr=<Field 8 u64>)
finish()
"
        );
    }

    #[test]
    fn a_read_guard_or_call_in_between_keeps_the_store() {
        let text = "[p0, i1, p2]
setarrayitem_gc(p0, i1, 1, descr=<Array u8>)
i3 = getarrayitem_gc_i(p2, 0, descr=<Array u8>)
setarrayitem_gc(p0, i1, 2, descr=<Array u8>)
guard_true(i3, descr=<Guard 0>) []
setarrayitem_gc(p0, i1, 3, descr=<Array u8>)
call_n(p0, descr=<Call 0>)
setarrayitem_gc(p0, i1, 4, descr=<Array u8>)
p4 = new(descr=<Size 1 16>)
setarrayitem_gc(p0, i1, 5, descr=<Array u8>)
finish(p4)
";
        let mut t = parse(text).unwrap();
        assert_eq!(dse(&mut t), 0);
        assert_eq!(print(&t, &[]), print(&parse(text).unwrap(), &[]));
    }
}
