//! Malformed graphs give a `CodewriterError`, not a panic.

use codewriter::write_jitcodes_with_roots;
use cranelift_entity::PrimaryMap;
use flowspace::model::{FnHints, IntTy};
use flowspace::span::Span;
use rtyper::llgraph::{LLBlock, LLExit, LLGraph, LLLink, LLProgram, LLValue, LLVarData};
use rtyper::lltype::{new_type_table, LLType};

fn program(exit: impl FnOnce(flowspace::model::Var) -> LLExit) -> LLProgram {
    let mut vars = PrimaryMap::new();
    let undefined = vars.push(LLVarData {
        ty: LLType::Int(IntTy::I64),
        name: None,
    });
    let mut blocks = PrimaryMap::new();
    let start = blocks.push(LLBlock {
        inputs: vec![],
        ops: vec![],
        exit: exit(undefined),
    });
    let mut graphs = PrimaryMap::new();
    let entry = graphs.push(LLGraph {
        name: "bad".into(),
        ret: LLType::Int(IntTy::I64),
        start,
        blocks,
        vars,
        hints: FnHints::default(),
        span: Span::default(),
    });
    LLProgram {
        types: new_type_table(),
        graphs,
        prebuilt: PrimaryMap::new(),
        entry,
        files: vec![],
    }
}

#[test]
fn undefined_variable_is_an_internal_error() {
    let p = program(|v| LLExit::Return(LLValue::Var(v)));
    let e = write_jitcodes_with_roots(&p, &[p.entry]).unwrap_err();
    let text = e.to_string();
    assert!(
        text.starts_with("internal error: this is a bug in rrust"),
        "{text}"
    );
    assert!(
        text.contains("`bad`") && text.contains("never defined"),
        "{text}"
    );
}

#[test]
fn link_with_wrong_arity_is_an_internal_error() {
    let p = program(|v| {
        LLExit::Goto(LLLink {
            target: flowspace::model::Block::from_u32(0),
            args: vec![LLValue::Var(v)],
        })
    });
    let e = write_jitcodes_with_roots(&p, &[p.entry]).unwrap_err();
    assert!(
        e.to_string().contains("passes 1 values for 0 inputs"),
        "{e}"
    );
}

#[test]
fn no_portal_gives_an_empty_program() {
    let p = program(|v| LLExit::Return(LLValue::Var(v)));
    let data = codewriter::write_jitcodes(&p).unwrap();
    assert!(data.program.jitcodes.is_empty());
    assert_eq!(data.graph_jitcode, vec![None]);
}
