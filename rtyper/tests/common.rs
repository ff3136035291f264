//! Helpers of the rtyper's tests: source text to a verified `LLProgram`.

#![allow(dead_code)]

use flowspace::model::Program;
use flowspace::SourceMap;
use rtyper::llgraph::LLProgram;

pub fn rtype_src(path: &str, src: &str) -> Result<(SourceMap, Program, LLProgram), String> {
    let (sm, p, ll) = rtype_unverified(path, src)?;
    let errs = rtyper::verify::verify_program(&ll);
    if !errs.is_empty() {
        return Err(format!(
            "verifier:\n{}\n\n{}",
            errs.join("\n"),
            rtyper::dump::program_to_text(&ll)
        ));
    }
    Ok((sm, p, ll))
}

/// Source text to an `LLProgram`, without running the verifier.
pub fn rtype_unverified(path: &str, src: &str) -> Result<(SourceMap, Program, LLProgram), String> {
    let mut sm = SourceMap::default();
    let mut p = flowspace::frontend::build_program(&mut sm, path, src)
        .map_err(|d| format!("frontend:\n{}", flowspace::diag::render(&sm, &d)))?;
    let a = annotator::annotate(&mut p)
        .map_err(|d| format!("annotator:\n{}", flowspace::diag::render(&sm, &d)))?;
    let ll = rtyper::rtype(&p, &a, &sm)
        .map_err(|d| format!("rtyper:\n{}", flowspace::diag::render(&sm, &d)))?;
    Ok((sm, p, ll))
}

pub fn rtype_ok(src: &str) -> LLProgram {
    match rtype_src("test.rs", src) {
        Ok((_, _, ll)) => ll,
        Err(e) => panic!("{e}"),
    }
}

/// The text dump of the graph named `name`.
pub fn graph_text(ll: &LLProgram, name: &str) -> String {
    let id = ll
        .graphs
        .iter()
        .find(|(_, g)| g.name == name)
        .map(|(id, _)| id)
        .unwrap_or_else(|| panic!("no graph {name}"));
    rtyper::dump::graph_to_text(ll, id)
}

/// The op names of a graph, in block order (`int_add`, `getfield<...>`).
pub fn op_names(ll: &LLProgram, name: &str) -> Vec<String> {
    let g = ll
        .graphs
        .values()
        .find(|g| g.name == name)
        .unwrap_or_else(|| panic!("no graph {name}"));
    g.blocks
        .values()
        .flat_map(|b| b.ops.iter())
        .map(|op| rtyper::dump::op_name(ll, &op.kind))
        .collect()
}
