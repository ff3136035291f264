//! A guard's own condition in its fail args is a constant: `guard_true(c)`
//! fails only when `c` is 0, and `guard_false(c)` of a comparison only
//! when `c` is 1. Saving the constant instead of `c` lets the backend fuse
//! the comparison into the branch instead of also materialising the
//! boolean on the fast path for the exit's sake.

use crate::ops::Opcode;
use crate::trace::{Trace, Value};

/// Rewrites the conditions in guards' fail args; returns how many.
pub fn exit_constants(trace: &mut Trace) -> usize {
    let mut n = 0;
    for i in 0..trace.ops.len() {
        let op = &trace.ops[i];
        let Some(&cond) = op.args.first() else {
            continue;
        };
        let known = match (op.opcode, cond) {
            (Opcode::GuardTrue, Value::Op(_) | Value::Input(_)) => 0,
            (Opcode::GuardFalse, Value::Op(j)) if trace.ops[j as usize].opcode.is_comparison() => 1,
            _ => continue,
        };
        for v in &mut trace.ops[i].fail_args {
            if *v == cond {
                *v = Value::ConstInt(known);
                n += 1;
            }
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::exit_constants;
    use crate::optimize::testutil::check;

    #[test]
    fn conditions_in_fail_args_become_constants() {
        check(
            "[i0, i1]
i2 = uint_le(i1, i0)
guard_false(i2, descr=<Guard 0>) [i0, i2, i1]
i3 = int_ne(i0, 0)
guard_true(i3, descr=<Guard 1>) [i3, i0]
guard_true(i0, descr=<Guard 2>) [i0]
finish(i0)
",
            "[i0, i1]
i2 = uint_le(i1, i0)
guard_false(i2, descr=<Guard 0>) [i0, 1, i1]
i3 = int_ne(i0, 0)
guard_true(i3, descr=<Guard 1>) [0, i0]
guard_true(i0, descr=<Guard 2>) [0]
finish(i0)
",
            3,
            exit_constants,
        );
    }

    #[test]
    fn guard_false_of_a_non_boolean_keeps_its_value() {
        // `guard_false(x)` fails for any nonzero `x`.
        let t = "[i0]
i1 = int_add(i0, 1)
guard_false(i1, descr=<Guard 0>) [i1]
finish(i0)
";
        check(t, t, 0, exit_constants);
    }
}
