//! Low-level operations of small programs: inline list access, division
//! checks, push, Option unwrap, strings and formatting, prebuilt strings.

mod common;

use rtyper::llgraph::{LLConst, LLOpKind, PrebuiltData};
use rtyper::lltype::well_known;

#[test]
fn vec_u8_index_is_inline_length_check_items_get() {
    let ll = common::rtype_ok(
        "fn at(v: &Vec<u8>, i: usize) -> u8 {\n    v[i]\n}\nfn main() {\n    let v = vec![1u8, 2];\n    println!(\"{}\", at(&v, 1));\n}\n",
    );
    assert_eq!(
        common::op_names(&ll, "at"),
        vec![
            "getfield<String.length>",
            "check<bounds>",
            "getfield<String.items>",
            "getarrayitem<Array<u8>>",
        ]
    );
}

#[test]
fn signed_division_gets_zero_and_overflow_checks() {
    let ll = common::rtype_ok(
        "fn div(a: i32, b: i32) -> i32 {\n    a / b\n}\nfn rem(a: u32, b: u32) -> u32 {\n    a % b\n}\nfn main() {\n    println!(\"{} {}\", div(7, 2), rem(7, 2));\n}\n",
    );
    assert_eq!(
        common::op_names(&ll, "div"),
        vec!["check<div_zero>", "check<div_overflow>", "int_div"]
    );
    // Unsigned: no overflow check.
    assert_eq!(
        common::op_names(&ll, "rem"),
        vec!["check<rem_zero>", "int_rem"]
    );
}

#[test]
fn push_tests_capacity_inline_and_grows_through_the_runtime() {
    let ll = common::rtype_ok(
        "fn add(v: &mut Vec<i64>, x: i64) {\n    v.push(x);\n}\nfn main() {\n    let mut v = Vec::new();\n    add(&mut v, 5);\n    println!(\"{}\", v.len());\n}\n",
    );
    let ops = common::op_names(&ll, "add");
    assert_eq!(
        ops,
        vec![
            "getfield<List<i64>.length>",
            "getfield<List<i64>.items>",
            "arraylen<Array<i64>>",
            "int_cmp<le>",
            "int_add",
            "call<rr_list_grow>",
            "getfield<List<i64>.items>",
            "setarrayitem<Array<i64>>",
            "setfield<List<i64>.length>",
        ]
    );
    // The grow call sits in its own block between the test and the store.
    let g = ll.graphs.values().find(|g| g.name == "add").expect("add");
    assert_eq!(g.blocks.len(), 3);
}

#[test]
fn option_unwrap_is_a_check() {
    let ll = common::rtype_ok(
        "fn last(v: &mut Vec<u32>) -> u32 {\n    v.pop().unwrap()\n}\nfn main() {\n    let mut v = vec![1u32];\n    println!(\"{}\", last(&mut v));\n}\n",
    );
    let ops = common::op_names(&ll, "last");
    assert!(ops.contains(&"check<unwrap_none>".to_string()), "{ops:?}");
    assert!(
        ops.contains(&"getfield<Option<u32>.value>".to_string()),
        "{ops:?}"
    );
}

#[test]
fn string_equality_and_formatting_call_the_runtime() {
    let ll = common::rtype_ok(
        "fn same(a: &str, b: &str) -> bool {\n    a == b\n}\nfn main() {\n    let n: i32 = -3;\n    let s = format!(\"n={:>4}\", n);\n    println!(\"{} {}\", s, same(&s, \"x\"));\n}\n",
    );
    assert_eq!(common::op_names(&ll, "same"), vec!["call<rr_str_eq>"]);
    let text = common::graph_text(&ll, "main");
    assert!(
        text.contains("call<rr_list_new>(1_u64, 0_u64, 1_u64, 0_u64)"),
        "{text}"
    );
    // i32: int_kind = 32 | signed << 8; `>` alignment is 3 << 4; width 4.
    assert!(
        text.contains(", 288_u64, 0_u64, 48_u64, 32_u64, 4_i64, -1_i64)"),
        "{text}"
    );
    assert!(text.contains("call<rr_print>"), "{text}");
}

