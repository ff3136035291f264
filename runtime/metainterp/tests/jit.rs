//! End to end: hand-written jitcodes traced, compiled (run by
//! `trace_interp`) and left through guards, against the same programs run
//! without the JIT.

mod common;
use abi::*;
use common::*;
use metainterp::JitState;
use traceir::Opcode;

fn driver(name: &str, jitcode: u32, pc: u32, greens: &[Kind], reds: &[Kind]) -> JitDriverDescr {
    JitDriverDescr {
        name: name.into(),
        jitcode,
        merge_point_pc: pc,
        greens: greens
            .iter()
            .enumerate()
            .map(|(i, k)| (format!("g{i}"), *k))
            .collect(),
        reds: reds
            .iter()
            .enumerate()
            .map(|(i, k)| (format!("r{i}"), *k))
            .collect(),
        immutable_greens: vec![false; greens.len()],
        get_printable_location: None,
    }
}

fn code(
    name: &str,
    num_regs: [u16; 3],
    params: Vec<Reg>,
    insns: Vec<Insn>,
    has_loop: bool,
) -> JitCode {
    JitCode {
        name: name.into(),
        num_regs,
        params,
        ret: Some(Kind::Int(IntKind::I64)),
        insns,
        has_loop,
    }
}

const I64: Kind = Kind::Int(IntKind::I64);

// ---- 1. a counter loop -------------------------------------------------

fn sum_program() -> JitProgram {
    use IntBinOp::Add;
    let (n, i, s, t) = (ri(0), ri(1), ri(2), ri(3));
    let insns = vec![
        mv(i, k(0)),
        mv(s, k(0)),
        Insn::MergePoint {
            driver: 0,
            greens: vec![],
            reds: vec![o(i), o(s), o(n)],
        },
        Insn::IntCmp {
            cmp: Cmp::Ge,
            kind: IntKind::I64,
            dst: t,
            a: o(i),
            b: o(n),
        },
        Insn::Branch {
            cond: o(t),
            then_jump: to(5),
            else_jump: to(6),
        },
        Insn::Return { value: Some(o(s)) },
        bin(Add, s, o(s), o(i)),
        bin(Add, i, o(i), k(1)),
        goto(2),
    ];
    JitProgram {
        jitcodes: vec![code("sum", [4, 0, 0], vec![n], insns, true)],
        drivers: vec![driver("sum", 0, 2, &[], &[I64, I64, I64])],
        ..Default::default()
    }
}

fn aot_sum(st: &mut JitState, n: i64) -> i64 {
    let (mut i, mut s, mut n) = (0i64, 0i64, n);
    loop {
        let mut buf = [i as u64, s as u64, n as u64];
        if mp(st, 0, &mut buf) == 2 {
            return buf[0] as i64;
        }
        (i, s, n) = (buf[0] as i64, buf[1] as i64, buf[2] as i64);
        if i >= n {
            return s;
        }
        s += i;
        i += 1;
    }
}

#[test]
fn counter_loop_is_compiled_and_exits_through_its_guard() {
    let mut st = state(sum_program(), vec![], vec![], params(5));
    assert_eq!(aot_sum(&mut st, 1000), 499_500);
    let stats = st.stats().clone();
    assert_eq!(stats.loops_compiled, 1);
    assert_eq!(stats.aborts, 0);
    assert_eq!(stats.guard_failures, 1, "one entry, left when i >= n");
    let (key, trace) = st.loops().next().unwrap();
    assert!(key.is_empty());
    // Peeled: one iteration as the preamble, then the loop.
    let iteration = ["int_ge", "guard_false", "int_add", "int_add"];
    let mut want = iteration.to_vec();
    want.push("label");
    want.extend(iteration);
    want.push("jump");
    assert_eq!(opnames(trace), want);
    // A second run enters the compiled loop at once.
    assert_eq!(aot_sum(&mut st, 10), 45);
    assert_eq!(st.stats().loops_compiled, 1);
    assert_eq!(st.stats().loop_entries, 2);
    let mut off = state(sum_program(), vec![], vec![], disabled());
    assert_eq!(aot_sum(&mut off, 1000), 499_500);
    assert_eq!(off.stats().traces_started, 0);
}

// ---- 1b. a branch that goes the other way every fourth time: a bridge --

