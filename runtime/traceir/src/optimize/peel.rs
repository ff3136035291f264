//! Loop peeling ("Loop-Aware Optimizations in PyPy's Tracing JIT", Ardö,
//! Bolz, Fijałkowski 2012): a loop `label(I) body jump(J)` becomes
//!
//! ```text
//! body[I]  label(A)  body[A]  jump(J')
//! ```
//!
//! The first copy (the preamble) runs once, with the trace's inputs; its
//! jump values `A` are the label's arguments, and the second copy is the
//! loop, which reads the loop-carried values from them. The passes then
//! carry what they learned in the preamble across the label, as far as it
//! holds on every iteration (`boundary`): a pure computation on values that
//! do not change, a guard already checked, a heap read that the loop never
//! overwrites. So loop-invariant work runs once, in the preamble.

use crate::ops::Opcode;
use crate::trace::{Descr, Op, Trace, Value};

/// Whether `trace` is a loop `peel` works on: a label first, a jump back to
/// it last, no other label.
pub fn is_peelable(trace: &Trace) -> bool {
    let n = trace.ops.len();
    n >= 2
        && trace.ops[0].opcode == Opcode::Label
        && trace.ops[n - 1].opcode == Opcode::Jump
        && trace.ops[n - 1].descr == Descr::None
        && trace.ops[1..n - 1]
            .iter()
            .all(|o| o.opcode != Opcode::Label)
        && trace.ops[0].args.len() == trace.ops[n - 1].args.len()
}

/// Peels one iteration off a loop (see the module doc); false (and the
/// trace unchanged) when it is not a simple loop.
pub fn peel(trace: &mut Trace) -> bool {
    if !is_peelable(trace) {
        return false;
    }
    let old = std::mem::take(&mut trace.ops);
    let n = old.len();
    let label_args = old[0].args.clone();
    let body = &old[1..n - 1];
    let jump = &old[n - 1];

    // The preamble: the body as recorded, on the trace's inputs (the old
    // label's arguments must be exactly the inputs, in order).
    let identity: Vec<Value> = (0..trace.inputs.len() as u32).map(Value::Input).collect();
    if label_args != identity {
        trace.ops = old;
        return false;
    }
    let mut pre_map: Vec<Value> = Vec::with_capacity(n);
    pre_map.push(Value::Null); // the old label (no result)
    for op in body {
        let mut op = op.clone();
        remap(&mut op, &identity, &pre_map);
        pre_map.push(Value::Op(trace.ops.len() as u32));
        trace.ops.push(op);
    }
    // The label: the preamble's jump values, each a distinct variable (a
    // constant, or a value passed twice, goes through a `same_as`).
    let mut args = Vec::with_capacity(jump.args.len());
    for &a in &jump.args {
        let v = map_value(a, &identity, &pre_map);
        let needs_copy = v.is_const() || args.contains(&v);
        let v = if needs_copy {
            let opc = match trace.type_of(v) {
                crate::ops::Type::Float => Opcode::SameAsF,
                crate::ops::Type::Ref => Opcode::SameAsR,
                _ => Opcode::SameAsI,
            };
            trace.push(Op::new(opc, vec![v]))
        } else {
            v
        };
        args.push(v);
    }
    trace.push(Op::new(Opcode::Label, args.clone()));
    // The loop: the body again, its inputs now the label's arguments.
    let mut loop_map: Vec<Value> = Vec::with_capacity(n);
    loop_map.push(Value::Null);
    for op in body {
        let mut op = op.clone();
        remap(&mut op, &args, &loop_map);
        loop_map.push(Value::Op(trace.ops.len() as u32));
        trace.ops.push(op);
    }
    let mut j = jump.clone();
    remap(&mut j, &args, &loop_map);
    trace.ops.push(j);
    true
}

/// `Input(k)` → `inputs[k]`, `Op(i)` (an index into the old trace) →
/// `ops[i]`.
fn map_value(v: Value, inputs: &[Value], ops: &[Value]) -> Value {
    match v {
        Value::Input(k) => inputs.get(k as usize).copied().unwrap_or(v),
        Value::Op(i) => ops.get(i as usize).copied().unwrap_or(v),
        _ => v,
    }
}

fn remap(op: &mut Op, inputs: &[Value], ops: &[Value]) {
    for v in op.uses_mut() {
        *v = map_value(*v, inputs, ops);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::Type;
    use crate::text;

    #[test]
    fn peels_one_iteration_before_the_label() {
        let src = "[i0, p1]
label(i0, p1)
i2 = int_add(i0, 1)
i3 = getfield_gc_i(p1, descr=<Field 8 i64>)
i4 = int_lt(i2, i3)
guard_true(i4, descr=<Guard 0>) [i2, p1]
jump(i2, p1)
";
        let mut t = text::parse(src).unwrap();
        assert!(peel(&mut t));
        let want = "[i0, p1]
i2 = int_add(i0, 1)
i3 = getfield_gc_i(p1, descr=<Field 8 i64>)
i4 = int_lt(i2, i3)
guard_true(i4, descr=<Guard 0>) [i2, p1]
label(i2, p1)
i5 = int_add(i2, 1)
i6 = getfield_gc_i(p1, descr=<Field 8 i64>)
i7 = int_lt(i5, i6)
guard_true(i7, descr=<Guard 0>) [i5, p1]
jump(i5, p1)
";
        assert_eq!(text::print(&t, &[]), want);
        assert_eq!(t.inputs, vec![Type::Int, Type::Ref]);
    }

    #[test]
    fn constant_and_repeated_jump_values_get_a_variable_of_their_own() {
        let src = "[i0, i1]
label(i0, i1)
i2 = int_add(i0, i1)
jump(i2, i2)
";
        let mut t = text::parse(src).unwrap();
        assert!(peel(&mut t));
        let label = t.ops.iter().find(|o| o.opcode == Opcode::Label).unwrap();
        assert_eq!(label.args.len(), 2);
        assert_ne!(label.args[0], label.args[1]);
        // Not a loop: a bridge, a jump elsewhere.
        let mut b = text::parse("[i0]\ni1 = int_add(i0, 1)\njump(i1, descr=<Target 0>)\n").unwrap();
        assert!(!peel(&mut b));
    }
}
