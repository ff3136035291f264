//! Loop-carried heap values. A peeled loop that reads a field (or array
//! item) of an object that does not change, and writes it back, such as
//! the Brainfuck tape's position, would go through memory on every
//! iteration: a store before the jump, a load after the label. Here the
//! value travels as an extra label argument instead: the preamble passes
//! what it last knew of the place, the jump what the loop last stored,
//! and the loop's reads of it become that argument. `sink` then keeps the
//! place's store pending across the back edge (guards' exits do it), so
//! memory is written only when the loop is left.
//!
//! A place qualifies when its object (and index) are invariant, its kind
//! is not a reference, the loop writes it, and nothing in the loop could
//! see or change it other than exact reads and writes of that very place:
//! no access with the same descr to an object that may be the same
//! (`alias`), no call, no allocation.

use super::alias::{may_alias, may_be_equal, Distinct};
use super::boundary::Boundary;
use super::rewrite::{pinned_ops, remap_value};
use super::sink::Place;
use crate::ops::{Opcode, Type};
use crate::trace::{Op, Trace, Value};

/// A carried place and the label argument holding its value.
pub type Carried = Vec<(Place, Value)>;

/// Carries qualifying places of the loop through its label; returns them
/// (for `sink`).
pub fn carry(trace: &mut Trace) -> Carried {
    let n = trace.ops.len();
    let Some(label) = trace.ops.iter().rposition(|o| o.opcode == Opcode::Label) else {
        return Vec::new();
    };
    let b = Boundary::at(trace, label);
    if !b.loops || n < 2 {
        return Vec::new();
    }
    let places = candidates(trace, label, &b);
    if places.is_empty() {
        return Vec::new();
    }
    // The value of each place at the label, as the preamble left it; None
    // when it must be read there.
    let at_label: Vec<Option<Value>> = places
        .iter()
        .map(|p| known_before(trace, 0, label, p))
        .collect();
    let old = std::mem::take(&mut trace.ops);
    let mut map: Vec<Value> = Vec::with_capacity(n);
    let mut ops: Vec<Op> = Vec::with_capacity(n + 2 * places.len());
    let remap = |op: &mut Op, map: &[Value]| {
        for v in op.uses_mut() {
            if let Value::Op(j) = *v {
                if let Some(&k) = map.get(j as usize) {
                    *v = k;
                }
            }
        }
    };
    let mut carried: Carried = Vec::new();
    let mut current: Vec<Value> = Vec::new();
    for (i, mut op) in old.into_iter().enumerate() {
        remap(&mut op, &map);
        if i == label {
            // One fresh variable per place, for the label to name.
            for (p, v) in places.iter().zip(&at_label) {
                let l = match v {
                    Some(v) => {
                        let v = remap_value(*v, &map);
                        // (The new ops hold what `v` names now.)
                        let ty = match v {
                            Value::Op(k) => ops[k as usize].result_type(),
                            Value::Input(k) => trace.inputs[k as usize],
                            c => {
                                if matches!(c, Value::ConstFloat(_)) {
                                    Type::Float
                                } else {
                                    Type::Int
                                }
                            }
                        };
                        let opc = match ty {
                            Type::Float => Opcode::SameAsF,
                            _ => Opcode::SameAsI,
                        };
                        ops.push(Op::new(opc, vec![v]));
                        Value::Op(ops.len() as u32 - 1)
                    }
                    None => {
                        ops.push(p.read_op(&map));
                        Value::Op(ops.len() as u32 - 1)
                    }
                };
                op.args.push(l);
                carried.push((p.remapped(&map), l));
                current.push(l);
            }
        } else if i > label {
            if let Some(k) = places.iter().position(|p| p.is_read_by(&op, &map)) {
                // A read of a carried place: its current value.
                map.push(current[k]);
                continue;
            }
            if let Some(k) = places.iter().position(|p| p.is_written_by(&op, &map)) {
                current[k] = *op.args.last().expect("a store has a value");
            }
            if i == n - 1 {
                op.args.extend(current.iter().copied());
            }
        }
        map.push(Value::Op(ops.len() as u32));
        ops.push(op);
    }
    trace.ops = ops;
    carried
}

/// The places the loop after `label` may carry.
fn candidates(trace: &Trace, label: usize, b: &Boundary) -> Vec<Place> {
    let body = &trace.ops[label + 1..];
    let mut places: Vec<Place> = Vec::new();
    for op in body {
        if let Some(p) = Place::of(op) {
            if p.values().iter().all(|v| b.invariant(*v)) && !places.contains(&p) {
                places.push(p);
            }
        }
    }
    let pinned = pinned_ops(trace);
    // What the preamble's guards say holds in the loop (on invariant values).
    let distinct = Distinct::before(trace, &pinned, label + 1);
    let apart = |p: &Place, op: &Op| match (p, op.args.as_slice()) {
        (Place::Field(o, _), [obj, ..]) => !may_alias(trace, &pinned, &distinct, *o, *obj),
        (Place::Item(a, x, _), [array, index, ..]) => {
            !may_alias(trace, &pinned, &distinct, *a, *array)
                || (a == array && !may_be_equal(trace, &pinned, *x, *index))
        }
        _ => false,
    };
    places.retain(|p| {
        body.iter().all(|op| {
            if p.is_read_by(op, &[]) || p.is_written_by(op, &[]) {
                return true;
            }
            if p.same_descr(op) && !apart(p, op) {
                return false;
            }
            let f = op.opcode.flags();
            f.pure
                || f.guard
                || matches!(
                    op.opcode,
                    Opcode::DebugMergePoint
                        | Opcode::Jump
                        | Opcode::GetfieldGcI
                        | Opcode::GetfieldGcR
                        | Opcode::GetfieldGcF
                        | Opcode::GetarrayitemGcI
                        | Opcode::GetarrayitemGcR
                        | Opcode::GetarrayitemGcF
                        | Opcode::SetfieldGc
                        | Opcode::SetarrayitemGc
                        | Opcode::ArraylenGc
                )
        })
    });
    places
}

