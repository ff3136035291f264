//! Shapes of the flow graphs the frontend builds for small programs.

use flowspace::model::{
    BinOp, Const, Exit, FmtKind, FmtPiece, FunctionGraph, IntTy, OpKind, Program, Value,
};
use flowspace::SourceMap;

fn build(src: &str) -> Program {
    let mut sources = SourceMap::default();
    match flowspace::frontend::build_program(&mut sources, "test.rs", src) {
        Ok(p) => {
            if let Err(e) = flowspace::verify::verify_program(&p) {
                panic!("verifier failed:\n{}", e.join("\n"));
            }
            p
        }
        Err(d) => panic!("{}", flowspace::diag::render(&sources, &d)),
    }
}

fn graph<'p>(p: &'p Program, name: &str) -> &'p FunctionGraph {
    &p.graphs[p.graph_by_name(name).expect("graph")]
}

fn all_ops(g: &FunctionGraph) -> Vec<&flowspace::model::Op> {
    g.blocks.values().flat_map(|b| b.ops.iter()).collect()
}

#[test]
fn while_loop_has_header_with_if_and_back_edge() {
    let p = build("fn main() { let mut i = 0; while i < 10 { i += 1; } }");
    let g = graph(&p, "main");
    let Exit::Goto(l) = &g.blocks[g.start].exit else {
        panic!("start should jump to the loop header")
    };
    let header = l.target;
    let h = &g.blocks[header];
    assert!(matches!(h.ops[0].kind, OpKind::Bin(BinOp::Lt)));
    let Exit::If { then_link, .. } = &h.exit else {
        panic!("the header should end with an if")
    };
    // The body adds and jumps back to the header.
    let body = &g.blocks[then_link.target];
    assert!(matches!(body.ops[0].kind, OpKind::Bin(BinOp::Add)));
    assert!(matches!(&body.exit, Exit::Goto(l) if l.target == header));
}

#[test]
fn match_on_bytes_is_a_switch() {
    let p = build(
        "fn f(c: u8) -> i32 { match c { b'a' => 1, b'b' | b'c' => 2, _ => 3 } }
         fn main() { f(1); }",
    );
    let g = graph(&p, "f");
    let Exit::Switch { cases, default, .. } = &g.blocks[g.start].exit else {
        panic!("expected a switch")
    };
    let consts: Vec<Const> = cases.iter().map(|(c, _)| c.clone()).collect();
    let u8c = |v| Const::Int(v, Some(IntTy::U8));
    assert_eq!(consts, vec![u8c(97), u8c(98), u8c(99)]);
    // The or-pattern's cases share the arm's block.
    assert_eq!(cases[1].1.target, cases[2].1.target);
    assert_ne!(cases[0].1.target, cases[1].1.target);
    assert_ne!(default.target, cases[0].1.target);
}

#[test]
fn failed_guard_falls_through_to_next_arm_with_same_value() {
    let p = build(
        "fn f(c: u8, z: bool) -> i32 { match c { b'[' if z => 1, b'[' => 2, _ => 3 } }
         fn main() { f(1, true); }",
    );
    let g = graph(&p, "f");
    let Exit::Switch { cases, default, .. } = &g.blocks[g.start].exit else {
        panic!("expected a switch")
    };
    assert_eq!(cases.len(), 1);
    // Case '[' tests the guard; its else goes to the arm returning 2.
    let guard = &g.blocks[cases[0].1.target];
    let Exit::If { else_link, .. } = &guard.exit else {
        panic!("the guard should be an if")
    };
    let returns = |b| -> Vec<Value> {
        // Follow gotos to the value passed to the result join.
        let mut b = b;
        for _ in 0..4 {
            match &g.blocks[b].exit {
                Exit::Goto(l) => {
                    if let Some(Value::Const(c)) = l.args.last() {
                        return vec![Value::Const(c.clone())];
                    }
                    b = l.target;
                }
                _ => break,
            }
        }
        vec![]
    };
    assert_eq!(
        returns(else_link.target),
        vec![Value::Const(Const::Int(2, None))]
    );
    assert_eq!(
        returns(default.target),
        vec![Value::Const(Const::Int(3, None))]
    );
}

