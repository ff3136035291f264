//! A second way into a peeled loop: at its label, for bridges and other
//! traces that jump to it. Entering at the top runs the preamble, one
//! whole iteration, every time; a bridge that leaves the loop for one
//! iteration and comes back (the odd step of a Collatz loop, a Brainfuck
//! loop whose exit runs into the next one) would pay it at every entry.
//! The short preamble (RPython's name) computes only what the loop after
//! the label takes from before it, from the inputs at the merge point, and
//! ends by entering the loop's body (the loop from its label on, compiled
//! as a function of its own whose inputs are the label's arguments and
//! these invariants). `inline` puts it into a trace that jumps to the
//! loop, before that trace's passes run, so that what the trace already
//! read or wrote folds most of it away:
//!
//! - each label argument: the input in its position (the label is at the
//!   merge point, where the inputs are the interpreter's reds), or for a
//!   place `carry` passes through the label, a read of that place;
//! - each value defined before the label that the loop uses (a field read
//!   hoisted out of the loop, a pure computation on such values), by
//!   repeating the ops that computed it;
//! - the facts the loop relies on: every guard of the preamble whose
//!   condition can be computed the same way. Such a guard that fails
//!   enters the loop at its top instead (`Descr::Restart`), whose preamble
//!   then does everything properly.
//!
//! Which preamble values may be recomputed: constants, inputs, pure ops
//! (not divisions, which may trap) and heap reads of a descr that the
//! loop neither writes nor carries, so that reading again gives what the
//! loop expects. A value the preamble stores somewhere is not recomputed
//! (the loop may use it as that place's content); nor are results of
//! calls (and a preamble with `call_pure`, whose result the loop may share
//! through `cse` with facts about it, has no short entry). A guard that
//! cannot be recomputed is about a value the loop cannot see: the loop
//! reads any place it writes itself, so facts about a preamble read of
//! such a place do not carry over (a pass that learned facts about one
//! value from a guard on another, as integer bounds do, would make this
//! rule stricter). When any of this fails the loop has no short entry and
//! is always entered at its top.

use super::carry::Carried;
use super::sink::Place;
use crate::ops::Opcode;
use crate::trace::{Descr, Op, ShortEntry, Trace, Value};
use std::collections::HashMap;