fn branchy_program() -> JitProgram {
    use IntBinOp::{Add, And};
    let (n, i, s, t) = (ri(0), ri(1), ri(2), ri(3));
    let eq0 = |dst, a| Insn::IntCmp {
        cmp: Cmp::Eq,
        kind: IntKind::I64,
        dst,
        a,
        b: k(0),
    };
    let insns = vec![
        mv(i, k(0)),
        mv(s, k(0)),
        Insn::MergePoint {
            driver: 0,
            greens: vec![],
            reds: vec![o(i), o(s), o(n)],
        },
        Insn::IntCmp {
            cmp: Cmp::Ge,
            kind: IntKind::I64,
            dst: t,
            a: o(i),
            b: o(n),
        },
        Insn::Branch {
            cond: o(t),
            then_jump: to(5),
            else_jump: to(6),
        },
        Insn::Return { value: Some(o(s)) },
        bin(And, t, o(i), k(3)),
        eq0(t, o(t)),
        Insn::Branch {
            cond: o(t),
            then_jump: to(9),
            else_jump: to(11),
        },
        bin(Add, s, o(s), k(100)),
        goto(12),
        bin(Add, s, o(s), k(1)),
        bin(Add, i, o(i), k(1)),
        goto(2),
    ];
    JitProgram {
        jitcodes: vec![code("branchy", [4, 0, 0], vec![n], insns, true)],
        drivers: vec![driver("branchy", 0, 2, &[], &[I64, I64, I64])],
        ..Default::default()
    }
}

fn aot_branchy(st: &mut JitState, n: i64) -> i64 {
    let (mut i, mut s, mut n) = (0i64, 0i64, n);
    loop {
        let mut buf = [i as u64, s as u64, n as u64];
        if mp(st, 0, &mut buf) == 2 {
            return buf[0] as i64;
        }
        (i, s, n) = (buf[0] as i64, buf[1] as i64, buf[2] as i64);
        if i >= n {
            return s;
        }
        s += if i & 3 == 0 { 100 } else { 1 };
        i += 1;
    }
}

#[test]
fn often_failing_guard_gets_a_bridge_back_into_the_loop() {
    let expect = |n: i64| {
        (0..n)
            .map(|i| if i & 3 == 0 { 100 } else { 1 })
            .sum::<i64>()
    };
    let p = metainterp::JitParams {
        trace_eagerness: 3,
        ..params(5)
    };
    let mut st = state(branchy_program(), vec![], vec![], p);
    assert_eq!(aot_branchy(&mut st, 1000), expect(1000));
    let stats = st.stats().clone();
    // The loop is traced at i = 4 (the fifth merge point), on the branch
    // taken when i & 3 == 0; peeled, that guard stands in the preamble and
    // in the loop, and each gets a bridge for the other branch.
    assert_eq!((stats.loops_compiled, stats.bridges_compiled), (1, 2));
    assert_eq!(stats.aborts, 0);
    // Three failures before each bridge, the ones that traced them, and
    // the loop's exit (i >= n): the rest ran through the bridges.
    assert!(stats.guard_failures <= 2 * 4 + 1, "{stats:?}");
    for bridge in st.traces().filter(|t| t.bridge_of.is_some()) {
        assert_eq!(bridge.bridge_of.map(|(t, _)| t), Some(0));
        let last = bridge.trace.ops.last().unwrap();
        assert_eq!(last.opcode, Opcode::Jump);
        assert_eq!(last.descr, traceir::Descr::Target(0));
    }
    // Eagerness high: the same program without a bridge, same result.
    let p = metainterp::JitParams {
        trace_eagerness: 1_000_000,
        ..params(5)
    };
    let mut st = state(branchy_program(), vec![], vec![], p);
    assert_eq!(aot_branchy(&mut st, 1000), expect(1000));
    assert_eq!(st.stats().bridges_compiled, 0);
}

// ---- 2. an inlined callee whose branch flips ----------------------------

extern "C" fn f_native(x: u64, k: u64) -> u64 {
    let (x, k) = (x as i64, k as i64);
    (if x < k { x } else { x * 2 }) as u64
}

