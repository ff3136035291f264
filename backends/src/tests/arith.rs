//! Integer and float ops and `as` casts, each in its own function called
//! with constant arguments, compared with what Rust computes.

use super::builder::*;
use super::run::run_with;
use crate::aot::AotOptions;
use flowspace::model::IntTy;
use rtyper::llgraph::{Cmp, LLConst, LLExit, LLOpKind as K};
use rtyper::lltype::LLType;

struct Case {
    kind: K,
    args: Vec<LLConst>,
    want: LLConst,
}

fn case(kind: K, args: Vec<LLConst>, want: LLConst) -> Case {
    Case { kind, args, want }
}

fn ty(k: &LLConst) -> LLType {
    match *k {
        LLConst::Int(_, t) => LLType::Int(t),
        LLConst::Bool(_) => LLType::Bool,
        LLConst::Char(_) => LLType::Char,
        LLConst::Float(_) => LLType::Float,
        _ => panic!("no value constants in arith cases"),
    }
}

/// Runs every case and returns the 1-based indices of those that failed
/// (the program exits with the first failing index).
fn run_cases(cases: &[Case], opts: &AotOptions) {
    let mut p = ProgramBuilder::new();
    let (mut main, start, _) = GraphBuilder::new("main", &[], LLType::Void);
    let mut cur = start;
    for (i, cs) in cases.iter().enumerate() {
        let params: Vec<LLType> = cs.args.iter().map(ty).collect();
        let rty = ty(&cs.want);
        let (mut g, s, ps) = GraphBuilder::new(&format!("case{i}"), &params, rty);
        let r = g.op(s, cs.kind.clone(), ps.iter().map(|x| v(*x)).collect(), rty);
        g.exit(s, LLExit::Return(v(r)));
        let f = p.add(g);

        let got = main.op(
            cur,
            K::DirectCall(f),
            cs.args.iter().map(|a| c(*a)).collect(),
            rty,
        );
        let ok = match cs.want {
            LLConst::Float(w) if w.is_nan() => main.op(
                cur,
                K::FloatCmp(Cmp::Ne),
                vec![v(got), v(got)],
                LLType::Bool,
            ),
            LLConst::Float(_) => main.op(
                cur,
                K::FloatCmp(Cmp::Eq),
                vec![v(got), c(cs.want)],
                LLType::Bool,
            ),
            _ => main.op(
                cur,
                K::IntCmp(Cmp::Eq),
                vec![v(got), c(cs.want)],
                LLType::Bool,
            ),
        };
        let (next, _) = main.block(&[]);
        let (fail, _) = main.block(&[]);
        main.exit_with(fail, i32c(i as i32 + 1));
        main.exit(
            cur,
            LLExit::If {
                cond: v(ok),
                then_link: link(next, vec![]),
                else_link: link(fail, vec![]),
            },
        );
        cur = next;
    }
    main.exit_with(cur, i32c(0));
    let m = p.add(main);
    let prog = p.finish(m);
    let r = run_with(&prog, opts);
    if r.code != Some(0) {
        let idx = r.code.unwrap_or(-1);
        let which = usize::try_from(idx - 1).ok().and_then(|i| cases.get(i));
        panic!(
            "case {idx} failed: {:?}\nstderr: {}",
            which.map(|c| (&c.kind, &c.args, &c.want)),
            r.stderr
        );
    }
}

fn both(cases: &[Case]) {
    run_cases(cases, &AotOptions::default());
    // Unoptimised (`--opt=0`).
    run_cases(
        cases,
        &AotOptions {
            optimize: false,
            ..AotOptions::default()
        },
    );
    // Without inlining the ops run on unknown arguments, not folded.
    run_cases(
        cases,
        &AotOptions {
            inline_threshold: 0,
            ..AotOptions::default()
        },
    );
}

fn i(v: i64, t: IntTy) -> LLConst {
    LLConst::Int(v, t)
}
fn f(v: f64) -> LLConst {
    LLConst::Float(v)
}
fn b(v: bool) -> LLConst {
    LLConst::Bool(v)
}

