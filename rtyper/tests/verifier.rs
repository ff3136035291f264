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

#[test]
fn verifier_checks_type_id_of_and_ptr_cast_operands() {
    let prog = |body: &str| {
        let src = format!(
            "type Pair = struct {{ a: i64 }}\n\ngraph main(v0: *Pair, v1: i64) -> void\nblock0(v0, v1):\n{body}  return void\n"
        );
        let ll = rtyper::text::parse_program(&src).unwrap_or_else(|e| panic!("{e}\n{src}"));
        rtyper::verify::verify_program(&ll)
    };
    let ok = prog("  v2: u32 = type_id_of(v0)\n  v3: *Object = ptr_cast(v0)\n  v4: *Pair = ptr_cast(v3)\n  v5: u32 = type_id_of(v3)\n");
    assert!(ok.is_empty(), "{ok:?}");
    for (body, what) in [
        ("  v2: u32 = type_id_of(v1)\n", "type_id_of"),
        ("  v2: u64 = type_id_of(v0)\n", "type_id_of"),
        ("  v2: u32 = type_id_of(null<Pair>)\n", "type_id_of"),
        ("  v2: u32 = type_id_of(v0, v0)\n", "type_id_of"),
        ("  v2: *Pair = ptr_cast(v1)\n", "ptr_cast"),
        ("  v2: i64 = ptr_cast(v0)\n", "ptr_cast"),
    ] {
        let errs = prog(body);
        assert!(
            errs.iter()
                .any(|e| e.contains(what) && e.contains("reference")),
            "{body}: {errs:?}"
        );
    }
}
