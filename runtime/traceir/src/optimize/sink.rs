//! Store sinking (RPython's lazy setfields): a store of a non-reference
//! value is delayed until something could see it, and a guard passed on
//! the way takes a copy (`Op::exit_stores`) that its exit performs before
//! leaving, so the interpreter that resumes there, or the bridge, sees the
//! heap as the unoptimised trace left it. A later store to the same place
//! makes a delayed one dead. What makes delayed stores happen: a read of
//! the same descr, a call, an allocation, a label, jump or finish (and
//! any other op that is not pure). So `pos += 1; guard; pos += 1; guard`
//! stores `pos` once, at the end.
//!
//! Reference stores are left in place (their write barrier would have to
//! run on the exit path too).

use super::rewrite::remap_value;
use crate::ops::Opcode;
use crate::trace::{Descr, ExitStore, Op, Trace, Value};
use abi::Kind;

/// A heap place a store writes: an object's field, or an array's item.
#[derive(PartialEq, Clone, Debug)]
pub enum Place {
    Field(Value, abi::FieldDescr),
    Item(Value, Value, abi::ArrayDescr),
}

impl Place {
    /// The place a non-reference store writes.
    pub(crate) fn of(op: &Op) -> Option<Place> {
        let a = &op.args;
        match (op.opcode, &op.descr) {
            (Opcode::SetfieldGc, Descr::Field(fd)) if a.len() == 2 && fd.kind != Kind::Ref => {
                Some(Place::Field(a[0], *fd))
            }
            (Opcode::SetarrayitemGc, Descr::Array(ad)) if a.len() == 3 && ad.item != Kind::Ref => {
                Some(Place::Item(a[0], a[1], *ad))
            }
            _ => None,
        }
    }

    pub(crate) fn values(&self) -> Vec<Value> {
        match self {
            Place::Field(o, _) => vec![*o],
            Place::Item(a, i, _) => vec![*a, *i],
        }
    }

    /// The place with its values renamed by `map` (old op index → value).
    pub(crate) fn remapped(&self, map: &[Value]) -> Place {
        self.remapped_by(|v| remap_value(v, map))
    }

    /// The place with its values renamed by `r`.
    pub(crate) fn remapped_by(&self, r: impl Fn(Value) -> Value) -> Place {
        match self {
            Place::Field(o, d) => Place::Field(r(*o), *d),
            Place::Item(a, i, d) => Place::Item(r(*a), r(*i), *d),
        }
    }

    /// Whether `op` (with values already renamed by `map`) reads exactly
    /// this place.
    pub(crate) fn is_read_by(&self, op: &Op, map: &[Value]) -> bool {
        use Opcode::*;
        let p = self.remapped(map);
        match (&p, op.opcode, &op.descr) {
            (Place::Field(o, d), GetfieldGcI | GetfieldGcF, Descr::Field(fd)) => {
                op.args.first() == Some(o) && fd == d
            }
            (Place::Item(a, i, d), GetarrayitemGcI | GetarrayitemGcF, Descr::Array(ad)) => {
                op.args.len() == 2 && op.args[0] == *a && op.args[1] == *i && ad == d
            }
            _ => false,
        }
    }

    /// Whether `op` (renamed by `map`) stores exactly to this place.
    pub(crate) fn is_written_by(&self, op: &Op, map: &[Value]) -> bool {
        Place::of(op).as_ref() == Some(&self.remapped(map))
    }

    /// Whether `op` reads or writes the heap through this place's descr.
    pub(crate) fn same_descr(&self, op: &Op) -> bool {
        match (self, &op.descr) {
            (Place::Field(_, d), Descr::Field(fd)) => d == fd,
            (Place::Item(_, _, d), Descr::Array(ad)) => d == ad,
            _ => false,
        }
    }

