//! The heap cache: a `getfield_gc_*` of an (object, field) whose value is
//! known from an earlier read or write is replaced by that value, and the
//! same for `getarrayitem_gc_*` of an (array, index, descr).
//!
//! What is known is forgotten when the heap may change: a `setfield_gc`
//! forgets its field on every object that may be the same (see
//! `may_overwrite`) (two constants at different addresses are not; a fresh allocation
//! is not any value that existed before it, nor another allocation); a
//! `setarrayitem_gc` forgets the items of arrays that may be the same at
//! indices that may be equal; a call whose effects say it writes the heap
//! (or whose descriptor is unknown) forgets everything. At a label, what
//! was read of values that do not change carries over unless the loop may
//! overwrite it (`boundary`). Guards and allocations forget nothing. Fields and array items
//! are disjoint memory. A store of an int into a narrow field is only
//! remembered when the value is known to be normalised for that kind.

use super::alias::{may_alias, may_be_equal, Distinct};
use super::boundary::Boundary;
use super::effects::may_write_heap;
use super::rewrite::Rewrite;
use crate::fasthash::FastMap;
use crate::ops::{Opcode, Type};
use crate::trace::{Descr, Trace, Value};
use abi::{ArrayDescr, CallDescr, FieldDescr, IntKind, Kind};

/// Replaces reads of known heap values; returns how many ops went.
pub fn heap(trace: &mut Trace, calls: &[CallDescr]) -> usize {
    use Opcode::*;
    let mut rw = Rewrite::new(trace);
    let pinned = super::rewrite::pinned_ops(trace);
    let mut fields: FastMap<(Value, FieldDescr), Value> = FastMap::default();
    let mut items: FastMap<(Value, Value, ArrayDescr), Value> = FastMap::default();
    let mut distinct = Distinct::default();
    for i in 0..trace.ops.len() {
        rw.resolve_args(&mut trace.ops[i]);
        let op = &trace.ops[i];
        let args = &op.args;
        distinct.note(trace, &pinned, op);
        match (op.opcode, &op.descr) {
            (Label, _) => {
                let b = Boundary::at(trace, i);
                distinct.at_label(&b);
                if !b.keeps_heap() {
                    fields.clear();
                    items.clear();
                    continue;
                }
                // Keep what the preamble read of values that do not change,
                // unless the loop may overwrite it.
                fields.retain(|(o, _), v| b.invariant(*o) && b.invariant(*v));
                items.retain(|(a, x, _), v| b.invariant(*a) && b.invariant(*x) && b.invariant(*v));
                for w in b.loop_ops(trace) {
                    match (w.opcode, &w.descr) {
                        (SetfieldGc, Descr::Field(fd)) if w.args.len() == 2 => {
                            let obj = w.args[0];
                            fields.retain(|(o, d), _| {
                                !may_overwrite(trace, &pinned, &distinct, (*o, d), (obj, fd))
                            });
                        }
                        (SetarrayitemGc, Descr::Array(ad)) if w.args.len() == 3 => {
                            let (array, index) = (w.args[0], w.args[1]);
                            items.retain(|(a, x, d), _| {
                                !may_alias(trace, &pinned, &distinct, *a, array)
                                    || (d == ad && !may_be_equal(trace, &pinned, *x, index))
                            });
                        }
                        _ if may_write_heap(w, calls) => {
                            fields.clear();
                            items.clear();
                        }
                        _ => {}
                    }
                }
            }
            (GetfieldGcI | GetfieldGcR | GetfieldGcF, Descr::Field(fd)) if args.len() == 1 => {
                let key = (args[0], *fd);
                match fields.get(&key) {
                    Some(&v) if value_type(trace, v) == Some(op.result_type()) => {
                        rw.replace(i, v);
                    }
                    _ => {
                        fields.insert(key, Value::Op(i as u32));
                    }
                }
            }
            (SetfieldGc, Descr::Field(fd)) if args.len() == 2 => {
                let (obj, value) = (args[0], args[1]);
                fields.retain(|(o, d), _| {
                    !may_overwrite(trace, &pinned, &distinct, (*o, d), (obj, fd))
                });
                if let Some(v) = normalised(trace, &pinned, value, fd.kind) {
                    fields.insert((obj, *fd), v);
                }
            }
            (GetarrayitemGcI | GetarrayitemGcR | GetarrayitemGcF, Descr::Array(ad))
                if args.len() == 2 =>
            {
                let key = (args[0], args[1], *ad);
                match items.get(&key) {
                    Some(&v) if value_type(trace, v) == Some(op.result_type()) => {
                        rw.replace(i, v);
                    }
                    _ => {
                        items.insert(key, Value::Op(i as u32));
                    }
                }
            }
            (SetarrayitemGc, Descr::Array(ad)) if args.len() == 3 => {
                let (array, index, value) = (args[0], args[1], args[2]);
                items.retain(|(a, x, d), _| {
                    !may_alias(trace, &pinned, &distinct, *a, array)
                        || (d == ad && !may_be_equal(trace, &pinned, *x, index))
                });
                if let Some(v) = normalised(trace, &pinned, value, ad.item) {
                    items.insert((array, index, *ad), v);
                }
            }
            _ if may_write_heap(op, calls) => {
                fields.clear();
                items.clear();
            }
            _ => {}
        }
    }
    rw.finish(trace)
}