#[test]
fn and_short_circuits() {
    let p = build(
        "fn g(x: i32) -> bool { x > 0 }
         fn f(a: bool, b: i32) -> bool { a && g(b) }
         fn main() { f(true, 1); }",
    );
    let f = graph(&p, "f");
    let start = &f.blocks[f.start];
    assert!(start.ops.is_empty(), "nothing runs before testing `a`");
    let Exit::If {
        then_link,
        else_link,
        ..
    } = &start.exit
    else {
        panic!("expected an if on `a`")
    };
    let calls = |b: flowspace::model::Block| {
        f.blocks[b]
            .ops
            .iter()
            .filter(|o| matches!(o.kind, OpKind::Call(_)))
            .count()
    };
    assert_eq!(calls(then_link.target), 1);
    assert_eq!(calls(else_link.target), 0);
    // The false side passes the constant `false` on.
    let Exit::Goto(l) = &f.blocks[else_link.target].exit else {
        panic!()
    };
    assert_eq!(l.args.last(), Some(&Value::Const(Const::Bool(false))));
}

#[test]
fn merge_point_header_is_dispatch_loop() {
    let text = std::fs::read_to_string("../../goal/bf/targetbf.rs").expect("targetbf.rs");
    let mut sources = SourceMap::default();
    let p = flowspace::frontend::build_program(&mut sources, "goal/bf/targetbf.rs", &text)
        .map_err(|d| flowspace::diag::render(&sources, &d))
        .unwrap();
    let id = p.merge_point_graph().expect("merge point");
    let g = &p.graphs[id];
    assert_eq!(g.name, "mainloop");
    let mp = g.hints.merge_point.as_ref().unwrap();
    assert_eq!(mp.greens, vec!["pc", "program", "bracket_map"]);
    assert_eq!(mp.reds, vec!["tape", "stdout", "stdin", "inbuf"]);
    assert_eq!(mp.get_printable_location.as_deref(), Some("get_location"));
    let h = &g.blocks[mp.loop_header.unwrap()];
    assert!(matches!(&h.ops[0].kind, OpKind::MethodCall { name, .. } if name == "len"));
    assert!(matches!(h.exit, Exit::If { .. }));
    assert!(graph(&p, "get_matching_bracket").hints.purefunction);
    assert_eq!(graph(&p, "main").name, p.graphs[p.entry].name);
}

#[test]
fn inclusive_range_never_steps_past_its_end() {
    let p = build("fn main() { let mut s = 0u32; for i in 0..=255u8 { s += i as u32; } }");
    let g = graph(&p, "main");
    let ops = all_ops(g);
    // The loop tests `i == end` before stepping.
    assert!(ops.iter().any(|o| matches!(o.kind, OpKind::Bin(BinOp::Eq))));
    assert!(ops.iter().any(|o| matches!(o.kind, OpKind::Bin(BinOp::Le))));
}

#[test]
fn for_over_slice_reads_len_once_and_indexes() {
    let p = build("fn f(v: &[u8]) -> u32 { let mut s = 0; for &x in v.iter() { s += x as u32; } s } fn main() {}");
    let g = graph(&p, "f");
    let lens: Vec<_> = all_ops(g)
        .into_iter()
        .filter(|o| matches!(&o.kind, OpKind::MethodCall { name, .. } if name == "len"))
        .collect();
    assert_eq!(lens.len(), 1);
    // `len` is evaluated in the start block, before the loop.
    assert!(g.blocks[g.start]
        .ops
        .iter()
        .any(|o| matches!(&o.kind, OpKind::MethodCall { name, .. } if name == "len")));
    assert!(all_ops(g)
        .iter()
        .any(|o| matches!(o.kind, OpKind::GetIndex)));
}

