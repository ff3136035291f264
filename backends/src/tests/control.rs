//! Loops, switches and calls.

use super::builder::*;
use super::run::{assert_exit, run};
use flowspace::model::{Block, IntTy};
use rtyper::llgraph::{Cmp, LLExit, LLLink, LLOpKind as K};
use rtyper::lltype::LLType;

/// `let mut s = 0; for i in 1..=10 { s += i }; exit(s)`: block params carry
/// `i` and `s` around the loop.
#[test]
fn loop_sums_one_to_ten() {
    let mut p = ProgramBuilder::new();
    let (mut g, start, _) = GraphBuilder::new("main", &[], LLType::Void);
    let (head, hv) = g.block(&[I64, I64]);
    let (body, bv) = g.block(&[I64, I64]);
    let (done, dv) = g.block(&[I64]);
    g.goto(start, head, vec![int(1, IntTy::I64), int(0, IntTy::I64)]);
    let cond = g.op(
        head,
        K::IntCmp(Cmp::Le),
        vec![v(hv[0]), int(10, IntTy::I64)],
        LLType::Bool,
    );
    g.exit(
        head,
        LLExit::If {
            cond: v(cond),
            then_link: link(body, vec![v(hv[0]), v(hv[1])]),
            else_link: link(done, vec![v(hv[1])]),
        },
    );
    let s = g.op(body, K::IntAdd, vec![v(bv[1]), v(bv[0])], I64);
    let i = g.op(body, K::IntAdd, vec![v(bv[0]), int(1, IntTy::I64)], I64);
    g.goto(body, head, vec![v(i), v(s)]);
    let code = g.op(done, K::Cast, vec![v(dv[0])], I32);
    g.exit_with(done, v(code));
    let main = p.add(g);
    let prog = p.finish(main);
    let obj = crate::aot::compile(&prog).expect("compiles");
    assert_eq!(obj.stats.functions, 1);
    assert!(obj.stats.code_size > 0);
    // The only data is the GC type table of the seven well-known types:
    // count (4) + 7 entries (16 each) + 2 pointer offsets (4 each).
    assert_eq!(
        obj.stats.summary(),
        format!(
            "1 functions, {} bytes of code, 124 bytes of data",
            obj.stats.code_size
        )
    );
    assert!(obj.bytes.starts_with(b"\x7fELF"));
    assert_exit(&prog, 55);
}

/// A function `name(x: ty) -> i32` that ends in a `Switch` on `x`: the
/// cases `cases` makes (given the block that returns its `i32` input), the
/// default returning 0.
fn switch_graph(
    p: &mut ProgramBuilder,
    name: &str,
    ty: IntTy,
    cases: impl FnOnce(&mut GraphBuilder, Block) -> Vec<(i64, LLLink)>,
) -> rtyper::llgraph::LLGraphId {
    let (mut g, start, params) = GraphBuilder::new(name, &[LLType::Int(ty)], I32);
    let (ret, rv) = g.block(&[I32]);
    g.exit(ret, LLExit::Return(v(rv[0])));
    let cases = cases(&mut g, ret);
    g.exit(
        start,
        LLExit::Switch {
            value: v(params[0]),
            cases,
            default: link(ret, vec![i32c(0)]),
        },
    );
    p.add(g)
}

/// A function that maps its argument through a `Switch` (sparse and dense
/// cases, a negative case, links with and without arguments).
fn classify(p: &mut ProgramBuilder, ty: IntTy) -> rtyper::llgraph::LLGraphId {
    switch_graph(p, "classify", ty, |g, ret| {
        let (ten, _) = g.block(&[]);
        g.exit(ten, LLExit::Return(i32c(10)));
        let mut cases = Vec::new();
        for (k, r) in [
            (0, 1),
            (1, 2),
            (2, 3),
            (3, 4),
            (43, 5),
            (45, 6),
            (91, 7),
            (93, 8),
        ] {
            cases.push((k, link(ret, vec![i32c(r)])));
        }
        cases.push((4, link(ten, vec![])));
        if ty.signed() {
            cases.push((-1, link(ret, vec![i32c(9)])));
        }
        cases
    })
}