/// The short entry of `trace` (after `carry`, before `sink`), with its
/// carried places as its own numbering names them; None when the loop
/// must always be entered at its top.
pub fn build(trace: &Trace, carried: &Carried) -> Option<(ShortEntry, Carried)> {
    let n = trace.ops.len();
    let label = trace.ops.iter().rposition(|o| o.opcode == Opcode::Label)?;
    let jump = trace.ops.last()?;
    if jump.opcode != Opcode::Jump || jump.descr != Descr::None || label == 0 {
        return None;
    }
    let ninputs = trace.inputs.len();
    let largs = &trace.ops[label].args;
    if largs.len() != ninputs + carried.len()
        || carried
            .iter()
            .enumerate()
            .any(|(k, (_, l))| largs[ninputs + k] != *l)
    {
        return None;
    }
    for (p, a) in largs.iter().enumerate() {
        if largs[..p].contains(a) {
            return None;
        }
        if let Value::Input(k) = a {
            if *k as usize != p {
                return None;
            }
        }
    }
    let pre = &trace.ops[..label];
    let body = &trace.ops[label + 1..];
    if pre.iter().any(|o| {
        matches!(
            o.opcode,
            Opcode::CallPureI | Opcode::CallPureR | Opcode::CallPureF | Opcode::CallPureN
        )
    }) {
        // See the module doc.
        return None;
    }
    // Descrs the loop may write (and so may not be read again).
    let body_calls = body.iter().any(|o| o.opcode.flags().call);
    let written: Vec<&Descr> = body
        .iter()
        .filter(|o| matches!(o.opcode, Opcode::SetfieldGc | Opcode::SetarrayitemGc))
        .map(|o| &o.descr)
        .collect();
    let carried_descr = |d: &Descr| {
        carried.iter().any(|(p, _)| match (p, d) {
            (Place::Field(_, a), Descr::Field(b)) => a == b,
            (Place::Item(_, _, a), Descr::Array(b)) => a == b,
            _ => false,
        })
    };
    let stored: Vec<Value> = pre
        .iter()
        .filter(|o| matches!(o.opcode, Opcode::SetfieldGc | Opcode::SetarrayitemGc))
        .filter_map(|o| o.args.last().copied())
        .collect();
    // Label arguments that are ops: their position.
    let label_pos: HashMap<Value, usize> = largs.iter().enumerate().map(|(p, v)| (*v, p)).collect();

    let mut r = Recipes {
        pre,
        ninputs,
        label_pos: &label_pos,
        ok: HashMap::new(),
        body_calls,
        written: &written,
        carried_descr: &carried_descr,
    };
    // What the loop takes from before the label.
    // Inputs and preamble values the body (or a carried place) uses, in
    // order of first use; `needed` are the preamble's among them.
    let mut before: Vec<Value> = Vec::new();
    let body_uses = body
        .iter()
        .flat_map(|op| op.uses().copied())
        .filter(|v| match v {
            Value::Input(_) => true,
            Value::Op(j) => (*j as usize) < label,
            _ => false,
        });
    let carried_uses = carried
        .iter()
        .flat_map(|(p, _)| p.values())
        .filter(|v| matches!(v, Value::Input(_) | Value::Op(_)));
    for v in body_uses.chain(carried_uses) {
        if !before.contains(&v) {
            before.push(v);
        }
    }
    let needed: Vec<Value> = before
        .iter()
        .copied()
        .filter(|v| matches!(v, Value::Op(_)))
        .collect();
    for &v in &needed {
        if label_pos.get(&v).is_some_and(|&p| p >= ninputs) {
            continue; // a carried label argument: read at the label
        }
        if stored.contains(&v) || !r.can(v) {
            return None;
        }
    }
    // The preamble ops to repeat: the needed values' computations and the
    // guards that can be recomputed, in their order.
    let mut emit = vec![false; label];
    let mark = |v: Value, emit: &mut Vec<bool>, r: &Recipes| r.mark(v, emit);
    for &v in &needed {
        if label_pos.get(&v).is_none_or(|&p| p < ninputs) {
            mark(v, &mut emit, &r);
        }
    }
    for (j, op) in pre.iter().enumerate() {
        let guard = matches!(
            op.opcode,
            Opcode::GuardTrue
                | Opcode::GuardFalse
                | Opcode::GuardValue
                | Opcode::GuardNonnull
                | Opcode::GuardIsnull
        );
        if guard && op.args.iter().all(|a| r.can(*a)) {
            emit[j] = true;
            for a in &op.args {
                mark(*a, &mut emit, &r);
            }
        }
    }

    let inputs: Vec<Value> = (0..ninputs as u32).map(Value::Input).collect();
    let mut ops: Vec<Op> = Vec::new();
    // A value of the loop trace as this entry names it.
    let mut map: Vec<Value> = vec![Value::Null; n];
    let get = |v: Value, map: &[Value]| match v {
        Value::Op(j) => map[j as usize],
        other => other,
    };
    for (j, op) in pre.iter().enumerate() {
        if !emit[j] {
            continue;
        }
        let mut new = Op::new(op.opcode, op.args.iter().map(|a| get(*a, &map)).collect())
            .with_descr(op.descr.clone());
        if op.opcode.flags().guard {
            new.fail_args = inputs.clone();
            new.resume = op.resume;
        }
        match op.opcode {
            // A label argument in a position of an input is that input.
            _ if label_pos
                .get(&Value::Op(j as u32))
                .is_some_and(|&p| p < ninputs) =>
            {
                map[j] = Value::Input(label_pos[&Value::Op(j as u32)] as u32);
                continue;
            }
            Opcode::SameAsI | Opcode::SameAsR | Opcode::SameAsF => {
                map[j] = new.args[0];
                continue;
            }
            _ => {}
        }
        push_read_checked(&mut ops, &inputs, new);
        map[j] = Value::Op(ops.len() as u32 - 1);
    }
    // The label's arguments: the inputs themselves in their positions (as
    // the loop's label names them when they do not change), a read for
    // each carried place.
    let mut new_largs = Vec::with_capacity(largs.len());
    for (p, a) in largs.iter().enumerate() {
        let v = if p < ninputs {
            Value::Input(p as u32)
        } else {
            let read = carried[p - ninputs].0.read_op(&map);
            push_read_checked(&mut ops, &inputs, read);
            Value::Op(ops.len() as u32 - 1)
        };
        new_largs.push(v);
        if let Value::Op(j) = a {
            map[*j as usize] = v;
        }
    }

    // The body: the loop from its label on. Its inputs are the label's
    // arguments and then the invariants, the values from before the label
    // (or inputs the label does not pass on) that it uses.
    let nl = largs.len();
    let mut body_of: HashMap<Value, Value> = largs
        .iter()
        .enumerate()
        .map(|(p, a)| (*a, Value::Input(p as u32)))
        .collect();
    let invariants: Vec<Value> = before
        .iter()
        .copied()
        .filter(|v| !largs.contains(v))
        .collect();
    for (k, &v) in invariants.iter().enumerate() {
        body_of.insert(v, Value::Input((nl + k) as u32));
    }
    // The preamble ends by passing the body its inputs.
    let mut jump_args = new_largs.clone();
    for &v in &invariants {
        jump_args.push(get(v, &map));
    }
    ops.push(Op::new(Opcode::Jump, jump_args));
    let preamble = Trace {
        inputs: trace.inputs.clone(),
        ops,
        gcrefs: trace.gcrefs.clone(),
        short: None,
    };

    let body_inputs: Vec<_> = largs
        .iter()
        .chain(&invariants)
        .map(|&v| trace.type_of(v))
        .collect();
    let mut bops: Vec<Op> = Vec::with_capacity(body.len() + 1);
    let mut lab = trace.ops[label].clone();
    lab.args = (0..nl as u32).map(Value::Input).collect();
    bops.push(lab);
    let bget = |v: Value, body_of: &HashMap<Value, Value>| match v {
        Value::Input(_) | Value::Op(_) => body_of.get(&v).copied().unwrap_or(v),
        other => other,
    };
    for (d, op) in body.iter().enumerate() {
        let mut new = op.clone();
        for v in new.uses_mut() {
            *v = bget(*v, &body_of);
        }
        bops.push(new);
        body_of.insert(Value::Op((label + 1 + d) as u32), Value::Op(1 + d as u32));
    }
    let body_carried: Carried = carried
        .iter()
        .enumerate()
        .map(|(k, (p, _))| {
            (
                p.remapped_by(|v| bget(v, &body_of)),
                Value::Input((ninputs + k) as u32),
            )
        })
        .collect();
    let body = Trace {
        inputs: body_inputs,
        ops: bops,
        gcrefs: trace.gcrefs.clone(),
        short: None,
    };
    Some((
        // `loop_op` is filled in by `align`, once `sink` ran on the body.
        ShortEntry {
            preamble,
            body,
            loop_op: Vec::new(),
        },
        body_carried,
    ))
}

