//! Loops that run and leave through guards; W^X code pages; bad traces.
mod common;
use common::*;
use jitbackend::{compile, CompileError};
use traceir::ops::Type;
use traceir::{Opcode, Value};

use Value::{ConstFloat, ConstInt, Input, Op as R};

/// `i = 0; while i < n { i += 1 }` as a trace with the exit guard.
fn count_loop() -> traceir::Trace {
    trace(
        vec![Type::Int, Type::Int],
        vec![
            op(Opcode::Label, vec![Input(0), Input(1)]),
            op(Opcode::IntAdd, vec![Input(0), ConstInt(1)]),
            op(Opcode::IntLt, vec![R(1), Input(1)]),
            guard(
                Opcode::GuardTrue,
                vec![R(2)],
                vec![R(1), ConstInt(77), Input(1)],
            ),
            op(Opcode::Jump, vec![R(1), Input(1)]),
        ],
    )
}

#[test]
fn counting_loop_exits_through_its_guard() {
    let t = count_loop();
    let c = build(&t);
    assert!(c.code_size() > 0);
    for n in [1i64, 5, 100_000] {
        let mut frame = [0u64, n as u64, 0];
        let exit = unsafe { c.run(frame.as_mut_ptr()) };
        assert_eq!(exit, 3);
        assert_eq!(frame, [n as u64, 77, n as u64]);
    }
}

#[test]
fn float_loop_with_preamble() {
    // preamble: step = 0.25 * 2; loop: x += step while x < limit.
    let t = trace(
        vec![Type::Float, Type::Float],
        vec![
            op(
                Opcode::FloatMul,
                vec![ConstFloat(0.25f64.to_bits()), ConstFloat(2f64.to_bits())],
            ),
            op(Opcode::Label, vec![Input(0), Input(1)]),
            op(Opcode::FloatAdd, vec![Input(0), R(0)]),
            op(Opcode::FloatLt, vec![R(2), Input(1)]),
            guard(Opcode::GuardTrue, vec![R(3)], vec![R(2), R(0)]),
            op(Opcode::Jump, vec![R(2), Input(1)]),
        ],
    );
    let mut frame = [1.0f64.to_bits(), 10.0f64.to_bits()];
    assert_eq!(run(&t, &mut frame), 4);
    assert_eq!(f64::from_bits(frame[0]), 10.0);
    assert_eq!(f64::from_bits(frame[1]), 0.5);
}

#[test]
fn swapping_jump_is_a_parallel_assignment() {
    // label(a, b, k): k -= 1; guard k != 0; jump(b, a, k)
    let t = trace(
        vec![Type::Int, Type::Int, Type::Int],
        vec![
            op(Opcode::Label, vec![Input(0), Input(1), Input(2)]),
            op(Opcode::IntSub, vec![Input(2), ConstInt(1)]),
            guard(Opcode::GuardTrue, vec![R(1)], vec![Input(0), Input(1)]),
            op(Opcode::Jump, vec![Input(1), Input(0), R(1)]),
        ],
    );
    let mut frame = [10, 20, 3];
    assert_eq!(run(&t, &mut frame), 2);
    // Two swaps happened before the third iteration's guard failed.
    assert_eq!(&frame[..2], &[10, 20]);
    let mut frame = [10, 20, 2];
    run(&t, &mut frame);
    assert_eq!(&frame[..2], &[20, 10]);
}

#[test]
fn finish_writes_constants_and_values() {
    let t = trace(
        vec![Type::Int],
        vec![
            op(Opcode::IntMul, vec![Input(0), ConstInt(3)]),
            op(
                Opcode::Finish,
                vec![
                    R(0),
                    ConstInt(-5),
                    ConstFloat(1.5f64.to_bits()),
                    Value::Null,
                ],
            ),
        ],
    );
    let mut frame = [7u64, 9, 9, 9];
    assert_eq!(run(&t, &mut frame), 1);
    assert_eq!(frame, [21, (-5i64) as u64, 1.5f64.to_bits(), 0]);
}

#[test]
fn code_pages_are_read_execute_only() {
    let c = build(&count_loop());
    let addr = c.code_ptr() as usize;
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
    let line = maps
        .lines()
        .find(|l| {
            let range = l.split(' ').next().unwrap();
            let (a, b) = range.split_once('-').unwrap();
            let a = usize::from_str_radix(a, 16).unwrap();
            let b = usize::from_str_radix(b, 16).unwrap();
            a <= addr && addr < b
        })
        .expect("code is mapped");
    let perms = line.split(' ').nth(1).unwrap();
    assert_eq!(&perms[..3], "r-x", "{line}");
}