/// Calls `f(arg)` for each (arg, expected) and exits with the 1-based index
/// of the first mismatch, or 0.
fn check_calls(
    p: &mut ProgramBuilder,
    f: rtyper::llgraph::LLGraphId,
    arg_ty: IntTy,
    cases: &[(i64, i32)],
) -> rtyper::llgraph::LLGraphId {
    let (mut g, start, _) = GraphBuilder::new("main", &[], LLType::Void);
    let mut cur = start;
    for (i, (arg, want)) in cases.iter().enumerate() {
        let r = g.op(cur, K::DirectCall(f), vec![int(*arg, arg_ty)], I32);
        let ok = g.op(
            cur,
            K::IntCmp(Cmp::Eq),
            vec![v(r), i32c(*want)],
            LLType::Bool,
        );
        let (next, _) = g.block(&[]);
        let (fail, _) = g.block(&[]);
        g.exit_with(fail, i32c(i as i32 + 1));
        g.exit(
            cur,
            LLExit::If {
                cond: v(ok),
                then_link: link(next, vec![]),
                else_link: link(fail, vec![]),
            },
        );
        cur = next;
    }
    g.exit_with(cur, i32c(0));
    p.add(g)
}

#[test]
fn switch_on_i64_dispatches_every_case() {
    let mut p = ProgramBuilder::new();
    let f = classify(&mut p, IntTy::I64);
    let cases = [
        (0, 1),
        (1, 2),
        (2, 3),
        (3, 4),
        (4, 10),
        (43, 5),
        (44, 0),
        (45, 6),
        (91, 7),
        (92, 0),
        (93, 8),
        (-1, 9),
        (-2, 0),
        (1 << 40, 0),
        (i64::MIN, 0),
    ];
    let main = check_calls(&mut p, f, IntTy::I64, &cases);
    assert_exit(&p.finish(main), 0);
}

/// A `Switch` whose keys are exactly 0..6 of a 64-bit value (an
/// interpreter's opcodes): a jump table behind a range check, which
/// values that alias a key in their low 32 bits must not pass.
fn dense(p: &mut ProgramBuilder, ty: IntTy) -> rtyper::llgraph::LLGraphId {
    switch_graph(p, "dense", ty, |_, ret| {
        (0..6)
            .map(|k| (k, link(ret, vec![i32c(k as i32 + 1)])))
            .collect()
    })
}

#[test]
fn dense_switch_on_64_bits_checks_its_whole_range() {
    for ty in [IntTy::I64, IntTy::U64] {
        let mut p = ProgramBuilder::new();
        let f = dense(&mut p, ty);
        let cases = [
            (0, 1),
            (3, 4),
            (5, 6),
            (6, 0),
            (7, 0),
            (-1, 0),
            (1 << 32, 0),
            ((1 << 32) + 2, 0),
            (i64::MIN, 0),
            (i64::MAX, 0),
        ];
        let main = check_calls(&mut p, f, ty, &cases);
        assert_exit(&p.finish(main), 0);
    }
}

#[test]
fn switch_on_u8_and_i8() {
    let mut p = ProgramBuilder::new();
    let f = classify(&mut p, IntTy::U8);
    let main = check_calls(
        &mut p,
        f,
        IntTy::U8,
        &[(0, 1), (3, 4), (4, 10), (93, 8), (255, 0), (94, 0)],
    );
    assert_exit(&p.finish(main), 0);

    let mut p = ProgramBuilder::new();
    let f = classify(&mut p, IntTy::I8);
    let main = check_calls(
        &mut p,
        f,
        IntTy::I8,
        &[(-1, 9), (93, 8), (-128, 0), (127, 0), (2, 3)],
    );
    assert_exit(&p.finish(main), 0);
}

/// Recursive fib (never inlined into itself) and a small helper that is
/// inlined; both must compute the same as Rust.
#[test]
fn direct_calls_recursion_and_inlining() {
    let mut p = ProgramBuilder::new();
    let fib = p.declare("fib");
    let (mut g, start, n) = GraphBuilder::new("fib", &[I64], I64);
    let (small, _) = g.block(&[]);
    let (big, _) = g.block(&[]);
    let lt = g.op(
        start,
        K::IntCmp(Cmp::Lt),
        vec![v(n[0]), int(2, IntTy::I64)],
        LLType::Bool,
    );
    g.exit(
        start,
        LLExit::If {
            cond: v(lt),
            then_link: link(small, vec![]),
            else_link: link(big, vec![]),
        },
    );
    g.exit(small, LLExit::Return(v(n[0])));
    let a = g.op(big, K::IntSub, vec![v(n[0]), int(1, IntTy::I64)], I64);
    let fa = g.op(big, K::DirectCall(fib), vec![v(a)], I64);
    let b = g.op(big, K::IntSub, vec![v(n[0]), int(2, IntTy::I64)], I64);
    let fb = g.op(big, K::DirectCall(fib), vec![v(b)], I64);
    let s = g.op(big, K::IntAdd, vec![v(fa), v(fb)], I64);
    g.exit(big, LLExit::Return(v(s)));
    p.define(fib, g);

    // twice(x) = x + x, called through a Void-returning wrapper too.
    let (mut g, start, x) = GraphBuilder::new("Helpers::twice", &[I64, LLType::Void], I64);
    let d = g.op(start, K::IntAdd, vec![v(x[0]), v(x[0])], I64);
    g.exit(start, LLExit::Return(v(d)));
    let twice = p.add(g);

    let (mut g, start, _) = GraphBuilder::new("main", &[], LLType::Void);
    let f = g.op(start, K::DirectCall(fib), vec![int(20, IntTy::I64)], I64); // 6765
    let t = g.op(
        start,
        K::DirectCall(twice),
        vec![v(f), c(rtyper::llgraph::LLConst::Void)],
        I64,
    ); // 13530
    let r = g.op(start, K::IntRem, vec![v(t), int(251, IntTy::I64)], I64); // 13530 % 251 = 227
    let code = g.op(start, K::Cast, vec![v(r)], I32);
    g.exit_with(start, v(code));
    let main = p.add(g);
    let prog = p.finish(main);
    let obj = crate::aot::compile(&prog).expect("compiles");
    assert!(obj.stats.inlined_calls >= 1, "{:?}", obj.stats);
    assert_exit(&prog, 227);
    let no_inline = crate::aot::AotOptions {
        inline_threshold: 0,
        ..Default::default()
    };
    assert_eq!(
        crate::aot::compile_with(&prog, &no_inline)
            .unwrap()
            .stats
            .inlined_calls,
        0
    );
}

