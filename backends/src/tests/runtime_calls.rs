//! Runtime calls are checked against `abi::runtime_fns` and get the
//! table's signature: an unknown function, a wrong arity or a type that
//! does not fit is an error naming the graph, the function, the table's
//! signature and the call's.

use super::builder::*;
use super::run::run;
use crate::aot::{clif_text, compile};
use crate::BackendError;
use flowspace::model::{Block, IntTy};
use rtyper::llgraph::{LLConst, LLExit, LLOpKind as K, LLProgram, LLValue};
use rtyper::lltype::{well_known as wk, LLType};

fn u64c(v: u64) -> LLValue {
    int(v as i64, IntTy::U64)
}

fn string() -> LLType {
    LLType::Ptr(wk::STRING)
}

fn one_graph(build: impl FnOnce(&mut GraphBuilder, Block)) -> LLProgram {
    let mut p = ProgramBuilder::new();
    let (mut g, start, _) = GraphBuilder::new("Bad::call", &[], LLType::Void);
    build(&mut g, start);
    g.exit(start, LLExit::Return(c(LLConst::Void)));
    let main = p.add(g);
    p.finish(main)
}

/// The call `name(args) -> ret` in a graph of its own.
fn call(name: &str, args: Vec<LLValue>, ret: LLType) -> LLProgram {
    one_graph(|g, s| {
        g.op(s, K::RuntimeCall(name.into()), args, ret);
    })
}

fn compile_err(prog: &LLProgram) -> String {
    match compile(prog) {
        Ok(_) => panic!("expected an error"),
        Err(e) => {
            assert!(matches!(e, BackendError::Unsupported { .. }), "{e:?}");
            let text = e.to_string();
            assert!(text.contains("in `Bad::call`"), "{text}");
            text
        }
    }
}

fn assert_compiles(prog: &LLProgram) {
    if let Err(e) = compile(prog) {
        panic!("expected to compile: {e}");
    }
}

/// An empty `String`.
fn new_string(g: &mut GraphBuilder, s: Block) -> LLValue {
    let ids = [wk::STRING.as_u32(), wk::BYTE_ARRAY.as_u32()];
    v(g.op(
        s,
        K::RuntimeCall("rr_list_new".into()),
        vec![u64c(ids[0] as u64), u64c(ids[1] as u64), u64c(1), u64c(8)],
        string(),
    ))
}

#[test]
fn unknown_runtime_function_is_an_error() {
    let text = compile_err(&call("rr_no_such_fn", vec![u64c(1)], LLType::Void));
    assert!(
        text.contains("`rr_no_such_fn`, which is not a runtime function of the table"),
        "{text}"
    );
    // A libc function is not a runtime call either.
    let text = compile_err(&call(
        "fmod",
        vec![c(LLConst::Float(1.0)), c(LLConst::Float(2.0))],
        LLType::Float,
    ));
    assert!(text.contains("`fmod`, which is not"), "{text}");
}

#[test]
fn wrong_arity_is_an_error() {
    let text = compile_err(&call("rr_flush", vec![u64c(1), u64c(2)], LLType::Void));
    assert!(
        text.contains(
            "runtime function `rr_flush` is called as `rr_flush(u64, u64) -> void`, \
             but the table (abi::runtime_fns) gives `rr_flush(u64) -> ()`: \
             it takes 1 arguments, the call passes 2"
        ),
        "{text}"
    );
    let text = compile_err(&call("rr_env_args", vec![u64c(1)], string()));
    assert!(text.contains("gives `rr_env_args() -> ptr`"), "{text}");
    assert!(
        text.contains("it takes 0 arguments, the call passes 1"),
        "{text}"
    );
}