#[test]
fn bad_traces_are_errors() {
    let bad = |t: traceir::Trace| compile(&t, &env(&t, &[], &[])).err();
    // Use before definition.
    let e = bad(trace(vec![], vec![op(Opcode::Finish, vec![R(3)])]));
    assert!(
        matches!(e, Some(CompileError::BadTrace { op: 0, .. })),
        "{e:?}"
    );
    // Type mismatch.
    let e = bad(trace(
        vec![Type::Float],
        vec![
            op(Opcode::IntAdd, vec![Input(0), ConstInt(1)]),
            op(Opcode::Finish, vec![]),
        ],
    ));
    assert!(
        matches!(e, Some(CompileError::BadTrace { op: 0, .. })),
        "{e:?}"
    );
    // Jump without label; missing end; wrong arity; missing descr.
    assert!(bad(trace(vec![], vec![op(Opcode::Jump, vec![])])).is_some());
    assert!(bad(trace(
        vec![Type::Int],
        vec![op(Opcode::IntNeg, vec![Input(0)])]
    ))
    .is_some());
    assert!(bad(trace(
        vec![Type::Int],
        vec![op(Opcode::IntNeg, vec![]), op(Opcode::Finish, vec![])]
    ))
    .is_some());
    assert!(bad(trace(
        vec![Type::Ref],
        vec![
            op(Opcode::GetfieldGcI, vec![Input(0)]),
            op(Opcode::Finish, vec![])
        ]
    ))
    .is_some());
    assert!(bad(trace(
        vec![],
        vec![
            op(Opcode::CallN, vec![]).with_descr(traceir::Descr::Call(0)),
            op(Opcode::Finish, vec![])
        ]
    ))
    .is_some());
    assert!(bad(trace(vec![], vec![])).is_some());
}

/// A loop whose exit guard gets a bridge, and a bridge that jumps back
/// into the loop: both are tail calls, the exit ids tell the traces apart.
#[test]
fn bridge_and_jump_to_another_trace_chain_without_returning() {
    use jitbackend::Link;
    use traceir::Descr;
    // Loop: inputs (i, n, acc); i += 1 while i < n.
    let a = trace(
        vec![Type::Int, Type::Int, Type::Int],
        vec![
            op(Opcode::Label, vec![Input(0), Input(1), Input(2)]),
            op(Opcode::IntAdd, vec![Input(0), ConstInt(1)]),
            op(Opcode::IntLt, vec![R(1), Input(1)]),
            guard(
                Opcode::GuardTrue,
                vec![R(2)],
                vec![R(1), Input(1), Input(2)],
            ),
            op(Opcode::Jump, vec![R(1), Input(1), Input(2)]),
        ],
    );
    // Bridge: acc += 1; leave when acc reaches 3; else n += 10, back.
    let mut jump = op(Opcode::Jump, vec![Input(0), R(2), R(0)]);
    jump.descr = Descr::Target(0);
    let b = trace(
        vec![Type::Int, Type::Int, Type::Int],
        vec![
            op(Opcode::IntAdd, vec![Input(2), ConstInt(1)]),
            op(Opcode::IntLt, vec![R(0), ConstInt(3)]),
            op(Opcode::IntAdd, vec![Input(1), ConstInt(10)]),
            guard(
                Opcode::GuardTrue,
                vec![R(1)],
                vec![Input(0), Input(1), R(0)],
            ),
            jump,
        ],
    );
    let slots = vec![0u64; a.ops.len()].into_boxed_slice();
    let mut ea = env(&a, &[], &[]);
    // The loop counts its entries and label passes (`jit-backend-counts`).
    let mut counts = [0u64; 2];
    ea.link = Link {
        exit_base: 0,
        bridge_slots: slots.as_ptr(),
        targets: &[],
        bodies: &[],
        counters: counts.as_mut_ptr(),
    };
    let ca = compile(&a, &ea).expect("loop compiles");
    let targets = [ca.entry()];
    let mut eb = env(&b, &[], &[]);
    eb.link = Link {
        exit_base: 100,
        bridge_slots: std::ptr::null(),
        targets: &targets,
        bodies: &[],
        counters: std::ptr::null_mut(),
    };
    let cb = compile(&b, &eb).expect("bridge compiles");

    // No bridge attached yet: the loop's guard returns.
    let mut frame = [0u64, 5, 0];
    assert_eq!(unsafe { ca.run(frame.as_mut_ptr()) }, 3);
    assert_eq!(frame, [5, 5, 0]);

    // Attached: loop → bridge → loop → bridge → loop → bridge leaves.
    let slots_ptr = slots.as_ptr() as *mut u64;
    unsafe { *slots_ptr.add(3) = cb.entry() };
    let mut frame = [0u64, 5, 0];
    assert_eq!(unsafe { ca.run(frame.as_mut_ptr()) }, 103);
    assert_eq!(frame, [25, 25, 3]);
    // Entered once per run and once per bridge jump back (1 + 3); the
    // label passed once per iteration (5, then 5 + 10 + 10).
    assert_eq!(counts, [4, 30]);

    // A jump to a trace that does not exist is a bad trace.
    let mut eb2 = env(&b, &[], &[]);
    eb2.link.targets = &[];
    assert!(matches!(
        compile(&b, &eb2),
        Err(jitbackend::CompileError::BadTrace { op: 4, .. })
    ));
}