/// The entry returning normally exits with 0 (the runtime's `main`).
#[test]
fn main_returning_exits_zero() {
    let mut p = ProgramBuilder::new();
    let (mut g, start, _) = GraphBuilder::new("main", &[], LLType::Void);
    g.exit(start, LLExit::Return(c(rtyper::llgraph::LLConst::Void)));
    let main = p.add(g);
    let r = run(&p.finish(main));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
}

/// An inlined callee that refers to its own data symbols (a prebuilt
/// object, a panic location) inside a caller that already refers to other
/// ones: every symbol must still name the right object after inlining
/// (Cranelift 0.135's inliner alone gets this wrong).
#[test]
fn inlined_callees_keep_their_data_symbols() {
    use rtyper::llgraph::{CheckKind, LLConst, PrebuiltData};
    let mut p = ProgramBuilder::new();
    let arr = p.add_array("Array<i64>", I64);
    let first = p.add_prebuilt(arr, PrebuiltData::Array(vec![LLConst::Int(11, IntTy::I64)]));
    let second = p.add_prebuilt(
        arr,
        PrebuiltData::Array(vec![
            LLConst::Int(22, IntTy::I64),
            LLConst::Int(33, IntTy::I64),
        ]),
    );
    // get2(i) = second[i] with a bounds check
    let (mut g, start, a) = GraphBuilder::new("get2", &[USIZE], I64);
    let len = g.op(
        start,
        K::ArrayLen(arr),
        vec![c(LLConst::Prebuilt(second))],
        USIZE,
    );
    g.op_at(
        start,
        K::Check(CheckKind::Bounds),
        vec![v(a[0]), v(len)],
        LLType::Void,
        50,
        7,
    );
    let x = g.op(
        start,
        K::GetArrayItem(arr),
        vec![c(LLConst::Prebuilt(second)), v(a[0])],
        I64,
    );
    g.exit(start, LLExit::Return(v(x)));
    let get2 = p.add(g);

    let (mut g, start, _) = GraphBuilder::new("main", &[], LLType::Void);
    let x = g.op(
        start,
        K::GetArrayItem(arr),
        vec![c(LLConst::Prebuilt(first)), usize_c(0)],
        I64,
    );
    let mut cur = g.expect_eq(start, v(x), int(11, IntTy::I64), 1);
    let y = g.op(cur, K::DirectCall(get2), vec![usize_c(1)], I64);
    cur = g.expect_eq(cur, v(y), int(33, IntTy::I64), 2);
    let z = g.op(
        cur,
        K::GetArrayItem(arr),
        vec![c(LLConst::Prebuilt(first)), usize_c(0)],
        I64,
    );
    cur = g.expect_eq(cur, v(z), int(11, IntTy::I64), 3);
    g.op(cur, K::DirectCall(get2), vec![usize_c(7)], I64);
    g.exit_with(cur, i32c(4));
    let main = p.add(g);
    let prog = p.finish(main);
    assert!(crate::aot::compile(&prog).unwrap().stats.inlined_calls >= 2);
    let r = run(&prog);
    assert_eq!(r.code, Some(101), "stderr: {}", r.stderr);
    assert!(
        r.stderr.contains(
            "panicked at src/test.rs:50:7:\nindex out of bounds: the len is 2 but the index is 7\n"
        ),
        "{}",
        r.stderr
    );
}