/// Inlines loop `n`'s short preamble before the last op of `trace`, a
/// `jump` to that loop's top (`Descr::Target(n)`), which becomes a jump
/// into its body (`Descr::Body(n)`); the preamble's guards enter the loop
/// at its top when they fail. `target` is loop `n`'s trace. False (and
/// `trace` untouched) when the loop has no short entry or the jump does
/// not fit it.
pub fn inline(trace: &mut Trace, n: u32, target: &Trace) -> bool {
    let Some(short) = target.short.as_ref() else {
        return false;
    };
    let pre = &short.preamble;
    let Some(jump) = trace.ops.last() else {
        return false;
    };
    if jump.opcode != Opcode::Jump
        || jump.descr != Descr::Target(n)
        || jump.args.len() != pre.inputs.len()
        || jump
            .args
            .iter()
            .zip(&pre.inputs)
            .any(|(&a, &t)| trace.type_of(a) != t)
        || pre.ops.last().is_none_or(|o| o.opcode != Opcode::Jump)
        || pre.gcrefs.len() > target.gcrefs.len()
    {
        return false;
    }
    let args = trace.ops.pop().map(|o| o.args).unwrap_or_default();
    let base = trace.ops.len() as u32;
    let last = pre.ops.len() - 1;
    for (j, op) in pre.ops.iter().enumerate() {
        let mut new = op.clone();
        for v in new.uses_mut() {
            *v = match *v {
                Value::Input(k) => args[k as usize],
                Value::Op(i) => Value::Op(base + i),
                // The loop's own table, which the collector keeps up to
                // date (the preamble's copy is not).
                Value::ConstRef(i) => trace.const_ref(target.gcrefs[i as usize]),
                other => other,
            };
        }
        if new.opcode.flags().guard {
            new.descr = Descr::Restart(n);
            new.resume = 0;
            new.fail_args = args.clone();
            new.virtuals.clear();
        }
        if j == last {
            new.descr = Descr::Body(n);
        }
        trace.ops.push(new);
    }
    true
}