#[test]
fn wrapping_integer_arithmetic() {
    use IntTy::*;
    both(&[
        case(
            K::IntAdd,
            vec![i(200, U8), i(100, U8)],
            i(200u8.wrapping_add(100) as i64, U8),
        ),
        case(K::IntSub, vec![i(-128, I8), i(1, I8)], i(127, I8)),
        case(K::IntMul, vec![i(0x10000, I32), i(0x10000, I32)], i(0, I32)),
        case(
            K::IntMul,
            vec![i(3037000500, I64), i(3037000500, I64)],
            i(3037000500i64.wrapping_mul(3037000500), I64),
        ),
        case(
            K::IntShl,
            vec![i(1, U32), i(33, U32)],
            i(1u32.wrapping_shl(33) as i64, U32),
        ),
        case(K::IntShl, vec![i(1, U8), i(9, I32)], i(2, U8)),
        case(K::IntShr, vec![i(-16, I32), i(2, U32)], i(-4, I32)),
        case(K::IntShr, vec![i(0x8000_0000, U32), i(31, U32)], i(1, U32)),
        case(K::IntShr, vec![i(-128, I8), i(7, U32)], i(-1, I8)),
        case(K::IntShr, vec![i(-1, I64), i(65, U32)], i(-1, I64)),
        case(K::IntDiv, vec![i(-7, I32), i(2, I32)], i(-3, I32)),
        case(K::IntRem, vec![i(-7, I32), i(2, I32)], i(-1, I32)),
        case(
            K::IntDiv,
            vec![i(-1, U64), i(3, U64)],
            i((u64::MAX / 3) as i64, U64),
        ),
        case(K::IntRem, vec![i(250, U8), i(7, U8)], i(5, U8)),
        case(K::IntDiv, vec![i(200, U8), i(3, U8)], i(66, U8)),
        case(K::IntDiv, vec![i(-100, I8), i(3, I8)], i(-33, I8)),
        case(
            K::IntNeg,
            vec![i(i32::MIN as i64, I32)],
            i(i32::MIN as i64, I32),
        ),
        case(K::IntNeg, vec![i(5, I64)], i(-5, I64)),
        case(K::IntNot, vec![i(0x0F, U8)], i(0xF0, U8)),
        case(K::IntNot, vec![b(true)], b(false)),
        case(K::IntNot, vec![b(false)], b(true)),
        case(
            K::IntAnd,
            vec![i(0b1100, U16), i(0b1010, U16)],
            i(0b1000, U16),
        ),
        case(
            K::IntOr,
            vec![i(0b1100, U16), i(0b1010, U16)],
            i(0b1110, U16),
        ),
        case(K::IntXor, vec![b(true), b(true)], b(false)),
        case(K::IntCmp(Cmp::Lt), vec![i(-1, I8), i(1, I8)], b(true)),
        case(K::IntCmp(Cmp::Lt), vec![i(255, U8), i(1, U8)], b(false)),
        case(K::IntCmp(Cmp::Ge), vec![i(-1, I64), i(0, I64)], b(false)),
        case(K::IntCmp(Cmp::Gt), vec![i(-1, Usize), i(0, Usize)], b(true)),
        case(
            K::IntCmp(Cmp::Le),
            vec![LLConst::Char('a'), LLConst::Char('b')],
            b(true),
        ),
        case(K::IntCmp(Cmp::Ne), vec![b(true), b(false)], b(true)),
    ]);
}