fn inline_program() -> JitProgram {
    use IntBinOp::*;
    let f = {
        let (x, kk, t) = (ri(0), ri(1), ri(2));
        let insns = vec![
            Insn::IntCmp {
                cmp: Cmp::Lt,
                kind: IntKind::I64,
                dst: t,
                a: o(x),
                b: o(kk),
            },
            Insn::Branch {
                cond: o(t),
                then_jump: to(2),
                else_jump: to(3),
            },
            Insn::Return { value: Some(o(x)) },
            bin(Mul, t, o(x), k(2)),
            Insn::Return { value: Some(o(t)) },
        ];
        code("f", [3, 0, 0], vec![x, kk], insns, false)
    };
    let (n, kk, i, s, t) = (ri(0), ri(1), ri(2), ri(3), ri(4));
    let insns = vec![
        mv(i, k(0)),
        mv(s, k(0)),
        Insn::MergePoint {
            driver: 0,
            greens: vec![],
            reds: vec![o(i), o(s), o(n), o(kk)],
        },
        Insn::IntCmp {
            cmp: Cmp::Ge,
            kind: IntKind::I64,
            dst: t,
            a: o(i),
            b: o(n),
        },
        Insn::Branch {
            cond: o(t),
            then_jump: to(5),
            else_jump: to(6),
        },
        Insn::Return { value: Some(o(s)) },
        Insn::Call {
            call: 0,
            args: vec![o(i), o(kk)],
            dst: Some(t),
        },
        bin(Add, s, o(s), o(t)),
        bin(Add, i, o(i), k(1)),
        goto(2),
    ];
    JitProgram {
        jitcodes: vec![code("portal", [5, 0, 0], vec![n, kk], insns, true), f],
        calls: vec![CallDescr {
            name: "f".into(),
            fnptr: 0,
            args: vec![I64, I64],
            ret: Some(I64),
            effects: Effects::default(),
            jitcode: Some(1),
        }],
        drivers: vec![driver("portal", 0, 2, &[], &[I64, I64, I64, I64])],
        num_fnptrs: 1,
        ..Default::default()
    }
}

fn aot_inline(st: &mut JitState, n: i64, kk: i64) -> i64 {
    let (mut i, mut s, mut n, mut kk) = (0i64, 0i64, n, kk);
    loop {
        let mut buf = [i as u64, s as u64, n as u64, kk as u64];
        if mp(st, 0, &mut buf) == 2 {
            return buf[0] as i64;
        }
        [i, s, n, kk] = buf.map(|w| w as i64);
        if i >= n {
            return s;
        }
        s += f_native(i as u64, kk as u64) as i64;
        i += 1;
    }
}

#[test]
fn inlined_callee_guard_failure_resumes_two_frames() {
    let fnptrs = vec![f_native as extern "C" fn(u64, u64) -> u64 as usize as u64];
    let mut st = state(inline_program(), vec![], fnptrs.clone(), params(3));
    let got = aot_inline(&mut st, 200, 50);
    let mut off = state(inline_program(), vec![], fnptrs, disabled());
    let want = aot_inline(&mut off, 200, 50);
    assert_eq!(
        want,
        (0..200)
            .map(|i| if i < 50 { i } else { 2 * i })
            .sum::<i64>()
    );
    assert_eq!(got, want);
    let stats = st.stats();
    assert_eq!(stats.loops_compiled, 1);
    // Each failure (i >= 50) blackholes one iteration, the AOT code runs
    // the next one, then the loop is entered again.
    assert!(stats.guard_failures >= 75, "{stats:?}");
    let (_, trace) = st.loops().next().unwrap();
    let names = opnames(trace);
    assert!(
        !names.iter().any(|n| n.starts_with("call")),
        "inlined: {names:?}"
    );
    // Peeled: the two guards in the preamble and again in the loop.
    assert_eq!(names.iter().filter(|n| n.starts_with("guard")).count(), 4);
}

// ---- 3. a bytecode interpreter: green pc, switch, calls ----------------

extern "C" fn pure_sq(pc: u64) -> u64 {
    pc * pc + 1
}
extern "C" fn mix(acc: u64, n: u64) -> u64 {
    ((acc as i64 * 31 + n as i64) % 1_000_003) as u64
}

