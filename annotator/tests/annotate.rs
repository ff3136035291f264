//! Annotations of small programs: integer inference, list/dict defs, field
//! flags, method resolution, reachability and diagnostics.

mod common;

use annotator::{Resolution, SomeValue};
use flowspace::model::{IntTy, OpKind};

#[test]
fn loop_counter_compared_with_len_is_nonneg_usize() {
    let src = r#"
fn main() {
    let v: Vec<u8> = vec![1, 2, 3];
    let mut pc = 0;
    let mut total = 0u32;
    while pc < v.len() {
        total += v[pc] as u32;
        pc += 1;
    }
    println!("{}", total);
}
"#;
    let (_sm, p, a) = common::annotate_ok(src);
    assert_eq!(common::var_ann(&p, &a, "main", "pc"), vec!["usize+"]);
    assert_eq!(common::var_ann(&p, &a, "main", "total"), vec!["u32+"]);
}

/// Annotations of the results of the ops of `graph` that match `pred`.
fn op_results(
    p: &flowspace::model::Program,
    a: &annotator::Annotations,
    graph: &str,
    pred: impl Fn(&OpKind) -> bool,
) -> Vec<SomeValue> {
    let g = p.graph_by_name(graph).expect("graph");
    p.graphs[g]
        .blocks
        .values()
        .flat_map(|b| b.ops.iter())
        .filter(|op| pred(&op.kind))
        .map(|op| a.var(g, op.result))
        .collect()
}

#[test]
fn unconstrained_literal_defaults_to_i32_and_signed_sub_loses_nonneg() {
    let src = r#"
fn main() {
    let mut x = 5;
    x = x - 7;
    println!("{}", x);
}
"#;
    let (_sm, p, a) = common::annotate_ok(src);
    let subs = op_results(&p, &a, "main", |k| {
        matches!(k, OpKind::Bin(flowspace::model::BinOp::Sub))
    });
    assert_eq!(subs.len(), 1);
    assert_eq!(subs[0].int_ty(), Some(IntTy::I32));
    assert!(
        matches!(subs[0], SomeValue::Int { nonneg: false, .. }),
        "{:?}",
        subs[0]
    );
}

#[test]
fn literal_takes_the_parameter_type_of_the_callee() {
    let src = r#"
fn double(b: u8) -> u8 {
    b.wrapping_mul(2)
}
fn main() {
    let x = 3;
    println!("{}", double(x));
}
"#;
    let (_sm, p, a) = common::annotate_ok(src);
    let main = p.graph_by_name("main").expect("main");
    let tys: Vec<IntTy> = a
        .const_ints
        .iter()
        .filter(|((g, _), _)| *g == main)
        .map(|(_, t)| *t)
        .collect();
    assert_eq!(tys, vec![IntTy::U8]);
    let calls = op_results(&p, &a, "main", |k| matches!(k, OpKind::Call(_)));
    assert_eq!(calls[0].int_ty(), Some(IntTy::U8));
}

#[test]
fn method_calls_resolve_to_the_receivers_struct() {
    let src = r#"
struct A { x: i64 }
struct B { y: i64 }
impl A { fn get(&self) -> i64 { self.x } }
impl B { fn get(&self) -> i64 { self.y + 1 } }
fn main() {
    let a = A { x: 1 };
    let b = B { y: 2 };
    println!("{} {}", a.get(), b.get());
}
"#;
    let (_sm, p, a) = common::annotate_ok(src);
    let main = p.graph_by_name("main").expect("main");
    let mut resolved = vec![];
    for bd in p.graphs[main].blocks.values() {
        for op in &bd.ops {
            if let OpKind::MethodCall { name, .. } = &op.kind {
                if name == "get" {
                    match a.resolution(main, op.result) {
                        Some(Resolution::UserMethod(g)) => resolved.push(p.graphs[g].name.clone()),
                        other => panic!("get resolved to {other:?}"),
                    }
                }
            }
        }
    }
    assert_eq!(resolved, vec!["A::get".to_string(), "B::get".to_string()]);
}

#[test]
fn only_reachable_graphs_are_annotated() {
    let src = r#"
fn used() -> i32 { 1 }
fn unused() -> i32 { 2 }
fn main() { println!("{}", used()); }
"#;
    let (_sm, p, a) = common::annotate_ok(src);
    assert!(a.is_reachable(p.graph_by_name("used").expect("used")));
    assert!(!a.is_reachable(p.graph_by_name("unused").expect("unused")));
}