/// Pushes `op` (of the short preamble). An array read is first checked
/// against the array's length: in the loop a guard on the interpreter's
/// own bound (a `Vec`'s length) came before it, which the short preamble
/// may not repeat when that bound changes in the loop; memory stays safe
/// whatever the index.
fn push_read_checked(ops: &mut Vec<Op>, inputs: &[Value], op: Op) {
    if matches!(
        op.opcode,
        Opcode::GetarrayitemGcI | Opcode::GetarrayitemGcR | Opcode::GetarrayitemGcF
    ) && op.args.len() == 2
    {
        let len = Op::new(Opcode::ArraylenGc, vec![op.args[0]]).with_descr(op.descr.clone());
        ops.push(len);
        let within = Op::new(
            Opcode::UintLt,
            vec![op.args[1], Value::Op(ops.len() as u32 - 1)],
        );
        ops.push(within);
        let mut guard = Op::new(Opcode::GuardTrue, vec![Value::Op(ops.len() as u32 - 1)]);
        guard.fail_args = inputs.to_vec();
        ops.push(guard);
    }
    ops.push(op);
}

/// Which preamble values can be computed again at the label.
struct Recipes<'a, 'f> {
    pre: &'a [Op],
    ninputs: usize,
    label_pos: &'a HashMap<Value, usize>,
    ok: HashMap<u32, bool>,
    body_calls: bool,
    written: &'a [&'a Descr],
    carried_descr: &'f dyn Fn(&Descr) -> bool,
}

impl Recipes<'_, '_> {
    fn can(&mut self, v: Value) -> bool {
        let Value::Op(j) = v else {
            return true;
        };
        if let Some(&b) = self.ok.get(&j) {
            return b;
        }
        self.ok.insert(j, false); // no cycles in SSA, but stay finite
        let b = self.compute(j);
        self.ok.insert(j, b);
        b
    }

    fn compute(&mut self, j: u32) -> bool {
        if let Some(&p) = self.label_pos.get(&Value::Op(j)) {
            // Named by the label: the input in its position, or carried.
            return p < self.ninputs;
        }
        let pre: &[Op] = self.pre;
        let Some(op) = pre.get(j as usize) else {
            return false;
        };
        use Opcode::*;
        let reads = matches!(
            op.opcode,
            GetfieldGcI
                | GetfieldGcR
                | GetfieldGcF
                | GetarrayitemGcI
                | GetarrayitemGcR
                | GetarrayitemGcF
        );
        let divides = matches!(op.opcode, IntFloorDiv | UintFloorDiv | IntMod | UintMod);
        let fine = if reads {
            !self.body_calls
                && !self.written.contains(&&op.descr)
                && !(self.carried_descr)(&op.descr)
        } else {
            op.opcode.flags().pure && !op.opcode.flags().call && !divides
        };
        fine && op.args.iter().all(|a| self.can(*a))
    }

    /// Marks `v`'s computation (known to be possible) for emitting.
    fn mark(&self, v: Value, emit: &mut Vec<bool>) {
        let Value::Op(j) = v else { return };
        let j = j as usize;
        if j >= emit.len() || emit[j] {
            return;
        }
        emit[j] = true;
        if self.label_pos.contains_key(&v) {
            return;
        }
        for a in &self.pre[j].args {
            self.mark(*a, emit);
        }
    }
}