/// What the ops `from..to` leave known of place `p`: the last value read
/// from or stored to it, when nothing after that may have changed it.
fn known_before(trace: &Trace, from: usize, to: usize, p: &Place) -> Option<Value> {
    let mut known = None;
    for (i, op) in trace.ops[from..to].iter().enumerate() {
        if p.is_read_by(op, &[]) {
            known = known.or(Some(Value::Op((from + i) as u32)));
        } else if p.is_written_by(op, &[]) {
            known = op.args.last().copied();
        } else if p.same_descr(op) && !op.opcode.flags().pure {
            if matches!(op.opcode, Opcode::SetfieldGc | Opcode::SetarrayitemGc) {
                known = None;
            }
        } else if op.opcode.flags().call || op.opcode == Opcode::Label {
            known = None;
        }
    }
    known
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{parse, print};

    #[test]
    fn the_position_goes_through_the_label_not_memory() {
        let mut t = parse(
            "[p0, i1]
i2 = getfield_gc_i(p0, descr=<Field 16 u64>)
i3 = int_add(i2, 1)
setfield_gc(p0, i3, descr=<Field 16 u64>)
i4 = uint_lt(i3, i1)
guard_true(i4, descr=<Guard 0>) []
label(p0, i1)
i5 = getfield_gc_i(p0, descr=<Field 16 u64>)
i6 = int_add(i5, 1)
setfield_gc(p0, i6, descr=<Field 16 u64>)
i7 = uint_lt(i6, i1)
guard_true(i7, descr=<Guard 1>) []
jump(p0, i1)
",
        )
        .unwrap();
        let carried = carry(&mut t);
        assert_eq!(carried.len(), 1);
        assert_eq!(
            print(&t, &[]),
            "[p0, i1]
i2 = getfield_gc_i(p0, descr=<Field 16 u64>)
i3 = int_add(i2, 1)
setfield_gc(p0, i3, descr=<Field 16 u64>)
i4 = uint_lt(i3, i1)
guard_true(i4, descr=<Guard 0>) []
i5 = same_as_i(i3)
label(p0, i1, i5)
i6 = int_add(i5, 1)
setfield_gc(p0, i6, descr=<Field 16 u64>)
i7 = uint_lt(i6, i1)
guard_true(i7, descr=<Guard 1>) []
jump(p0, i1, i6)
"
        );
        // With `sink`, the loop stores only on its way out.
        super::super::sink::sink(&mut t, &carried);
        super::super::testutil::assert_well_formed(&t);
        let text = print(&t, &[]);
        let (_, body) = text.split_once("label(").unwrap();
        assert!(
            !body.lines().any(|l| l.starts_with("setfield_gc")),
            "{text}"
        );
        assert!(body.contains("{setfield_gc(p0, i6"), "{text}");
    }

    #[test]
    fn a_guard_before_the_loops_store_leaves_with_the_label_value() {
        let mut t = parse(
            "[p0, i1]
i2 = getfield_gc_i(p0, descr=<Field 16 u64>)
i3 = int_add(i2, 1)
setfield_gc(p0, i3, descr=<Field 16 u64>)
i4 = uint_lt(i3, i1)
guard_true(i4, descr=<Guard 0>) []
label(p0, i1)
i5 = getfield_gc_i(p0, descr=<Field 16 u64>)
i8 = uint_lt(i5, i1)
guard_true(i8, descr=<Guard 1>) []
i6 = int_add(i5, 1)
setfield_gc(p0, i6, descr=<Field 16 u64>)
jump(p0, i1)
",
        )
        .unwrap();
        let carried = carry(&mut t);
        super::super::sink::sink(&mut t, &carried);
        super::super::testutil::assert_well_formed(&t);
        let text = print(&t, &[]);
        // The label's new argument is the preamble's last value (i3).
        assert!(text.contains("i5 = same_as_i(i3)"), "{text}");
        assert!(
            text.contains("guard_true(i6, descr=<Guard 1>) [] {setfield_gc(p0, i5,"),
            "{text}"
        );
    }

    #[test]
    fn a_call_or_another_object_of_the_same_descr_stops_it() {
        for extra in [
            "call_n(p0, descr=<Call 0>)",
            "i9 = getfield_gc_i(p8, descr=<Field 16 u64>)",
        ] {
            let text = format!(
                "[p0, p8]
label(p0, p8)
i5 = getfield_gc_i(p0, descr=<Field 16 u64>)
i6 = int_add(i5, 1)
setfield_gc(p0, i6, descr=<Field 16 u64>)
{extra}
jump(p0, p8)
"
            );
            let mut t = parse(&text).unwrap();
            assert!(carry(&mut t).is_empty(), "{extra}");
        }
    }
}