#[test]
fn wrong_argument_type_is_an_error() {
    // An i32 variable for a u64 parameter.
    let prog = one_graph(|g, s| {
        let x = g.op(s, K::IntNeg, vec![i32c(1)], I32);
        g.op(
            s,
            K::RuntimeCall("rr_flush".into()),
            vec![v(x)],
            LLType::Void,
        );
    });
    let text = compile_err(&prog);
    assert!(text.contains("called as `rr_flush(i32) -> void`"), "{text}");
    assert!(
        text.contains("argument 1 is i32, which does not fit u64"),
        "{text}"
    );

    // A float for a u64, a pointer for a length (not a word), a u64 for a
    // pointer.
    let text = compile_err(&call(
        "rr_flush",
        vec![c(LLConst::Float(1.0))],
        LLType::Void,
    ));
    assert!(
        text.contains("argument 1 is f64, which does not fit u64"),
        "{text}"
    );
    let prog = one_graph(|g, s| {
        let sb = new_string(g, s);
        g.op(
            s,
            K::RuntimeCall("rr_str_repeat".into()),
            vec![sb, sb],
            string(),
        );
    });
    let text = compile_err(&prog);
    assert!(
        text.contains("argument 2 is *String, which does not fit u64"),
        "{text}"
    );
    let text = compile_err(&call("rr_print", vec![u64c(0), u64c(1)], LLType::Void));
    assert!(
        text.contains("argument 1 is u64, which does not fit ptr"),
        "{text}"
    );

    // A constant that does not fit: the fill char of a format spec is a u32.
    let prog = one_graph(|g, s| {
        let sb = new_string(g, s);
        g.op(
            s,
            K::RuntimeCall("rr_fmt_char".into()),
            vec![
                sb,
                c(LLConst::Char('x')),
                u64c(0),
                u64c(0),
                u64c(1 << 40),
                int(-1, IntTy::I64),
                int(-1, IntTy::I64),
            ],
            LLType::Void,
        );
    });
    let text = compile_err(&prog);
    assert!(
        text.contains("argument 5 is u64, which does not fit u32"),
        "{text}"
    );
    assert!(
        text.contains("gives `rr_fmt_char(ptr, u32, u64, u64, u32, i64, i64) -> ()`"),
        "{text}"
    );
}

#[test]
fn wrong_result_type_is_an_error() {
    let prog = one_graph(|g, s| {
        let sb = new_string(g, s);
        g.op(s, K::RuntimeCall("rr_str_eq".into()), vec![sb, sb], I64);
    });
    let text = compile_err(&prog);
    assert!(
        text.contains("the result is i64, which does not fit u8"),
        "{text}"
    );
    // A value from a function that returns nothing.
    let text = compile_err(&call("rr_flush", vec![u64c(1)], I64));
    assert!(
        text.contains("the result is i64, which does not fit ()"),
        "{text}"
    );
    // Dropping a result is not allowed either: the call site says what
    // it expects back.
    let text = compile_err(&call("rr_env_args", vec![], LLType::Void));
    assert!(
        text.contains("the result is void, which does not fit ptr"),
        "{text}"
    );
}

#[test]
fn fitting_call_sites_compile() {
    // Either signedness at the same width; `usize` lengths for u64.
    assert_compiles(&call("rr_flush", vec![int(1, IntTy::I64)], LLType::Void));
    assert_compiles(&call("rr_flush", vec![usize_c(1)], LLType::Void));
    assert_compiles(&call("rr_flush", vec![int(1, IntTy::Isize)], LLType::Void));
    assert_compiles(&call("rr_exit", vec![int(3, IntTy::U32)], LLType::Void));
    // Void arguments are dropped.
    assert_compiles(&call(
        "rr_flush",
        vec![c(LLConst::Void), u64c(1)],
        LLType::Void,
    ));
    let prog = one_graph(|g, s| {
        let sb = new_string(g, s);
        // Bool and i8 for u8, a Char for u32.
        g.op(
            s,
            K::RuntimeCall("rr_fmt_bool".into()),
            vec![
                sb,
                c(LLConst::Bool(true)),
                u64c(0),
                u64c(0),
                u64c(32),
                int(-1, IntTy::I64),
                int(-1, IntTy::I64),
            ],
            LLType::Void,
        );
        g.op(
            s,
            K::RuntimeCall("rr_panic_parse_int_unwrap".into()),
            vec![int(2, IntTy::I8), sb],
            LLType::Void,
        );
        // Pointers and integers for words.
        let d = g.op(
            s,
            K::RuntimeCall("rr_dict_new".into()),
            vec![u64c(1)],
            LLType::Ptr(wk::DICT),
        );
        g.op(
            s,
            K::RuntimeCall("rr_dict_insert".into()),
            vec![v(d), sb, int(5, IntTy::I64)],
            LLType::Bool,
        );
        g.op(
            s,
            K::RuntimeCall("rr_dict_getitem".into()),
            vec![v(d), sb, sb],
            string(),
        );
        g.op(
            s,
            K::RuntimeCall("rr_dict_getitem".into()),
            vec![v(d), sb, sb],
            LLType::Char,
        );
    });
    assert_compiles(&prog);
}

