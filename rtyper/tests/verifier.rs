//! The verifier itself rejects broken graphs (so the other tests' use of it
//! can fail).

mod common;

use rtyper::llgraph::{LLExit, LLOpKind, LLValue};

#[test]
fn verifier_reports_a_use_outside_its_block_and_bad_field_types() {
    let mut ll = common::rtype_ok(
        "fn f(v: &Vec<u8>) -> usize {\n    if v.len() > 1 { v.len() } else { 0 }\n}\nfn main() {\n    println!(\"{}\", f(&vec![1u8]));\n}\n",
    );
    assert!(rtyper::verify::verify_program(&ll).is_empty());
    let id = ll
        .graphs
        .iter()
        .find(|(_, g)| g.name == "f")
        .map(|(id, _)| id)
        .expect("f");
    let g = &mut ll.graphs[id];
    // Return the start block's first op result from every other block.
    let start = g.start;
    let first = g.blocks[start].ops[0].result;
    for (b, bd) in g.blocks.iter_mut() {
        if b != start {
            bd.exit = LLExit::Return(LLValue::Var(first));
        }
    }
    // And make the first op read the wrong field type.
    if let LLOpKind::GetField { field, .. } = &mut g.blocks[start].ops[0].kind {
        *field = 1;
    }
    let errs = rtyper::verify::verify_program(&ll);
    assert!(
        errs.iter()
            .any(|e| e.contains("exit uses") && e.contains("outside its block")),
        "{errs:?}"
    );
    assert!(
        errs.iter().any(|e| e.contains("field access types")),
        "{errs:?}"
    );
}
