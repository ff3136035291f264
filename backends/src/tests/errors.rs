//! Malformed programs are errors naming the graph, never panics; the IR
//! text of a graph is available for dumps.

use super::builder::*;
use crate::aot::{clif_text, compile};
use crate::BackendError;
use flowspace::model::IntTy;
use rtyper::llgraph::{LLConst, LLExit, LLOpKind as K, LLValue};
use rtyper::lltype::LLType;

fn one_graph(
    build: impl FnOnce(&mut GraphBuilder, flowspace::model::Block),
) -> rtyper::llgraph::LLProgram {
    let mut p = ProgramBuilder::new();
    let (mut g, start, _) = GraphBuilder::new("Bad::thing", &[], LLType::Void);
    build(&mut g, start);
    let main = p.add(g);
    p.finish(main)
}

fn compile_err(prog: &rtyper::llgraph::LLProgram) -> BackendError {
    match compile(prog) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e,
    }
}

#[test]
fn type_mismatch_is_an_error_naming_the_graph() {
    // i32 + i64
    let prog = one_graph(|g, s| {
        g.op(s, K::IntAdd, vec![i32c(1), int(2, IntTy::I64)], I32);
        g.exit(s, LLExit::Return(c(LLConst::Void)));
    });
    let e = compile_err(&prog);
    let text = e.to_string();
    assert!(text.contains("Bad::thing"), "{text}");
    assert!(
        matches!(
            e,
            BackendError::Verifier { .. } | BackendError::Unsupported { .. }
        ),
        "{e:?}"
    );
}

#[test]
fn undefined_variable_and_bad_links_are_errors() {
    let prog = one_graph(|g, s| {
        let ghost = g.var(I32);
        g.op(s, K::IntNeg, vec![LLValue::Var(ghost)], I32);
        g.exit(s, LLExit::Return(c(LLConst::Void)));
    });
    assert!(compile_err(&prog).to_string().contains("not defined"));

    let prog = one_graph(|g, s| {
        let x = g.op(s, K::IntNeg, vec![i32c(1)], I32);
        let (b, bv) = g.block(&[I32]);
        g.goto(s, b, vec![v(x)]);
        // `bv[0]` defined again by an op
        g.blocks_mut_push_op(b, K::IntNeg, vec![v(x)], bv[0]);
        g.exit(b, LLExit::Return(c(LLConst::Void)));
    });
    assert!(compile_err(&prog).to_string().contains("defined twice"));

    let prog = one_graph(|g, s| {
        let (b, _) = g.block(&[I32, I32]);
        g.goto(s, b, vec![i32c(1)]);
    });
    assert!(compile_err(&prog)
        .to_string()
        .contains("passes 1 values for 2 inputs"));

    let prog = one_graph(|g, s| {
        g.op(s, K::Cast, vec![c(LLConst::Float(1.0))], LLType::Char);
        g.exit(s, LLExit::Return(c(LLConst::Void)));
    });
    assert!(compile_err(&prog)
        .to_string()
        .contains("no `as` conversion"));

    let prog = one_graph(|g, s| {
        g.op(
            s,
            K::GetField {
                ty: rtyper::lltype::well_known::BYTE_ARRAY,
                field: 0,
            },
            vec![c(LLConst::Null(rtyper::lltype::well_known::BYTE_ARRAY))],
            I64,
        );
        g.exit(s, LLExit::Return(c(LLConst::Void)));
    });
    assert!(compile_err(&prog).to_string().contains("non-struct"));
}

#[test]
fn entry_must_take_nothing() {
    let mut p = ProgramBuilder::new();
    let (mut g, start, a) = GraphBuilder::new("main", &[I32], LLType::Void);
    g.exit(start, LLExit::Return(v(a[0])));
    let main = p.add(g);
    assert!(compile_err(&p.finish(main))
        .to_string()
        .contains("entry graph"));
}

#[test]
fn clif_text_shows_block_params_and_cold_panic_block() {
    let mut p = ProgramBuilder::new();
    let (mut g, start, a) = GraphBuilder::new("f", &[USIZE, USIZE], I64);
    g.op(
        start,
        K::Check(rtyper::llgraph::CheckKind::Bounds),
        vec![v(a[0]), v(a[1])],
        LLType::Void,
    );
    let (b, bv) = g.block(&[USIZE]);
    g.goto(start, b, vec![v(a[0])]);
    g.exit(b, LLExit::Return(v(bv[0])));
    let f = p.add(g);
    let (mut m, s, _) = GraphBuilder::new("main", &[], LLType::Void);
    m.exit(s, LLExit::Return(c(LLConst::Void)));
    let main = p.add(m);
    let prog = p.finish(main);
    let text = clif_text(&prog, f).expect("lowers");
    assert!(
        text.contains("(v0: i64, v1: i64)") || text.contains("block0(v0: i64, v1: i64)"),
        "{text}"
    );
    assert!(text.contains("cold"), "{text}");
    assert!(
        text.contains("rr_panic_bounds") || text.contains("call fn"),
        "{text}"
    );
    assert!(text.contains("icmp ult"), "{text}");
}
