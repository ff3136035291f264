//! Guards that two arrays are two objects. A bytecode VM's loop writes its
//! value stack and reads its locals, two arrays of one descr that the
//! heap passes cannot tell apart: every push makes them forget (and
//! flush, and re-read) the locals. When a peeled loop writes one
//! invariant array and reads another of the same descr, this pass adds
//! `guard_true(ptr_ne(a, b))` to the preamble, after both are known and
//! right before an existing guard, whose resume data it shares: failing
//! there resumes the interpreter just before that guard's instruction,
//! which it then runs itself, so the state is the same. From there on
//! `alias::Distinct` knows them apart, in the preamble and in the loop.
//! (Should they ever be one array, the new guard fails at every entry and
//! its bridge runs the loop instead: slower, never wrong.)

use super::alias::{may_alias, Distinct};
use super::boundary::Boundary;
use super::rewrite::pinned_ops;
use crate::ops::Opcode;
use crate::trace::{Descr, Op, Trace, Value};

/// At most this many pairs per trace.
const MAX_PAIRS: usize = 4;

/// Adds the guards; returns how many.
pub fn unalias(trace: &mut Trace) -> usize {
    let Some(label) = trace.ops.iter().rposition(|o| o.opcode == Opcode::Label) else {
        return 0;
    };
    let b = Boundary::at(trace, label);
    if !b.loops {
        return 0;
    }
    let pinned = pinned_ops(trace);
    let distinct = Distinct::before(trace, &pinned, label + 1);
    // The loop's array accesses: (array, descr, writes).
    let mut arrays: Vec<(Value, abi::ArrayDescr, bool)> = Vec::new();
    for op in &trace.ops[label + 1..] {
        let write = match op.opcode {
            Opcode::SetarrayitemGc => true,
            Opcode::GetarrayitemGcI | Opcode::GetarrayitemGcR | Opcode::GetarrayitemGcF => false,
            _ => continue,
        };
        let (Descr::Array(ad), Some(&a)) = (&op.descr, op.args.first()) else {
            continue;
        };
        let defined_before = match a {
            Value::Input(_) => true,
            Value::Op(j) => (j as usize) < label,
            _ => false,
        };
        if !defined_before || !b.invariant(a) {
            continue;
        }
        match arrays.iter_mut().find(|(x, d, _)| *x == a && d == ad) {
            Some(e) => e.2 |= write,
            None => arrays.push((a, *ad, write)),
        }
    }
    let mut pairs: Vec<(Value, Value)> = Vec::new();
    for (i, &(a, da, wa)) in arrays.iter().enumerate() {
        for &(c, dc, wc) in &arrays[i + 1..] {
            // Worth it when a write to one could hide the other's values.
            if da == dc
                && (wa || wc)
                && may_alias(trace, &pinned, &distinct, a, c)
                && pairs.len() < MAX_PAIRS
            {
                pairs.push((a, c));
            }
        }
    }
    // Where each guard goes: before the first plain guard of the preamble
    // that comes after both definitions.
    let mut inserts: Vec<(usize, Value, Value)> = Vec::new();
    for (a, c) in pairs {
        let after = [a, c]
            .iter()
            .map(|v| match v {
                Value::Op(j) => *j as usize + 1,
                _ => 0,
            })
            .max()
            .unwrap_or(0);
        let at = (after..label).find(|&g| {
            let op = &trace.ops[g];
            matches!(op.opcode, Opcode::GuardTrue | Opcode::GuardFalse)
                && (g == 0 || !trace.ops[g - 1].opcode.flags().call)
        });
        if let Some(g) = at {
            inserts.push((g, a, c));
        }
    }
    if inserts.is_empty() {
        return 0;
    }
    inserts.sort_by_key(|e| e.0);
    let old = std::mem::take(&mut trace.ops);
    let mut new_index: Vec<u32> = Vec::with_capacity(old.len());
    let mut ops: Vec<Op> = Vec::with_capacity(old.len() + 2 * inserts.len());
    let renumber = |v: &mut Value, new_index: &[u32]| {
        if let Value::Op(j) = *v {
            if let Some(&k) = new_index.get(j as usize) {
                *v = Value::Op(k);
            }
        }
    };
    let mut next = inserts.iter().peekable();
    for (i, mut op) in old.into_iter().enumerate() {
        for v in op.uses_mut() {
            renumber(v, &new_index);
        }
        while let Some(&&(g, a, c)) = next.peek() {
            if g != i {
                break;
            }
            next.next();
            let (mut a, mut c) = (a, c);
            renumber(&mut a, &new_index);
            renumber(&mut c, &new_index);
            ops.push(Op::new(Opcode::PtrNe, vec![a, c]));
            let mut guard = op.clone();
            guard.opcode = Opcode::GuardTrue;
            guard.args = vec![Value::Op(ops.len() as u32 - 1)];
            ops.push(guard);
        }
        new_index.push(ops.len() as u32);
        ops.push(op);
    }
    trace.ops = ops;
    inserts.len()
}