/// After `sink` ran on both, the loop after the label must be the same op
/// for op in the loop and in the body (`sink` moved the same stores):
/// `loop_op` is numbered from there, or the entry dropped.
pub fn align(trace: &Trace, mut entry: ShortEntry) -> Option<ShortEntry> {
    let la = trace.ops.iter().rposition(|o| o.opcode == Opcode::Label)?;
    let (a, b) = (&trace.ops[la..], &entry.body.ops[..]);
    if b.first().is_none_or(|o| o.opcode != Opcode::Label)
        || a.len() != b.len()
        || a.iter().zip(b).any(|(x, y)| {
            x.opcode != y.opcode
                || x.descr != y.descr
                || x.resume != y.resume
                || x.fail_args.len() != y.fail_args.len()
                || x.exit_stores.len() != y.exit_stores.len()
        })
    {
        return None;
    }
    entry.loop_op = (la..trace.ops.len()).map(|i| i as u32).collect();
    Some(entry)
}

#[cfg(test)]
mod tests {
    use crate::optimize::optimize;
    use crate::text::{parse, print};

    /// A VM-like loop: the short preamble re-reads the arrays and the
    /// locals' length, re-checks the guards on them, reads the carried
    /// local and passes the body what it needs; the body is the loop
    /// after the label, op for op; inlined into a trace that wrote the
    /// carried local, the read folds away.
    #[test]
    fn the_short_entry_recomputes_invariants_and_guards() {
        let mut t = parse(
            "[p0, i1]
label(p0, i1)
p2 = getfield_gc_r(p0, descr=<Field 8 ref>)
p3 = getfield_gc_r(p0, descr=<Field 16 ref>)
i4 = arraylen_gc(p3, descr=<Array i64>)
i5 = uint_lt(1, i4)
guard_true(i5, descr=<Guard 0>) [p0, i1]
i6 = getarrayitem_gc_i(p3, 1, descr=<Array i64>)
setarrayitem_gc(p2, i1, i6, descr=<Array i64>)
i7 = int_add(i6, 1)
setarrayitem_gc(p3, 1, i7, descr=<Array i64>)
i8 = int_lt(i7, 1000)
guard_true(i8, descr=<Guard 1>) [p0, i1]
jump(p0, i1)
",
        )
        .unwrap();
        optimize(&mut t, &[]);
        let text = print(&t, &[]);
        let short = t
            .short
            .as_ref()
            .unwrap_or_else(|| panic!("no short entry:\n{text}"));
        let pre = print(&short.preamble, &[]);
        let body = print(&short.body, &[]);
        eprintln!("{text}\n{pre}\n{body}");
        let la = t
            .ops
            .iter()
            .position(|o| o.opcode == crate::Opcode::Label)
            .unwrap();
        // The same loop after the label, op for op.
        assert_eq!(short.body.ops.len(), t.ops.len() - la);
        assert_eq!(short.loop_op[0], la as u32);
        // The short preamble: no store, the bounds guard again, and the
        // body's inputs passed on.
        assert!(!pre.contains("setarrayitem_gc"), "{pre}");
        assert!(pre.contains("uint_lt(1, "), "{pre}");
        let jump = short.preamble.ops.last().unwrap();
        assert_eq!(jump.opcode, crate::Opcode::Jump);
        assert_eq!(jump.args.len(), short.body.inputs.len());

        // A bridge that stored the local jumps to the loop: inlined, the
        // preamble's read of it is the stored value, and its guards enter
        // the loop at the top.
        let mut b = parse(
            "[p0, i1]
p2 = getfield_gc_r(p0, descr=<Field 16 ref>)
setarrayitem_gc(p2, 1, 5, descr=<Array i64>)
jump(p0, i1, descr=<Target 7>)
",
        )
        .unwrap();
        assert!(super::inline(&mut b, 7, &t));
        let before = print(&b, &[]);
        assert!(before.contains("descr=<Restart 7>"), "{before}");
        assert!(before.ends_with("descr=<Body 7>)\n"), "{before}");
        optimize(&mut b, &[]);
        let after = print(&b, &[]);
        eprintln!("{before}\n{after}");
        // Of the two carried places only the one the bridge did not
        // write is read.
        assert_eq!(after.matches("getarrayitem_gc_i").count(), 1, "{after}");
        let jump = b.ops.last().unwrap();
        assert_eq!(jump.descr, crate::Descr::Body(7));
        assert!(jump.args.contains(&crate::Value::ConstInt(5)), "{after}");
        // A jump to another loop is left alone.
        let mut c = parse("[p0, i1]\njump(p0, i1, descr=<Target 3>)\n").unwrap();
        assert!(!super::inline(&mut c, 7, &t));
    }
}
