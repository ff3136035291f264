//! Source text through the real pipeline (flowspace, annotator, rtyper).

#![allow(dead_code)]

use flowspace::SourceMap;
use rtyper::llgraph::{LLGraphId, LLProgram};

pub fn rtype(path: &str, src: &str) -> LLProgram {
    let mut sm = SourceMap::default();
    let mut p = flowspace::frontend::build_program(&mut sm, path, src)
        .unwrap_or_else(|d| panic!("frontend:\n{}", flowspace::diag::render(&sm, &d)));
    let a = annotator::annotate(&mut p)
        .unwrap_or_else(|d| panic!("annotator:\n{}", flowspace::diag::render(&sm, &d)));
    rtyper::rtype(&p, &a, &sm)
        .unwrap_or_else(|d| panic!("rtyper:\n{}", flowspace::diag::render(&sm, &d)))
}

pub fn graph(ll: &LLProgram, name: &str) -> LLGraphId {
    ll.graphs
        .iter()
        .find(|(_, g)| g.name == name)
        .map(|(id, _)| id)
        .unwrap_or_else(|| {
            let names: Vec<&str> = ll.graphs.values().map(|g| g.name.as_str()).collect();
            panic!("no graph {name} in {names:?}")
        })
}

/// Whether the rtyper emitted a `JitMergePoint` (the lead's change).
pub fn has_merge_point(ll: &LLProgram) -> bool {
    ll.graphs.values().any(|g| {
        g.blocks
            .values()
            .flat_map(|b| &b.ops)
            .any(|op| matches!(op.kind, rtyper::llgraph::LLOpKind::JitMergePoint { .. }))
    })
}
