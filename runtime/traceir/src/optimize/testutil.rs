//! Helpers for the passes' text fixtures.

use crate::text::{parse, print};
use crate::trace::Trace;
use abi::{CallDescr, Effects};

/// Parses `input`, runs `pass`, and compares the printed result with
/// `expected` (parsed and printed, so fixtures may keep the input's
/// names) and the number of removed ops with `removed`.
pub(crate) fn check(
    input: &str,
    expected: &str,
    removed: usize,
    pass: impl FnOnce(&mut Trace) -> usize,
) {
    let mut t = parse(input).unwrap_or_else(|e| panic!("input: {e}"));
    let n = pass(&mut t);
    let want = parse(expected).unwrap_or_else(|e| panic!("expected: {e}"));
    assert_eq!(print(&t, &[]), print(&want, &[]), "input:\n{input}");
    assert_eq!(n, removed, "removed ops");
}

/// Every value an op uses is an input or the result of an earlier op.
pub(crate) fn assert_well_formed(t: &Trace) {
    for (i, op) in t.ops.iter().enumerate() {
        for v in op.uses() {
            match *v {
                crate::Value::Op(j) => assert!(
                    (j as usize) < i && t.ops[j as usize].result_type() != crate::ops::Type::Void,
                    "op {i} uses op {j}:\n{}",
                    print(t, &[])
                ),
                crate::Value::Input(k) => assert!((k as usize) < t.inputs.len()),
                _ => {}
            }
        }
    }
}

/// A call descriptor with these effects.
pub(crate) fn call(name: &str, effects: Effects) -> CallDescr {
    CallDescr {
        name: name.into(),
        fnptr: 0,
        args: vec![],
        ret: None,
        effects,
        jitcode: None,
    }
}

/// Calls 0: writes the heap; 1: reads only; 2: elidable, reads nothing,
/// cannot panic; 3: elidable, may panic; 4: elidable, reads the heap.
pub(crate) fn calls() -> Vec<CallDescr> {
    let e = Effects::default();
    vec![
        call(
            "writer",
            Effects {
                writes_heap: true,
                reads_heap: true,
                ..e
            },
        ),
        call(
            "reader",
            Effects {
                reads_heap: true,
                may_collect: true,
                ..e
            },
        ),
        call(
            "pure",
            Effects {
                elidable: true,
                ..e
            },
        ),
        call(
            "pure_panics",
            Effects {
                elidable: true,
                can_panic: true,
                ..e
            },
        ),
        call(
            "pure_reads",
            Effects {
                elidable: true,
                reads_heap: true,
                ..e
            },
        ),
    ]
}