#[test]
fn format_strings_and_println() {
    let p = build("fn main() { let x = 5; let y = 6; println!(\"{x} {:>5} {{}}\", y); }");
    let g = graph(&p, "main");
    let ops = all_ops(g);
    let fmt = ops
        .iter()
        .find_map(|o| match &o.kind {
            OpKind::Format(p) => Some((p.clone(), o.args.clone())),
            _ => None,
        })
        .unwrap();
    assert_eq!(fmt.0.len(), 4);
    assert_eq!(fmt.0[1], FmtPiece::Lit(" ".into()));
    assert_eq!(fmt.0[3], FmtPiece::Lit(" {}\n".into()));
    let FmtPiece::Arg(spec) = &fmt.0[2] else {
        panic!()
    };
    assert_eq!(spec.width, Some(5));
    assert_eq!(
        fmt.1,
        vec![
            Value::Const(Const::Int(5, None)),
            Value::Const(Const::Int(6, None))
        ]
    );
    assert!(ops
        .iter()
        .any(|o| matches!(o.kind, OpKind::Print(flowspace::model::Stream::Stdout))));
}

#[test]
fn panics_and_assertions_have_rust_messages() {
    let p = build(
        "fn main() { let a = 1; assert_eq!(a, 2); assert!(a == 1); }
         fn p() { panic!(); }",
    );
    let fmts: Vec<Vec<FmtPiece>> = all_ops(graph(&p, "main"))
        .iter()
        .filter_map(|o| match &o.kind {
            OpKind::Format(p) => Some(p.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        fmts[0][0],
        FmtPiece::Lit("assertion `left == right` failed\n  left: ".into())
    );
    assert!(matches!(&fmts[0][1], FmtPiece::Arg(s) if s.kind == FmtKind::Debug));
    assert_eq!(fmts[0][2], FmtPiece::Lit("\n right: ".into()));
    assert_eq!(
        fmts[1],
        vec![FmtPiece::Lit("assertion failed: a == 1".into())]
    );
    let pg = graph(&p, "p");
    let start = &pg.blocks[pg.start];
    assert!(
        matches!(&start.ops[0].kind, OpKind::Format(p) if p == &vec![FmtPiece::Lit("explicit panic".into())])
    );
    assert!(matches!(start.ops[1].kind, OpKind::Panic));
    assert!(matches!(start.exit, Exit::Unreachable));
}

#[test]
fn consts_are_substituted_and_paths_canonicalised() {
    let p = build(
        "use std::io; use std::process;
         const N: usize = 2 * 4 + 1;
         fn main() { let s = io::stdin(); let n = N; if n > i32::MAX as usize { process::exit(3); } }",
    );
    let g = graph(&p, "main");
    let ops = all_ops(g);
    assert!(ops
        .iter()
        .any(|o| matches!(&o.kind, OpKind::CallPath(p) if p == &["std", "io", "stdin"])));
    assert!(ops.iter().any(|o| o
        .args
        .contains(&Value::Const(Const::Int(9, Some(IntTy::Usize))))));
    assert!(ops.iter().any(|o| o.args.contains(&Value::Const(Const::Int(
        i32::MAX as i128,
        Some(IntTy::I32)
    )))));
    // After `exit` the block ends as unreachable.
    let exit_block = g
        .blocks
        .values()
        .find(|b| b.ops.iter().any(|o| matches!(&o.kind, OpKind::CallPath(p) if p.last().map(|s| s.as_str()) == Some("exit"))))
        .unwrap();
    assert!(matches!(exit_block.exit, Exit::Unreachable));
}

#[test]
fn struct_literal_evaluates_in_source_order_and_stores_in_declaration_order() {
    let p = build(
        "struct S { a: i32, b: i32 }
         fn fa() -> i32 { 1 } fn fb() -> i32 { 2 }
         fn main() { let s = S { b: fb(), a: fa() }; let _ = s.a; }",
    );
    let g = graph(&p, "main");
    let ops = &g.blocks[g.start].ops;
    let name = |o: &flowspace::model::Op| match o.kind {
        OpKind::Call(id) => p.graphs[id].name.clone(),
        _ => String::new(),
    };
    assert_eq!(name(&ops[0]), "fb");
    assert_eq!(name(&ops[1]), "fa");
    assert!(matches!(ops[2].kind, OpKind::NewStruct(_)));
    assert_eq!(
        ops[2].args,
        vec![Value::Var(ops[1].result), Value::Var(ops[0].result)]
    );
}

#[test]
fn spans_are_one_based_like_rustc() {
    let p = build("fn main() {\n    let v = vec![1];\n    let x = v[3];\n}\n");
    let g = graph(&p, "main");
    let get = all_ops(g)
        .into_iter()
        .find(|o| matches!(o.kind, OpKind::GetIndex))
        .unwrap();
    assert_eq!((get.span.line, get.span.col), (3, 13));
}

#[test]
fn compound_assignment_to_indexed_field() {
    let p = build(
        "struct M { t: Vec<u8>, p: usize }
         impl M { fn inc(&mut self) { self.t[self.p] += 1; } }
         fn main() { let mut m = M { t: vec![0], p: 0 }; m.inc(); }",
    );
    let g = graph(&p, "M::inc");
    let kinds: Vec<String> = g.blocks[g.start]
        .ops
        .iter()
        .map(|o| flowspace::text::op_kind_text(&p, &o.kind))
        .collect();
    assert_eq!(
        kinds,
        vec!["getfield[t]", "getfield[p]", "getindex", "add", "setindex"]
    );
    assert_eq!(g.self_kind, Some(flowspace::model::SelfKind::RefMut));
}

#[test]
fn loop_break_value_and_labels() {
    let p = build(
        "fn main() { let mut i = 0; let r = 'outer: loop { loop { i += 1; if i > 3 { break 'outer i * 2; } } }; println!(\"{}\", r); }",
    );
    let text = flowspace::graph_to_text(&p, p.entry);
    assert!(text.contains("mul"), "{text}");
}

#[test]
fn every_prefix_of_targetbf_is_ok_or_err() {
    let text = std::fs::read_to_string("../../goal/bf/targetbf.rs").expect("targetbf.rs");
    let mut n = 0;
    for (i, _) in text.char_indices() {
        let mut sources = SourceMap::default();
        if let Ok(p) = flowspace::frontend::build_program(&mut sources, "t.rs", &text[..i]) {
            flowspace::verify::verify_program(&p).unwrap();
        }
        n += 1;
    }
    assert!(n > 4000);
}

#[test]
fn assert_messages_are_pretty_printed_like_rustc() {
    // Expected texts recorded from rustc 1.95's panics.
    let p = build(
        "fn main() {
            let v = vec![1u8, 2];
            let a: i32 = 3;
            assert!(v.len()>5||a==0x10 && !(a<=2));
            assert!(v[0] as i32==*&a-1);
            assert!((a, 'x').0 == -5i64 as i32 + \"s\".len() as i32);
            assert!(std::cmp::max(a,1) == [1, 2].len() as i32 % 2);
        }",
    );
    let msgs: Vec<String> = all_ops(graph(&p, "main"))
        .iter()
        .filter_map(|o| match &o.kind {
            OpKind::Format(p) => match p.as_slice() {
                [FmtPiece::Lit(s)] => Some(s.clone()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    assert_eq!(
        msgs,
        vec![
            "assertion failed: v.len() > 5 || a == 0x10 && !(a <= 2)",
            "assertion failed: v[0] as i32 == *&a - 1",
            "assertion failed: (a, 'x').0 == -5i64 as i32 + \"s\".len() as i32",
            "assertion failed: std::cmp::max(a, 1) == [1, 2].len() as i32 % 2",
        ]
    );
}