fn bc_program() -> JitProgram {
    use IntBinOp::Add;
    let (pc, acc, cnt, n, op, len, t) = (ri(0), ri(1), ri(2), ri(3), ri(4), ri(5), ri(6));
    let cd = rr(0);
    let ad = ArrayDescr {
        item: I64,
        item_size: 8,
    };
    let insns = vec![
        mv(pc, k(0)),
        mv(acc, k(0)),
        mv(cnt, k(0)),
        Insn::MergePoint {
            driver: 0,
            greens: vec![o(pc), o(cd)],
            reds: vec![o(acc), o(cnt), o(n)],
        },
        Insn::ArrayLen {
            dst: len,
            array: o(cd),
        },
        Insn::Check {
            kind: CheckKind::Bounds,
            args: vec![o(pc), o(len)],
            loc: 0,
        },
        Insn::GetArrayItem {
            dst: op,
            array: o(cd),
            index: o(pc),
            array_descr: ad,
        },
        Insn::Switch {
            value: o(op),
            cases: vec![
                (0, to(8)),
                (1, to(10)),
                (2, to(13)),
                (3, to(15)),
                (4, to(21)),
            ],
            default: to(22),
        },
        bin(Add, acc, o(acc), k(1)), // 8: INC
        goto(19),
        Insn::Call {
            call: 0,
            args: vec![o(pc)],
            dst: Some(t),
        }, // 10: ADDK
        bin(Add, acc, o(acc), o(t)),
        goto(19),
        Insn::Call {
            call: 1,
            args: vec![o(acc), o(n)],
            dst: Some(acc),
        }, // 13: MIX
        goto(19),
        bin(Add, cnt, o(cnt), k(1)), // 15: LOOP
        Insn::IntCmp {
            cmp: Cmp::Lt,
            kind: IntKind::I64,
            dst: t,
            a: o(cnt),
            b: o(n),
        },
        Insn::Branch {
            cond: o(t),
            then_jump: Jump {
                target: 3,
                moves: vec![(pc, k(0))],
            },
            else_jump: to(19),
        },
        Insn::Unreachable,
        bin(Add, pc, o(pc), k(1)), // 19
        goto(3),
        Insn::Return {
            value: Some(o(acc)),
        }, // 21: RET
        Insn::Unreachable,
    ];
    let call = |name: &str, fnptr, nargs, elidable| CallDescr {
        name: String::from(name),
        fnptr,
        args: vec![I64; nargs],
        ret: Some(I64),
        effects: Effects {
            elidable,
            ..Effects::default()
        },
        jitcode: None,
    };
    JitProgram {
        jitcodes: vec![code("bc", [7, 1, 0], vec![cd, n], insns, true)],
        calls: vec![call("pure_sq", 0, 1, true), call("mix", 1, 2, false)],
        drivers: vec![driver("bc", 0, 3, &[I64, Kind::Ref], &[I64, I64, I64])],
        strings: vec!["bc.rs:1:1".into()],
        num_fnptrs: 2,
        ..Default::default()
    }
}

fn bc_fnptrs() -> Vec<u64> {
    vec![
        pure_sq as extern "C" fn(u64) -> u64 as usize as u64,
        mix as extern "C" fn(u64, u64) -> u64 as usize as u64,
    ]
}

const BC: [i64; 6] = [0, 1, 2, 0, 3, 4];

fn aot_bc(st: &mut JitState, code: u64, n: i64) -> i64 {
    let (mut pc, mut code, mut acc, mut cnt, mut n) = (0u64, code, 0i64, 0i64, n);
    loop {
        let mut buf = [pc, code, acc as u64, cnt as u64, n as u64];
        if mp(st, 0, &mut buf) == 2 {
            return buf[0] as i64;
        }
        (pc, code) = (buf[0], buf[1]);
        (acc, cnt, n) = (buf[2] as i64, buf[3] as i64, buf[4] as i64);
        let op = unsafe { *(code as *const i64).add(2 + pc as usize) };
        match op {
            0 => acc += 1,
            1 => acc += pure_sq(pc) as i64,
            2 => acc = mix(acc as u64, n as u64) as i64,
            3 => {
                cnt += 1;
                if cnt < n {
                    pc = 0;
                    continue;
                }
            }
            _ => return acc,
        }
        pc += 1;
    }
}