/// The type of `v`, None for a dangling reference.
fn value_type(trace: &Trace, v: Value) -> Option<Type> {
    match v {
        Value::Input(i) => trace.inputs.get(i as usize).copied(),
        Value::Op(i) => trace.ops.get(i as usize).map(|op| op.result_type()),
        _ => Some(trace.type_of(v)),
    }
}

/// Whether a store to field `b` of `obj_b` may change what a read of field
/// `a` of `obj_a` gives. Fields of one object type never overlap, so two
/// different descrs that overlap belong to different types, hence to
/// different objects: on two values that are not the same, only the same
/// descr (offset and kind) can. On one value, any overlap counts. (When
/// one object may hold differently laid out payloads at one offset, as
/// enum variants would, their descrs must say so before this can stay.)
fn may_overwrite(
    trace: &Trace,
    pinned: &[bool],
    distinct: &Distinct,
    (obj_a, a): (Value, &FieldDescr),
    (obj_b, b): (Value, &FieldDescr),
) -> bool {
    if obj_a == obj_b {
        return overlap(a, b);
    }
    a == b && may_alias(trace, pinned, distinct, obj_a, obj_b)
}

/// Whether two fields share a byte.
fn overlap(a: &FieldDescr, b: &FieldDescr) -> bool {
    let (a0, b0) = (a.offset as u64, b.offset as u64);
    a0 < b0 + b.kind.bytes() as u64 && b0 < a0 + a.kind.bytes() as u64
}

/// The value a later read of `kind` gives after storing `v`, when it is
/// known.
fn normalised(trace: &Trace, pinned: &[bool], v: Value, kind: Kind) -> Option<Value> {
    let k = match kind {
        Kind::Int(k) if k.bits < 64 => k,
        _ => return Some(v),
    };
    match v {
        Value::ConstInt(c) => Some(Value::ConstInt(k.normalise(c))),
        Value::Op(_) => {
            let op = super::rewrite::definition(trace, pinned, v)?;
            is_normalised_op(op, k).then_some(v)
        }
        _ => None,
    }
}

/// Whether `op`'s result is already normalised for the narrow kind `k`.
pub(crate) fn is_normalised_op(op: &crate::trace::Op, k: IntKind) -> bool {
    use Opcode::*;
    let same_kind = |kind: Kind| kind == Kind::Int(k);
    match (op.opcode, &op.descr) {
        (GetfieldGcI, Descr::Field(fd)) => same_kind(fd.kind),
        (GetarrayitemGcI, Descr::Array(ad)) => same_kind(ad.item),
        (CastFloatToInt, Descr::IntKind(k2)) => *k2 == k,
        (
            IntLt | IntLe | IntGt | IntGe | IntEq | IntNe | UintLt | UintLe | UintGt | UintGe
            | FloatLt | FloatLe | FloatGt | FloatGe | FloatEq | FloatNe | PtrEq | PtrNe,
            _,
        ) => true,
        (IntAnd, _) if !k.signed => {
            let max = (1u64 << k.bits) - 1;
            op.args
                .iter()
                .any(|v| matches!(*v, Value::ConstInt(m) if m >= 0 && m as u64 <= max))
        }
        (IntSignext, _) if k.signed => op.args.get(1) == Some(&Value::ConstInt(k.bytes() as i64)),
        _ => false,
    }
}

#[cfg(test)]
mod tests;