#[test]
fn string_literals_are_prebuilt_strings() {
    let ll =
        common::rtype_ok("fn main() {\n    let s = \"hey\";\n    println!(\"{}\", s.len());\n}\n");
    let found = ll.prebuilt.values().any(|p| {
        p.ty == well_known::STRING
            && match &p.data {
                PrebuiltData::Struct(f) => match f.as_slice() {
                    [LLConst::Int(3, _), LLConst::Prebuilt(arr)] => matches!(
                        &ll.prebuilt[*arr].data,
                        PrebuiltData::Bytes(b) if b == b"hey"
                    ),
                    _ => false,
                },
                _ => false,
            }
    });
    assert!(found, "no prebuilt \"hey\"");
}

#[test]
fn method_calls_become_direct_calls_and_unit_params_vanish() {
    let ll = common::rtype_ok(
        "struct C { n: u8 }\nimpl C {\n    fn bump(&mut self, _u: ()) { self.n = self.n.wrapping_add(1); }\n}\nfn main() {\n    let mut c = C { n: 0 };\n    c.bump(());\n    println!(\"{}\", c.n);\n}\n",
    );
    let bump = ll
        .graphs
        .values()
        .find(|g| g.name == "C::bump")
        .expect("C::bump");
    assert_eq!(bump.params().len(), 1, "the unit parameter is dropped");
    let main = ll.graphs.values().find(|g| g.name == "main").expect("main");
    let calls: Vec<usize> = main
        .blocks
        .values()
        .flat_map(|b| b.ops.iter())
        .filter(|op| matches!(op.kind, LLOpKind::DirectCall(_)))
        .map(|op| op.args.len())
        .collect();
    assert_eq!(calls, vec![1]);
}

#[test]
fn nested_vec_repeat_clones_each_row_in_a_loop() {
    let ll = common::rtype_ok(
        "fn main() {\n    let mut g = vec![vec![0u8; 2]; 3];\n    g[1][0] = 5;\n    println!(\"{} {}\", g[0][0], g[1][0]);\n}\n",
    );
    let ops = common::op_names(&ll, "main");
    assert_eq!(
        ops.iter().filter(|o| *o == "call<rr_list_clone>").count(),
        1,
        "{ops:?}"
    );
    assert!(
        ops.contains(&"call<rr_list_new_filled>".to_string()),
        "{ops:?}"
    );
}

#[test]
fn dot_output_is_a_digraph() {
    let ll = common::rtype_ok("fn main() {\n    println!(\"hi\");\n}\n");
    let dot = rtyper::dot::ll_graph_to_dot(&ll, ll.entry);
    assert!(dot.starts_with("digraph \"main\""), "{dot}");
    assert!(dot.contains("rr_print"), "{dot}");
}

#[test]
fn modified_array_literals_are_rejected_but_vec_literals_are_not() {
    // `let mut b = a;` copies the array in Rust; the flow graph cannot see
    // the copy, so writing to an array literal's list is refused.
    let src = "fn main() {\n    let a = [1u8, 2, 3];\n    let mut b = a;\n    b[0] = 9;\n    println!(\"{} {}\", a[0], b[0]);\n}\n";
    let err = match common::rtype_src("test.rs", src) {
        Ok(_) => panic!("a modified array was accepted"),
        Err(e) => e,
    };
    assert!(
        err.contains("an array literal that is modified later is not supported"),
        "{err}"
    );
    assert!(err.contains("test.rs:2:13"), "{err}");
    // The same with `vec!` is fine (a Vec is moved, not copied), and so is
    // an array that is only read.
    common::rtype_ok("fn main() {\n    let mut b = vec![1u8, 2, 3];\n    b[0] = 9;\n    let a = [4u8, 5];\n    let c = a;\n    println!(\"{} {} {}\", b[0], a[1], c[0]);\n}\n");
}