#[test]
fn float_arithmetic_and_comparisons() {
    let nan = f64::NAN;
    both(&[
        case(K::FloatAdd, vec![f(0.1), f(0.2)], f(0.1 + 0.2)),
        case(K::FloatSub, vec![f(1.0), f(3.5)], f(-2.5)),
        case(K::FloatMul, vec![f(1.5), f(-4.0)], f(-6.0)),
        case(K::FloatDiv, vec![f(1.0), f(3.0)], f(1.0 / 3.0)),
        case(K::FloatRem, vec![f(7.5), f(2.0)], f(1.5)),
        case(K::FloatRem, vec![f(-7.5), f(2.0)], f(-1.5)),
        case(K::FloatNeg, vec![f(2.0)], f(-2.0)),
        case(K::FloatDiv, vec![f(0.0), f(0.0)], f(nan)),
        case(K::FloatCmp(Cmp::Lt), vec![f(nan), f(1.0)], b(false)),
        case(K::FloatCmp(Cmp::Ge), vec![f(nan), f(1.0)], b(false)),
        case(K::FloatCmp(Cmp::Eq), vec![f(nan), f(nan)], b(false)),
        case(K::FloatCmp(Cmp::Ne), vec![f(nan), f(nan)], b(true)),
        case(K::FloatCmp(Cmp::Le), vec![f(1.0), f(1.0)], b(true)),
    ]);
}

#[test]
fn as_casts_follow_rust() {
    use IntTy::*;
    let x300 = std::hint::black_box(300i32);
    let (e_acute, euro) = ('é', '€');
    both(&[
        case(K::Cast, vec![i(300, I32)], i(x300 as u8 as i64, U8)),
        case(K::Cast, vec![i(-1, I8)], i(u32::MAX as i64, U32)),
        case(K::Cast, vec![i(-1, I8)], i(-1, I64)),
        case(K::Cast, vec![i(255, U8)], i(-1, I8)),
        case(
            K::Cast,
            vec![i(u32::MAX as i64, U32)],
            i(u32::MAX as i64, I64),
        ),
        case(K::Cast, vec![i(-1, I64)], i(65535, U16)),
        case(K::Cast, vec![i(-2, I16)], i(-2, Isize)),
        case(K::Cast, vec![f(1e10)], i(i32::MAX as i64, I32)),
        case(K::Cast, vec![f(-1e10)], i(i32::MIN as i64, I32)),
        case(K::Cast, vec![f(-1.5)], i(0, U8)),
        case(K::Cast, vec![f(f64::NAN)], i(0, I32)),
        case(K::Cast, vec![f(f64::NAN)], i(0, U8)),
        case(K::Cast, vec![f(300.7)], i(255, U8)),
        case(K::Cast, vec![f(-200.0)], i(-128, I8)),
        case(K::Cast, vec![f(200.0)], i(127, I8)),
        case(K::Cast, vec![f(-40000.0)], i(i16::MIN as i64, I16)),
        case(K::Cast, vec![f(70000.0)], i(65535, U16)),
        case(K::Cast, vec![f(3.9)], i(3, I64)),
        case(K::Cast, vec![f(-3.9)], i(-3, I64)),
        case(K::Cast, vec![f(1e20)], i(-1, U64)),
        case(K::Cast, vec![f(-1.0)], i(0, U64)),
        case(K::Cast, vec![f(4e9)], i(4_000_000_000, U32)),
        case(K::Cast, vec![f(f64::INFINITY)], i(i64::MAX, I64)),
        case(K::Cast, vec![i(-1, U64)], f(u64::MAX as f64)),
        case(K::Cast, vec![i(-3, I32)], f(-3.0)),
        case(K::Cast, vec![i(255, U8)], f(255.0)),
        case(K::Cast, vec![i(-128, I8)], f(-128.0)),
        case(K::Cast, vec![i(i64::MAX, I64)], f(i64::MAX as f64)),
        case(K::Cast, vec![b(true)], i(1, I32)),
        case(K::Cast, vec![b(true)], i(1, U8)),
        case(K::Cast, vec![LLConst::Char('A')], i(65, U8)),
        case(
            K::Cast,
            vec![LLConst::Char('é')],
            i(e_acute as u8 as i64, U8),
        ),
        case(K::Cast, vec![LLConst::Char('€')], i(euro as u8 as i64, U8)),
        case(K::Cast, vec![LLConst::Char('€')], i('€' as i64, I64)),
        case(K::Cast, vec![i(65, U8)], LLConst::Char('A')),
        case(K::Cast, vec![i(0xE9, U8)], LLConst::Char('é')),
    ]);
}