/// The call's signature is the table's: narrow values extended as the
/// runtime's types say, whatever the signedness at the call site.
#[test]
fn signature_comes_from_the_table() {
    let mut p = ProgramBuilder::new();
    let (mut g, s, _) = GraphBuilder::new("f", &[], LLType::Void);
    let sb = new_string(&mut g, s);
    let key = g.op(s, K::IntNeg, vec![int(1, IntTy::I64)], I64);
    g.op(
        s,
        K::RuntimeCall("rr_panic_parse_int_expect".into()),
        vec![sb, int(-2, IntTy::I8), sb],
        LLType::Void,
    );
    let d = g.op(
        s,
        K::RuntimeCall("rr_dict_new".into()),
        vec![u64c(0)],
        LLType::Ptr(wk::DICT),
    );
    let ch = g.op(
        s,
        K::RuntimeCall("rr_dict_getitem".into()),
        vec![v(d), v(key), sb],
        LLType::Char,
    );
    g.op(
        s,
        K::RuntimeCall("rr_str_push_char".into()),
        vec![sb, v(ch)],
        LLType::Void,
    );
    g.op(
        s,
        K::RuntimeCall("rr_exit".into()),
        vec![int(7, IntTy::U32)],
        LLType::Void,
    );
    g.exit(s, LLExit::Return(c(LLConst::Void)));
    let f = p.add(g);
    let (mut m, ms, _) = GraphBuilder::new("main", &[], LLType::Void);
    m.exit(ms, LLExit::Return(c(LLConst::Void)));
    let main = p.add(m);
    let prog = p.finish(main);
    let text = clif_text(&prog, f).expect("lowers");
    // u8 zero-extended although the call site passes an i8.
    assert!(text.contains("(i64, i8 uext, i64) system_v"), "{text}");
    // A char comes back in the low bits of the word.
    assert!(text.contains("(i64, i64, i64) -> i64 system_v"), "{text}");
    assert!(text.contains("ireduce.i32"), "{text}");
    assert!(text.contains("(i64, i32 uext) system_v"), "{text}");
    // i32 sign-extended although the call site passes a u32.
    assert!(text.contains("(i32 sext) system_v"), "{text}");
}

/// Constants that fit a narrower parameter (the rtyper passes a format
/// spec's fill char as a u64) and a char read back from a word run as
/// they should.
#[test]
fn converted_arguments_and_results_run() {
    let prog = one_graph(|g, s| {
        let sb = new_string(g, s);
        // `{:*>3}` of 'x'.
        g.op(
            s,
            K::RuntimeCall("rr_fmt_char".into()),
            vec![
                sb,
                c(LLConst::Char('x')),
                u64c(0),
                u64c(3 << 4),
                u64c('*' as u64),
                int(3, IntTy::I64),
                int(-1, IntTy::I64),
            ],
            LLType::Void,
        );
        let d = g.op(
            s,
            K::RuntimeCall("rr_dict_new_refs".into()),
            vec![u64c(0), u64c(0)],
            LLType::Ptr(wk::DICT),
        );
        let y = g.op(
            s,
            K::Cast,
            vec![c(LLConst::Char('y'))],
            LLType::Int(IntTy::U64),
        );
        g.op(
            s,
            K::RuntimeCall("rr_dict_insert".into()),
            vec![v(d), u64c(9), v(y)],
            LLType::Bool,
        );
        let ch = g.op(
            s,
            K::RuntimeCall("rr_dict_getitem".into()),
            vec![v(d), int(9, IntTy::I64), sb],
            LLType::Char,
        );
        g.op(
            s,
            K::RuntimeCall("rr_str_push_char".into()),
            vec![sb, v(ch)],
            LLType::Void,
        );
        g.op(
            s,
            K::RuntimeCall("rr_print".into()),
            vec![sb, int(1, IntTy::I32)],
            LLType::Void,
        );
    });
    let r = run(&prog);
    assert_eq!(r.code, Some(0), "stderr: {}", r.stderr);
    assert_eq!(r.stdout, "**xy");
}