#[test]
fn bytecode_loop_folds_elidable_call_and_keeps_residual_one() {
    let arr = int_array(&BC);
    let mut st = state(bc_program(), vec![], bc_fnptrs(), params(7));
    let got = aot_bc(&mut st, arr, 300);
    let mut off = state(bc_program(), vec![], bc_fnptrs(), disabled());
    assert_eq!(got, aot_bc(&mut off, arr, 300));
    let stats = st.stats();
    assert_eq!(stats.loops_compiled, 1, "{stats:?}");
    let (key, trace) = st.loops().next().unwrap();
    assert_eq!(key, &[0, arr]);
    // In the loop after the label (the preamble is a copy of it).
    let label = trace
        .ops
        .iter()
        .position(|o| o.opcode == Opcode::Label)
        .unwrap();
    let calls: Vec<_> = trace.ops[label..]
        .iter()
        .filter(|o| o.opcode.flags().call)
        .collect();
    assert_eq!(calls.len(), 1, "only mix is called: {:?}", opnames(trace));
    assert_eq!(calls[0].opcode, Opcode::CallI);
    assert_eq!(calls[0].descr, traceir::Descr::Call(1));
    assert!(trace.gcrefs.contains(&arr));
    assert!(opnames(trace).contains(&"debug_merge_point"));
}

#[test]
fn unoptimised_trace_records_guards_of_checks_and_switches() {
    let arr = int_array(&BC);
    let p = metainterp::JitParams {
        optimize: false,
        ..params(7)
    };
    let mut st = state(bc_program(), vec![], bc_fnptrs(), p);
    let mut off = state(bc_program(), vec![], bc_fnptrs(), disabled());
    assert_eq!(aot_bc(&mut st, arr, 50), aot_bc(&mut off, arr, 50));
    let (_, trace) = st.loops().next().unwrap();
    let names = opnames(trace);
    // Per dispatch: arraylen folded (constant array), bounds check on
    // constants folded, the item read recorded and guarded by value.
    assert_eq!(
        names.iter().filter(|n| **n == "getarrayitem_gc_i").count(),
        5
    );
    assert_eq!(names.iter().filter(|n| **n == "guard_value").count(), 5);
    assert!(!names.contains(&"uint_lt") && !names.contains(&"arraylen_gc"));
    assert!(!names.contains(&"call_pure_i"));
    assert_eq!(names.last(), Some(&"jump"));
}

#[test]
fn moved_ref_green_is_found_through_visit_roots() {
    let arr = int_array(&BC);
    let mut st = state(bc_program(), vec![], bc_fnptrs(), params(7));
    let first = aot_bc(&mut st, arr, 100);
    // "Move" the code array: copy it, let visit_roots rewrite every slot,
    // and poison the old copy (a stale reference would hit `Unreachable`).
    let new = int_array(&BC);
    let mut seen = 0;
    st.visit_roots(&mut |w| {
        if *w == arr {
            *w = new;
            seen += 1;
        }
    });
    assert!(seen >= 2, "warm key and trace constant: {seen}");
    unsafe {
        for i in 0..BC.len() {
            *(arr as *mut i64).add(2 + i) = 99;
        }
    }
    assert_eq!(aot_bc(&mut st, new, 100), first);
    assert_eq!(st.stats().loops_compiled, 1);
    assert!(st.stats().loop_entries >= 2);
}

// ---- 4. narrow integers --------------------------------------------------

fn narrow_program() -> JitProgram {
    use IntBinOp::*;
    let (n, i, x, y, t, u) = (ri(0), ri(1), ri(2), ri(3), ri(4), ri(5));
    let nb = |op, kind, dst, a, b| Insn::IntBin {
        op,
        kind,
        dst,
        a,
        b,
    };
    let insns = vec![
        mv(i, k(0)),
        mv(x, k(1)),
        mv(y, k(7)),
        Insn::MergePoint {
            driver: 0,
            greens: vec![],
            reds: vec![o(i), o(x), o(y), o(n)],
        },
        Insn::IntCmp {
            cmp: Cmp::Ge,
            kind: IntKind::I64,
            dst: t,
            a: o(i),
            b: o(n),
        },
        Insn::Branch {
            cond: o(t),
            then_jump: to(6),
            else_jump: to(9),
        },
        bin(Mul, u, o(y), k(1000)),
        bin(Add, u, o(u), o(x)),
        Insn::Return { value: Some(o(u)) },
        nb(Mul, IntKind::I8, x, o(x), k(3)), // 9
        nb(Add, IntKind::I8, x, o(x), k(1)),
        nb(Shl, IntKind::U8, t, o(y), k(1)),
        nb(Shr, IntKind::U8, u, o(y), k(3)),
        nb(Xor, IntKind::U8, y, o(t), o(u)),
        Insn::IntUn {
            op: IntUnOp::Neg,
            kind: IntKind::I8,
            dst: t,
            a: o(x),
        },
        Insn::Cast {
            from: Scalar::Int(IntKind::I8),
            to: Scalar::Int(IntKind::U8),
            dst: t,
            a: o(t),
        },
        Insn::IntCmp {
            cmp: Cmp::Lt,
            kind: IntKind::U8,
            dst: t,
            a: o(t),
            b: o(y),
        },
        nb(Add, IntKind::U8, y, o(y), o(t)),
        bin(Add, i, o(i), k(1)),
        goto(3),
    ];
    let k8 = |signed| Kind::Int(IntKind::new(8, signed));
    JitProgram {
        jitcodes: vec![code("narrow", [6, 0, 0], vec![n], insns, true)],
        drivers: vec![driver(
            "narrow",
            0,
            3,
            &[],
            &[I64, k8(true), k8(false), I64],
        )],
        ..Default::default()
    }
}

