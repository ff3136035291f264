//! Checks that fail: exit code 101 and Rust's panic message on stderr.

use super::builder::*;
use super::run::run;
use flowspace::model::IntTy;
use rtyper::llgraph::{CheckKind, LLConst, LLExit, LLOpKind as K, PrebuiltData};
use rtyper::lltype::{well_known, LLType};

const NOTE: &str =
    "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n";

fn expect_panic(prog: &rtyper::llgraph::LLProgram, message: &str, loc: &str) {
    let r = run(prog);
    assert_eq!(
        r.code,
        Some(101),
        "stdout: {}\nstderr: {}",
        r.stdout,
        r.stderr
    );
    let want = format!("thread 'main' panicked at {loc}:\n{message}\n{NOTE}");
    assert_eq!(normalize(&r.stderr), want, "raw stderr: {:?}", r.stderr);
}

/// Drops what varies between runs or Rust versions: the thread id that
/// recent Rust prints after the thread name (`'main' (12345)`) and the
/// newline it prints before the message.
fn normalize(stderr: &str) -> String {
    let s = stderr.trim_start_matches('\n');
    match s.strip_prefix("thread 'main' (") {
        Some(rest) => match rest.split_once(") ") {
            Some((id, tail)) if id.chars().all(|c| c.is_ascii_digit()) => {
                format!("thread 'main' {tail}")
            }
            _ => s.to_string(),
        },
        None => s.to_string(),
    }
}

/// `a[5]` on an array of length 3, after a passing check on `a[2]`.
#[test]
fn bounds_check_panics_with_rust_message() {
    let mut p = ProgramBuilder::new();
    let arr = p.add_array("Array<i64>", I64);
    let ap = LLType::Ptr(arr);
    let (mut g, start, _) = GraphBuilder::new("main", &[], LLType::Void);
    let a = g.op(start, K::MallocArray(arr), vec![usize_c(3)], ap);
    let len = g.op(start, K::ArrayLen(arr), vec![v(a)], USIZE);
    g.op_at(
        start,
        K::Check(CheckKind::Bounds),
        vec![usize_c(2), v(len)],
        LLType::Void,
        4,
        9,
    );
    g.op(
        start,
        K::SetArrayItem(arr),
        vec![v(a), usize_c(2), int(1, IntTy::I64)],
        LLType::Void,
    );
    g.op_at(
        start,
        K::Check(CheckKind::Bounds),
        vec![usize_c(5), v(len)],
        LLType::Void,
        7,
        13,
    );
    g.op(start, K::GetArrayItem(arr), vec![v(a), usize_c(5)], I64);
    g.exit_with(start, i32c(3));
    let main = p.add(g);
    expect_panic(
        &p.finish(main),
        "index out of bounds: the len is 3 but the index is 5",
        "src/test.rs:7:13",
    );
}

/// Divisor checks: zero, then MIN / -1.
#[test]
fn division_checks_panic() {
    for (kind, args, msg) in [
        (
            CheckKind::DivZero,
            vec![int(0, IntTy::I32)],
            "attempt to divide by zero",
        ),
        (
            CheckKind::RemZero,
            vec![int(0, IntTy::U8)],
            "attempt to calculate the remainder with a divisor of zero",
        ),
        (
            CheckKind::DivOverflow,
            vec![int(i8::MIN as i64, IntTy::I8), int(-1, IntTy::I8)],
            "attempt to divide with overflow",
        ),
        (
            CheckKind::RemOverflow,
            vec![int(i64::MIN, IntTy::I64), int(-1, IntTy::I64)],
            "attempt to calculate the remainder with overflow",
        ),
    ] {
        let mut p = ProgramBuilder::new();
        // Through a parameter, so the test is not folded away.
        let tys: Vec<LLType> = args
            .iter()
            .map(|a| match a {
                rtyper::llgraph::LLValue::Const(LLConst::Int(_, t)) => LLType::Int(*t),
                _ => unreachable!(),
            })
            .collect();
        let (mut g, start, ps) = GraphBuilder::new("check", &tys, LLType::Void);
        // Passing values first: must not panic.
        g.op_at(
            start,
            K::Check(kind),
            ps.iter().map(|x| v(*x)).collect(),
            LLType::Void,
            12,
            5,
        );
        g.exit(start, LLExit::Return(c(LLConst::Void)));
        let check = p.add(g);
        let (mut g, start, _) = GraphBuilder::new("main", &[], LLType::Void);
        let ok_args: Vec<_> = tys
            .iter()
            .map(|t| match t {
                LLType::Int(it) => int(1, *it),
                _ => unreachable!(),
            })
            .collect();
        g.op(start, K::DirectCall(check), ok_args, LLType::Void);
        g.op(start, K::DirectCall(check), args.clone(), LLType::Void);
        g.exit_with(start, i32c(3));
        let main = p.add(g);
        expect_panic(&p.finish(main), msg, "src/test.rs:12:5");
    }
}

#[test]
fn unwrap_none_panics() {
    let mut p = ProgramBuilder::new();
    let (mut g, start, _) = GraphBuilder::new("main", &[], LLType::Void);
    g.op(
        start,
        K::Check(CheckKind::UnwrapNone),
        vec![c(LLConst::Bool(true))],
        LLType::Void,
    );
    g.op_at(
        start,
        K::Check(CheckKind::UnwrapNone),
        vec![c(LLConst::Bool(false))],
        LLType::Void,
        30,
        17,
    );
    g.exit_with(start, i32c(3));
    let main = p.add(g);
    expect_panic(
        &p.finish(main),
        "called `Option::unwrap()` on a `None` value",
        "src/test.rs:30:17",
    );
}

/// `expect(msg)` takes a string object as message and the location as a
/// prebuilt string object made by the backend.
#[test]
fn expect_panics_with_its_message() {
    let mut p = ProgramBuilder::new();
    let bytes = p.add_prebuilt(
        well_known::BYTE_ARRAY,
        PrebuiltData::Bytes(b"no config".to_vec()),
    );
    let msg = p.add_prebuilt(
        well_known::STRING,
        PrebuiltData::Struct(vec![
            LLConst::Int(9, IntTy::Usize),
            LLConst::Prebuilt(bytes),
        ]),
    );
    let (mut g, start, _) = GraphBuilder::new("main", &[], LLType::Void);
    g.op_at(
        start,
        K::Check(CheckKind::Expect),
        vec![c(LLConst::Bool(false)), c(LLConst::Prebuilt(msg))],
        LLType::Void,
        2,
        40,
    );
    g.exit_with(start, i32c(3));
    let main = p.add(g);
    expect_panic(&p.finish(main), "no config", "src/test.rs:2:40");
}