    /// A read of this place (values renamed by `map`).
    pub(crate) fn read_op(&self, map: &[Value]) -> Op {
        let float = |k: Kind| k == Kind::Float;
        match self.remapped(map) {
            Place::Field(o, d) => {
                let opc = if float(d.kind) {
                    Opcode::GetfieldGcF
                } else {
                    Opcode::GetfieldGcI
                };
                Op::new(opc, vec![o]).with_descr(Descr::Field(d))
            }
            Place::Item(a, i, d) => {
                let opc = if float(d.item) {
                    Opcode::GetarrayitemGcF
                } else {
                    Opcode::GetarrayitemGcI
                };
                Op::new(opc, vec![a, i]).with_descr(Descr::Array(d))
            }
        }
    }

    /// A store of `v` to this place.
    fn store_op(&self, v: Value) -> Op {
        match self {
            Place::Field(o, d) => {
                Op::new(Opcode::SetfieldGc, vec![*o, v]).with_descr(Descr::Field(*d))
            }
            Place::Item(a, i, d) => {
                Op::new(Opcode::SetarrayitemGc, vec![*a, *i, v]).with_descr(Descr::Array(*d))
            }
        }
    }
}

/// Delays stores past guards; returns how many stores were moved. The
/// `carried` places (`carry`) stay pending across the loop's label and
/// back edge: at the label with the label argument as their value.
pub fn sink(trace: &mut Trace, carried: &super::carry::Carried) -> usize {
    use Opcode::*;
    let ops = std::mem::take(&mut trace.ops);
    // New index of each old op (stores get theirs when they are placed,
    // and nothing refers to a store's result: it has none).
    let mut out: Vec<Op> = Vec::with_capacity(ops.len());
    let mut new_index: Vec<u32> = vec![0; ops.len()];
    let mut pending: Vec<(Place, Op)> = Vec::new();
    let mut moved = 0;
    let mut drop_count = 0;
    let mut carried_now: Vec<(Place, Value)> = Vec::new();
    let renumber = |op: &mut Op, new_index: &[u32]| {
        for v in op.uses_mut() {
            if let Value::Op(j) = *v {
                if let Some(&k) = new_index.get(j as usize) {
                    *v = Value::Op(k);
                }
            }
        }
    };
    for (i, mut op) in ops.into_iter().enumerate() {
        renumber(&mut op, &new_index);
        if let Some(p) = Place::of(&op) {
            // A delayed store to the same place is overwritten unseen.
            pending.retain(|(q, _)| *q != p);
            pending.push((p, op));
            moved += 1;
            continue;
        }
        if op.opcode == Label && !carried.is_empty() {
            // `carried` names values as they were numbered before this
            // pass; they are all defined by now.
            let map: Vec<Value> = new_index.iter().map(|&k| Value::Op(k)).collect();
            carried_now = carried
                .iter()
                .map(|(p, l)| (p.remapped(&map[..i]), remap_value(*l, &map[..i])))
                .collect();
        }
        let is_carried = |p: &Place| carried_now.iter().any(|(q, _)| q == p);
        if op.opcode == Label && !carried.is_empty() {
            // The preamble's stores to carried places are not done: their
            // values go in through the label; from here on each place has
            // a pending store of its label argument.
            let (drop, flush): (Vec<_>, Vec<_>) =
                pending.drain(..).partition(|(p, _)| is_carried(p));
            drop_count += drop.len();
            out.extend(flush.into_iter().map(|(_, s)| s));
            new_index[i] = out.len() as u32;
            out.push(op);
            for (p, l) in &carried_now {
                pending.push((p.clone(), p.store_op(*l)));
            }
            continue;
        }
        if op.opcode == Jump && op.descr == Descr::None && !carried.is_empty() {
            // The back edge passes carried values as jump arguments.
            let (drop, flush): (Vec<_>, Vec<_>) =
                pending.drain(..).partition(|(p, _)| is_carried(p));
            drop_count += drop.len();
            out.extend(flush.into_iter().map(|(_, s)| s));
            new_index[i] = out.len() as u32;
            out.push(op);
            continue;
        }
        let flush: Vec<bool> = match (op.opcode, &op.descr) {
            _ if op.opcode.flags().guard => {
                op.exit_stores
                    .extend(pending.iter().map(|(_, s)| ExitStore {
                        opcode: s.opcode,
                        args: s.args.clone(),
                        descr: s.descr.clone(),
                    }));
                vec![false; pending.len()]
            }
            _ if op.opcode.flags().pure || op.opcode == DebugMergePoint => {
                vec![false; pending.len()]
            }
            (GetfieldGcI | GetfieldGcR | GetfieldGcF, Descr::Field(fd)) => pending
                .iter()
                .map(|(p, _)| matches!(p, Place::Field(_, d) if d == fd))
                .collect(),
            (GetarrayitemGcI | GetarrayitemGcR | GetarrayitemGcF, Descr::Array(ad)) => pending
                .iter()
                .map(|(p, _)| matches!(p, Place::Item(_, _, d) if d == ad))
                .collect(),
            _ => vec![true; pending.len()],
        };
        let mut keep = Vec::with_capacity(pending.len());
        for ((p, s), f) in pending.drain(..).zip(flush) {
            if f {
                out.push(s);
            } else {
                keep.push((p, s));
            }
        }
        pending = keep;
        new_index[i] = out.len() as u32;
        out.push(op);
    }
    // A trace ends in jump or finish, which flush; anything left (a
    // malformed trace) is stored at the end rather than lost.
    out.extend(pending.into_iter().map(|(_, s)| s));
    trace.ops = out;
    // Count only the stores that crossed a guard or were dropped.
    let placed = trace.ops.iter().filter(|o| Place::of(o).is_some()).count();
    (moved + drop_count).saturating_sub(placed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{parse, print};

    #[test]
    fn stores_move_past_guards_which_keep_a_copy() {
        let mut t = parse(
            "[p0, i1, i2]
i3 = int_add(i1, 1)
setfield_gc(p0, i3, descr=<Field 16 u64>)
i4 = uint_lt(i3, i2)
guard_true(i4, descr=<Guard 0>) [i3]
i5 = int_add(i3, 1)
setfield_gc(p0, i5, descr=<Field 16 u64>)
i6 = uint_lt(i5, i2)
guard_true(i6, descr=<Guard 1>) [i5]
i7 = getfield_gc_i(p0, descr=<Field 8 u64>)
i8 = getfield_gc_i(p0, descr=<Field 16 u64>)
jump(p0, i8, i7)
",
        )
        .unwrap();
        assert_eq!(sink(&mut t, &Vec::new()), 1);
        assert_eq!(
            print(&t, &[]),
            "[p0, i1, i2]
i3 = int_add(i1, 1)
i4 = uint_lt(i3, i2)
guard_true(i4, descr=<Guard 0>) [i3] {setfield_gc(p0, i3, descr=<Field 16 u64>)}
i5 = int_add(i3, 1)
i6 = uint_lt(i5, i2)
guard_true(i6, descr=<Guard 1>) [i5] {setfield_gc(p0, i5, descr=<Field 16 u64>)}
i7 = getfield_gc_i(p0, descr=<Field 8 u64>)
setfield_gc(p0, i5, descr=<Field 16 u64>)
i8 = getfield_gc_i(p0, descr=<Field 16 u64>)
jump(p0, i8, i7)
"
        );
    }

    #[test]
    fn calls_and_reference_stores_are_not_passed() {
        let text = "[p0, p1, i2]
setfield_gc(p0, p1, descr=<Field 8 ref>)
setarrayitem_gc(p1, 0, i2, descr=<Array u8>)
call_n(p0, descr=<Call 0>)
guard_true(i2, descr=<Guard 0>) []
finish()
";
        let mut t = parse(text).unwrap();
        assert_eq!(sink(&mut t, &Vec::new()), 0);
        assert_eq!(print(&t, &[]), print(&parse(text).unwrap(), &[]));
    }
}