fn aot_narrow(st: &mut JitState, n: i64) -> i64 {
    let (mut i, mut x, mut y, mut n) = (0i64, 1i8, 7u8, n);
    loop {
        let mut buf = [i as u64, x as i64 as u64, y as u64, n as u64];
        if mp(st, 0, &mut buf) == 2 {
            return buf[0] as i64;
        }
        (i, x, y, n) = (buf[0] as i64, buf[1] as i8, buf[2] as u8, buf[3] as i64);
        assert_eq!(buf[1], x as i64 as u64, "i8 normalised");
        assert_eq!(buf[2], y as u64, "u8 normalised");
        if i >= n {
            return y as i64 * 1000 + x as i64;
        }
        x = x.wrapping_mul(3).wrapping_add(1);
        y = (y << 1) ^ (y >> 3);
        let t = (x.wrapping_neg() as u8) < y;
        y = y.wrapping_add(t as u8);
        i += 1;
    }
}

#[test]
fn narrow_ints_are_renormalised_in_traces() {
    let mut st = state(narrow_program(), vec![], vec![], params(2));
    let mut off = state(narrow_program(), vec![], vec![], disabled());
    for n in [0, 1, 5, 300] {
        assert_eq!(aot_narrow(&mut st, n), aot_narrow(&mut off, n), "n = {n}");
    }
    let (_, trace) = st.loops().next().unwrap();
    let names = opnames(trace);
    assert!(names.contains(&"int_signext"), "{names:?}");
    assert!(
        names.contains(&"uint_rshift") && names.contains(&"uint_lt"),
        "{names:?}"
    );
    assert!(names.contains(&"int_and"), "u8 results masked: {names:?}");
}

// ---- 5. heap: a red array, allocation, a barriered store ----------------

fn heap_program() -> JitProgram {
    use IntBinOp::Add;
    let (i, s, len, t) = (ri(0), ri(1), ri(2), ri(3));
    let (arr, refs, obj) = (rr(0), rr(1), rr(2));
    let items = ArrayDescr {
        item: I64,
        item_size: 8,
    };
    let ptrs = ArrayDescr {
        item: Kind::Ref,
        item_size: 8,
    };
    let insns = vec![
        mv(i, k(0)),
        mv(s, k(0)),
        Insn::MergePoint {
            driver: 0,
            greens: vec![],
            reds: vec![o(i), o(s), o(arr), o(refs)],
        },
        Insn::ArrayLen {
            dst: len,
            array: o(arr),
        },
        Insn::IntCmp {
            cmp: Cmp::Ge,
            kind: IntKind::I64,
            dst: t,
            a: o(i),
            b: o(len),
        },
        Insn::Branch {
            cond: o(t),
            then_jump: to(6),
            else_jump: to(7),
        },
        Insn::Return { value: Some(o(s)) },
        Insn::Check {
            kind: CheckKind::Bounds,
            args: vec![o(i), o(len)],
            loc: 0,
        },
        Insn::GetArrayItem {
            dst: t,
            array: o(arr),
            index: o(i),
            array_descr: items,
        },
        bin(Add, s, o(s), o(t)),
        Insn::New {
            dst: obj,
            type_id: 9,
            size: 16,
        },
        Insn::SetField {
            obj: o(obj),
            value: o(s),
            field: FieldDescr {
                offset: 8,
                kind: I64,
            },
        },
        Insn::SetArrayItem {
            array: o(refs),
            index: k(0),
            value: o(obj),
            array_descr: ptrs,
        },
        bin(Add, i, o(i), k(1)),
        goto(2),
    ];
    JitProgram {
        jitcodes: vec![code("heap", [4, 3, 0], vec![arr, refs], insns, true)],
        drivers: vec![driver("heap", 0, 2, &[], &[I64, I64, Kind::Ref, Kind::Ref])],
        strings: vec!["heap.rs:1:1".into()],
        ..Default::default()
    }
}

