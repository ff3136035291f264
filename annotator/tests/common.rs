//! Helpers shared by the annotator's tests: build a program with the real
//! frontend and annotate it.

#![allow(dead_code)]

use annotator::Annotations;
use flowspace::model::Program;
use flowspace::SourceMap;

pub fn build(src: &str) -> (SourceMap, Program) {
    let mut sm = SourceMap::default();
    match flowspace::frontend::build_program(&mut sm, "test.rs", src) {
        Ok(p) => (sm, p),
        Err(d) => panic!(
            "frontend rejected the test program:\n{}",
            flowspace::diag::render(&sm, &d)
        ),
    }
}

pub fn annotate_ok(src: &str) -> (SourceMap, Program, Annotations) {
    let (sm, mut p) = build(src);
    match annotator::annotate(&mut p) {
        Ok(a) => (sm, p, a),
        Err(d) => panic!("annotation failed:\n{}", flowspace::diag::render(&sm, &d)),
    }
}

/// The one-line diagnostics of a program the annotator must reject.
pub fn annotate_err(src: &str) -> Vec<String> {
    let (sm, mut p) = build(src);
    match annotator::annotate(&mut p) {
        Ok(_) => panic!("annotation unexpectedly succeeded"),
        Err(d) => d
            .iter()
            .map(|x| flowspace::diag::one_line(&sm, x))
            .collect(),
    }
}

/// The annotation of the variable named `name` in graph `graph`, as text.
pub fn var_ann(p: &Program, a: &Annotations, graph: &str, name: &str) -> Vec<String> {
    let g = p.graph_by_name(graph).expect("graph exists");
    let gr = &p.graphs[g];
    let mut out: Vec<String> = gr
        .vars
        .iter()
        .filter(|(_, d)| d.name.as_deref() == Some(name))
        .map(|(v, _)| a.var(g, v))
        .filter(|x| !x.is_impossible())
        .map(|x| format!("{}{}", a.describe(p, &x), nonneg(&x)))
        .collect();
    out.sort();
    out.dedup();
    out
}

fn nonneg(x: &annotator::SomeValue) -> &'static str {
    match x {
        annotator::SomeValue::Int { nonneg: true, .. } => "+",
        _ => "",
    }
}
