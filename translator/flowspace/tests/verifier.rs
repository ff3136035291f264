//! The verifier finds broken graphs (so that its passing means something).

use cranelift_entity::PrimaryMap;
use flowspace::model::{BinOp, Const, Exit, FunctionGraph, Link, Op, OpKind, Program, Ty, Value};
use flowspace::Span;

fn program(g: FunctionGraph) -> Program {
    let mut graphs = PrimaryMap::new();
    let entry = graphs.push(g);
    Program {
        structs: PrimaryMap::new(),
        traits: PrimaryMap::new(),
        graphs,
        entry,
    }
}

/// `block0(a) -> block1(a + 1)`, `block1(b) -> return b`.
fn good() -> FunctionGraph {
    let mut g = FunctionGraph::new("f".into(), Span::default());
    g.param_tys.push(Ty::Infer);
    let a = g.new_var(Some("a".into()), Ty::Infer);
    let s = g.new_var(None, Ty::Infer);
    let b = g.new_var(None, Ty::Infer);
    let start = g.start;
    let b1 = g.new_block();
    g.blocks[start].inputs.push(a);
    g.blocks[start].ops.push(Op {
        kind: OpKind::Bin(BinOp::Add),
        args: vec![Value::Var(a), Value::Const(Const::Int(1, None))],
        result: s,
        span: Span::default(),
        index_span: None,
    });
    g.blocks[start].exit = Exit::Goto(Link {
        target: b1,
        args: vec![Value::Var(s)],
    });
    g.blocks[b1].inputs.push(b);
    g.blocks[b1].exit = Exit::Return(Value::Var(b));
    g
}

#[test]
fn accepts_a_good_graph() {
    assert!(flowspace::verify::verify_program(&program(good())).is_ok());
}

#[test]
fn finds_use_of_a_var_from_another_block() {
    let mut g = good();
    let b1 = g.blocks.keys().nth(1).unwrap();
    let a = g.blocks[g.start].inputs[0];
    g.blocks[b1].exit = Exit::Return(Value::Var(a));
    let e = flowspace::verify::verify_program(&program(g)).unwrap_err();
    assert!(e[0].contains("uses v0"), "{e:?}");
}

#[test]
fn finds_link_arity_mismatch_and_double_definition() {
    let mut g = good();
    let start = g.start;
    if let Exit::Goto(l) = &mut g.blocks[start].exit {
        l.args.push(Value::Const(Const::Unit));
    }
    let a = g.blocks[start].inputs[0];
    let b1 = g.blocks.keys().nth(1).unwrap();
    g.blocks[b1].inputs.push(a);
    let e = flowspace::verify::verify_program(&program(g)).unwrap_err();
    assert!(e.iter().any(|m| m.contains("defined twice")), "{e:?}");
    assert!(
        !e.iter().any(|m| m.contains("passes")),
        "arity now matches: {e:?}"
    );
    let mut g = good();
    let start = g.start;
    if let Exit::Goto(l) = &mut g.blocks[start].exit {
        l.args.clear();
    }
    let e = flowspace::verify::verify_program(&program(g)).unwrap_err();
    assert!(
        e.iter().any(|m| m.contains("passes 0 values for 1 inputs")),
        "{e:?}"
    );
}