#[cfg(test)]
mod tests {
    use super::unalias;
    use crate::optimize::testutil::check;

    #[test]
    fn a_loop_writing_one_array_and_reading_another_guards_them_apart() {
        check(
            "[p0, p1, i2]
i3 = int_lt(i2, 10)
guard_true(i3, descr=<Guard 0>) [i2]
label(p0, p1, i2)
i4 = getarrayitem_gc_i(p1, 1, descr=<Array i64>)
setarrayitem_gc(p0, i2, i4, descr=<Array i64>)
i5 = int_add(i2, 1)
jump(p0, p1, i5)
",
            "[p0, p1, i2]
i3 = int_lt(i2, 10)
i4 = ptr_ne(p1, p0)
guard_true(i4, descr=<Guard 0>) [i2]
guard_true(i3, descr=<Guard 0>) [i2]
label(p0, p1, i2)
i5 = getarrayitem_gc_i(p1, 1, descr=<Array i64>)
setarrayitem_gc(p0, i2, i5, descr=<Array i64>)
i6 = int_add(i2, 1)
jump(p0, p1, i6)
",
            1,
            unalias,
        );
    }

    #[test]
    fn nothing_without_a_write_a_preamble_guard_or_an_invariant_array() {
        // Only reads.
        let t = "[p0, p1, i2]
guard_true(i2, descr=<Guard 0>) [i2]
label(p0, p1, i2)
i3 = getarrayitem_gc_i(p1, 1, descr=<Array i64>)
i4 = getarrayitem_gc_i(p0, i3, descr=<Array i64>)
jump(p0, p1, i4)
";
        check(t, t, 0, unalias);
        // No guard in the preamble to share resume data with.
        let t = "[p0, p1, i2]
label(p0, p1, i2)
i3 = getarrayitem_gc_i(p1, 1, descr=<Array i64>)
setarrayitem_gc(p0, i2, i3, descr=<Array i64>)
jump(p0, p1, i3)
";
        check(t, t, 0, unalias);
        // p1 changes from one iteration to the next.
        let t = "[p0, p1, i2]
guard_true(i2, descr=<Guard 0>) [i2]
label(p0, p1, i2)
i3 = getarrayitem_gc_i(p1, 1, descr=<Array i64>)
setarrayitem_gc(p0, i2, i3, descr=<Array i64>)
p4 = getfield_gc_r(p1, descr=<Field 8 ref>)
jump(p0, p4, i3)
";
        check(t, t, 0, unalias);
    }

    /// With the guard, the whole pipeline keeps the locals array's item in
    /// a register across the loop's stores to the stack array.
    #[test]
    fn the_locals_item_is_carried_past_stack_stores() {
        use crate::optimize::optimize;
        use crate::text::{parse, print};
        let mut t = parse(
            "[p0, p1, i2]
label(p0, p1, i2)
i3 = uint_lt(i2, 100)
guard_true(i3, descr=<Guard 0>) [i2]
i4 = getarrayitem_gc_i(p1, 1, descr=<Array i64>)
setarrayitem_gc(p0, i2, i4, descr=<Array i64>)
i5 = int_add(i4, 1)
setarrayitem_gc(p1, 1, i5, descr=<Array i64>)
i6 = int_add(i2, 1)
jump(p0, p1, i6)
",
        )
        .unwrap();
        optimize(&mut t, &[]);
        let text = print(&t, &[]);
        let body = &text[text.find("label(").unwrap()..];
        assert!(text.contains("ptr_ne("), "{text}");
        assert!(!body.contains("getarrayitem_gc_i(p1"), "{text}");
    }
}