#[test]
fn list_defs_learn_item_type_and_resizing() {
    let src = r#"
fn main() {
    let mut v = Vec::new();
    v.push(7u16);
    let w = vec![1u8, 2];
    println!("{} {} {}", v.len(), w[0], w.len());
}
"#;
    let (_sm, p, a) = common::annotate_ok(src);
    assert_eq!(common::var_ann(&p, &a, "main", "v"), vec!["Vec<u16>"]);
    let main = p.graph_by_name("main").expect("main");
    let flags: Vec<(String, bool)> = p.graphs[main]
        .vars
        .iter()
        .filter_map(|(v, d)| {
            let n = d.name.clone()?;
            match a.var(main, v) {
                SomeValue::List(l) => Some((n, a.listdef(l)?.resized)),
                _ => None,
            }
        })
        .collect();
    assert!(flags.contains(&("v".to_string(), true)), "{flags:?}");
    assert!(flags.contains(&("w".to_string(), false)), "{flags:?}");
}

#[test]
fn fields_written_after_construction_are_flagged() {
    let src = r#"
struct Counter { step: u32, count: u32 }
impl Counter {
    fn tick(&mut self) { self.count += self.step; }
}
fn main() {
    let mut c = Counter { step: 2, count: 0 };
    c.tick();
    println!("{}", c.count);
}
"#;
    let (_sm, p, a) = common::annotate_ok(src);
    let s = p
        .structs
        .iter()
        .find(|(_, d)| d.name == "Counter")
        .expect("struct")
        .0;
    let f = &a.fields[&s];
    assert!(!f[0].written_after_construction, "step is never written");
    assert!(f[1].written_after_construction, "count is written by tick");
    assert_eq!(f[0].ann.int_ty(), Some(IntTy::U32));
}

#[test]
fn hashmap_keys_and_values_unify_with_literals() {
    let src = r#"
use std::collections::HashMap;
fn main() {
    let mut m: HashMap<u64, i8> = HashMap::new();
    m.insert(1, -1);
    println!("{}", m[&1]);
}
"#;
    let (_sm, p, a) = common::annotate_ok(src);
    assert_eq!(
        common::var_ann(&p, &a, "main", "m"),
        vec!["HashMap<u64, i8>"]
    );
    // Every unsuffixed literal of the program got its type.
    let tys: Vec<IntTy> = a.const_ints.values().copied().collect();
    assert!(
        tys.contains(&IntTy::U64) && tys.contains(&IntTy::I8),
        "{tys:?}"
    );
}

#[test]
fn code_after_process_exit_is_not_reached() {
    let src = r#"
fn stop() -> u8 {
    std::process::exit(3);
}
fn main() {
    let x = stop();
    println!("{}", x);
}
"#;
    let (_sm, p, a) = common::annotate_ok(src);
    let stop = p.graph_by_name("stop").expect("stop");
    assert_eq!(
        a.returns
            .get(&stop)
            .cloned()
            .unwrap_or(SomeValue::Impossible),
        SomeValue::Impossible
    );
    // `x` never gets a value.
    assert!(common::var_ann(&p, &a, "main", "x").is_empty());
}

#[test]
fn unsupported_method_is_reported_at_the_call() {
    let src = "fn main() {\n    let mut v = vec![3, 1, 2];\n    v.rotate_left(1);\n    println!(\"{}\", v[0]);\n}\n";
    let errs = common::annotate_err(src);
    assert_eq!(
        errs,
        vec!["test.rs:3:7: method `rotate_left` of `Vec` is not supported by RRust"]
    );
}

#[test]
fn mutable_borrow_of_an_integer_field_is_rejected() {
    // A local scalar behind `&mut` gets a cell; a field cannot.
    let src = "struct C { n: i32 }\nfn show(n: &mut i32) {\n    println!(\"{}\", n);\n}\nfn main() {\n    let mut c = C { n: 1 };\n    show(&mut c.n);\n}\n";
    let errs = common::annotate_err(src);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with("test.rs:7:10: `&mut` to a value of type"),
        "{errs:?}"
    );
}

#[test]
fn literal_out_of_range_is_rejected() {
    let src = "fn take(b: u8) -> u8 { b }\nfn main() {\n    let x = 300;\n    println!(\"{}\", take(x));\n}\n";
    let errs = common::annotate_err(src);
    // The frontend propagates the constant to its use, so the literal is
    // reported where it is passed.
    assert_eq!(errs, vec!["test.rs:4:20: literal out of range for `u8`"]);
}

#[test]
fn mismatched_list_items_are_rejected() {
    // `v` is a Vec<u8> by its declaration; pushing a u32 is a type error.
    let src = "fn main() {\n    let mut v: Vec<u8> = Vec::new();\n    let x: u32 = 1;\n    v.push(x);\n}\n";
    let errs = common::annotate_err(src);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with("test.rs:4:7: mismatched types in a list"),
        "{errs:?}"
    );
}

#[test]
fn annotated_dot_shows_annotations() {
    let src = "fn main() {\n    let v = vec![1u8];\n    println!(\"{}\", v.len());\n}\n";
    let (_sm, p, a) = common::annotate_ok(src);
    let dot = annotator::dot::annotated_graph_to_dot(&p, &a, p.entry);
    assert!(dot.starts_with("digraph \"main\""), "{dot}");
    assert!(dot.contains("Vec<u8>"), "{dot}");
    assert!(dot.contains("usize"), "{dot}");
}