fn aot_heap(st: &mut JitState, arr: u64, refs: u64) -> i64 {
    let (mut i, mut s, mut arr, mut refs) = (0u64, 0i64, arr, refs);
    loop {
        let mut buf = [i, s as u64, arr, refs];
        if mp(st, 0, &mut buf) == 2 {
            return buf[0] as i64;
        }
        (i, s, arr, refs) = (buf[0], buf[1] as i64, buf[2], buf[3]);
        let len = unsafe { *(arr as *const u64).add(1) };
        if i >= len {
            return s;
        }
        s += unsafe { *(arr as *const i64).add(2 + i as usize) };
        i += 1;
    }
}

#[test]
fn heap_ops_bounds_guard_allocation_and_write_barrier() {
    use std::sync::atomic::Ordering;
    let items: Vec<i64> = (0..100).map(|x| x * 7 - 300).collect();
    let arr = int_array(&items);
    let refs = int_array(&[0]);
    // An old object: stores of references into it need the barrier.
    unsafe { *(refs as *mut u64) |= abi::layout::FLAG_TRACK_YOUNG_PTRS };
    let p = metainterp::JitParams {
        optimize: false,
        ..params(3)
    };
    let mut st = state(heap_program(), vec![], vec![], p);
    let before = BARRIERS.load(Ordering::Relaxed);
    assert_eq!(aot_heap(&mut st, arr, refs), items.iter().sum::<i64>());
    assert!(BARRIERS.load(Ordering::Relaxed) > before + 50);
    // The last stored object holds the running sum.
    let last = unsafe { *(refs as *const u64).add(2) };
    assert_eq!(
        unsafe { *(last as *const i64).add(1) },
        items.iter().sum::<i64>()
    );
    let (_, trace) = st.loops().next().unwrap();
    let names = opnames(trace);
    for n in [
        "arraylen_gc",
        "uint_lt",
        "guard_true",
        "getarrayitem_gc_i",
        "new",
        "setfield_gc",
        "setarrayitem_gc",
    ] {
        assert!(names.contains(&n), "{n} in {names:?}");
    }
}

// ---- 6. aborts ---------------------------------------------------------

#[test]
fn too_long_traces_abort_and_back_off() {
    let p = metainterp::JitParams {
        trace_limit: 2,
        ..params(5)
    };
    let mut st = state(sum_program(), vec![], vec![], p);
    assert_eq!(aot_sum(&mut st, 1000), 499_500);
    let s = st.stats();
    assert_eq!(s.loops_compiled, 0);
    assert!(s.aborts >= 2 && s.aborts == s.traces_started, "{s:?}");
    assert!(s.aborts < 10, "the threshold doubles: {s:?}");
    assert_eq!(s.abort_reasons[0], "trace too long");
}

#[test]
fn portal_returning_while_tracing_aborts_and_returns() {
    let mut st = state(sum_program(), vec![], vec![], params(5));
    assert_eq!(aot_sum(&mut st, 4), 6);
    let s = st.stats();
    assert_eq!((s.traces_started, s.aborts, s.loops_compiled), (1, 1, 0));
    assert_eq!(s.abort_reasons, ["the portal returns"]);
}

#[test]
fn cold_merge_point_leaves_buf_unchanged() {
    let mut st = state(sum_program(), vec![], vec![], params(5));
    assert!(!st.is_busy());
    let mut buf = [0u64, 0, 10];
    assert_eq!(mp(&mut st, 0, &mut buf), 0);
    assert_eq!(buf, [0, 0, 10]);
    assert!(!st.is_busy());
}