/// A guard's exit stores run on the failure path only, before it leaves.
#[test]
fn failing_guard_performs_its_exit_stores() {
    use traceir::{Descr, ExitStore};
    let field = abi::FieldDescr {
        offset: 8,
        kind: abi::Kind::Int(abi::IntKind::U64),
    };
    let item = abi::ArrayDescr {
        item: abi::Kind::Int(abi::IntKind::U8),
        item_size: 1,
    };
    let mut g = guard(Opcode::GuardTrue, vec![Input(1)], vec![Input(1)]);
    g.exit_stores = vec![
        ExitStore {
            opcode: Opcode::SetfieldGc,
            args: vec![Input(0), ConstInt(42)],
            descr: Descr::Field(field),
        },
        ExitStore {
            opcode: Opcode::SetarrayitemGc,
            args: vec![Input(2), ConstInt(1), ConstInt(7)],
            descr: Descr::Array(item),
        },
    ];
    let t = trace(
        vec![Type::Ref, Type::Int, Type::Ref],
        vec![g, op(Opcode::Finish, vec![])],
    );
    let _g = reset();
    let obj = alloc_words(4, 0);
    let arr = alloc_words(4, 0);
    unsafe { *arr.add(1) = 8 };
    let c = build(&t);
    let mut frame = [obj as u64, 1, arr as u64];
    assert_eq!(unsafe { c.run(frame.as_mut_ptr()) }, 1, "finish");
    assert_eq!(unsafe { *obj.add(1) }, 0);
    let mut frame = [obj as u64, 0, arr as u64];
    assert_eq!(unsafe { c.run(frame.as_mut_ptr()) }, 0, "the guard");
    assert_eq!(unsafe { *obj.add(1) }, 42);
    let items = unsafe { (arr as *const u8).add(abi::layout::ARRAY_ITEMS_OFFSET as usize) };
    assert_eq!(unsafe { *items.add(1) }, 7);
}

/// A trace that jumps to a loop gets the loop's short preamble inlined
/// and enters the loop's body past its preamble; a failing guard of the
/// inlined preamble enters the loop at its top instead, whose own guard
/// then leaves.
#[test]
fn inlined_short_preamble_enters_the_body_or_restarts_the_loop() {
    use jitbackend::{compile_body, Link};
    use traceir::text::parse;
    let mut l = parse(
        "[i0, i1]
label(i0, i1)
i2 = int_lt(0, i1)
guard_true(i2, descr=<Guard 0>) [i0, i1]
i3 = int_mul(i1, 2)
i4 = int_add(i0, 1)
i5 = int_lt(i4, i3)
guard_true(i5, descr=<Guard 1>) [i4, i3]
jump(i4, i1)
",
    )
    .unwrap();
    traceir::optimize::optimize(&mut l, &[]);
    assert!(l.short.is_some(), "no short entry");
    let exit_of = |resume: u32, after_label: bool| {
        let label = l
            .ops
            .iter()
            .position(|o| o.opcode == Opcode::Label)
            .unwrap();
        l.ops
            .iter()
            .enumerate()
            .position(|(i, o)| {
                o.opcode.flags().guard && o.resume == resume && (i > label) == after_label
            })
            .unwrap() as u32
    };
    let (pre_guard, loop_guard) = (exit_of(0, false), exit_of(1, true));

    let el = env(&l, &[], &[]);
    let cl = compile(&l, &el).expect("loop compiles");
    let body = compile_body(&l, &el).expect("body compiles");
    let targets = [cl.entry()];
    let bodies = [body.entry()];

    let mut b = parse("[i0, i1]\njump(i0, i1, descr=<Target 0>)\n").unwrap();
    assert!(traceir::optimize::short::inline(&mut b, 0, &l));
    traceir::optimize::optimize(&mut b, &[]);
    let mut eb = env(&b, &[], &[]);
    eb.link = Link {
        exit_base: 100,
        targets: &targets,
        bodies: &bodies,
        ..Link::default()
    };
    let cb = compile(&b, &eb).expect("the jumping trace compiles");

    // Into the body: counts to 2n and leaves through the loop's guard.
    let mut frame = [3u64, 5, 0];
    assert_eq!(unsafe { cb.run(frame.as_mut_ptr()) }, loop_guard);
    assert_eq!(&frame[..2], &[10, 10]);
    // The preamble's check fails: the loop's top, whose guard leaves.
    let mut frame = [3u64, (-4i64) as u64, 0];
    assert_eq!(unsafe { cb.run(frame.as_mut_ptr()) }, pre_guard);
    assert_eq!(&frame[..2], &[3, (-4i64) as u64]);
    // Without a body the jump is a bad trace.
    let mut eb2 = env(&b, &[], &[]);
    eb2.link.targets = &targets;
    assert!(compile(&b, &eb2).is_err());
}
