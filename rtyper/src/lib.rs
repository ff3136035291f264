//! RTyping: annotated flow graphs to low-level graphs.
//!
//! - `lltype`: low-level types and heap layouts (one header word per object).
//! - `llgraph`: low-level graphs, the input of the backends.
//! - `repr`: the representation of each annotation, heap types, prebuilts.
//! - `arrays`: the rule that keeps array literals' copy semantics exact.
//! - `build`: the block builder (splitting blocks where a lowering branches).
//! - `lower`, `lower_ops`, `lower_builtins`, `lower_closures`: the rewriting
//!   of operations.
//! - `dump`, `dot`: text and Graphviz views of low-level graphs.
//! - `text`: the text form as a whole (`dump` prints it, `parse`, `parse_graph`
//!   and `parse_lex` read it back); `opnames`: the op names both sides use.
//! - `verify`: a checker of low-level graphs (SSA scoping and types).

mod arrays;
mod build;
pub mod dot;
pub mod dump;
mod format;
pub mod llgraph;
pub mod lltype;
mod lower;
mod lower_builtins;
mod lower_closures;
mod lower_ints;
mod lower_ops;
mod lower_slots;
pub mod opnames;
mod parse;
mod parse_graph;
mod parse_lex;
pub mod repr;
pub mod text;
pub mod verify;

use annotator::Annotations;
use flowspace::model::{GraphId, Program};
use flowspace::{Diagnostic, SourceMap};
use llgraph::{LLGraphId, LLProgram};
use std::collections::HashMap;

/// Lowers every reachable graph of `prog`.
pub fn rtype(
    prog: &Program,
    anns: &Annotations,
    sources: &SourceMap,
) -> Result<LLProgram, Vec<Diagnostic>> {
    let files: Vec<String> = sources.files.iter().map(|f| f.path.clone()).collect();
    // Entry first, then the other reachable graphs in discovery order.
    let mut order: Vec<GraphId> = vec![prog.entry];
    for g in &anns.reachable {
        if !order.contains(g) {
            order.push(*g);
        }
    }
    let graph_ids: HashMap<GraphId, LLGraphId> = order
        .iter()
        .enumerate()
        .map(|(i, g)| (*g, LLGraphId::from_u32(i as u32)))
        .collect();
    let arrays = arrays::check_mutated_arrays(prog, anns, sources, &order);
    if !arrays.is_empty() {
        return Err(arrays);
    }
    let mut reprs = repr::Reprs::new(prog, anns);
    let mut graphs = cranelift_entity::PrimaryMap::new();
    let mut diags = vec![];
    let mut names: HashMap<String, usize> = HashMap::new();
    for g in &order {
        match lower::lower_graph(&mut reprs, *g, &graph_ids, &files) {
            Ok(mut llg) => {
                // Graph names must be unique symbols.
                let n = names.entry(llg.name.clone()).or_insert(0);
                *n += 1;
                if *n > 1 {
                    llg.name = format!("{}__{}", llg.name, n);
                }
                graphs.push(llg);
            }
            Err(d) => {
                diags.push(d);
                // Keep ids aligned with `graph_ids` for the next graphs.
                graphs.push(placeholder(prog, *g));
            }
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    Ok(LLProgram {
        types: reprs.types,
        graphs,
        prebuilt: reprs.prebuilt,
        entry: LLGraphId::from_u32(0),
        files,
    })
}

fn placeholder(prog: &Program, g: GraphId) -> llgraph::LLGraph {
    let mut blocks = cranelift_entity::PrimaryMap::new();
    let start = blocks.push(llgraph::LLBlock {
        inputs: vec![],
        ops: vec![],
        exit: llgraph::LLExit::Unreachable,
    });
    let gr = prog.graphs.get(g);
    llgraph::LLGraph {
        name: gr.map(|x| x.name.clone()).unwrap_or_default(),
        ret: lltype::LLType::Void,
        start,
        blocks,
        vars: cranelift_entity::PrimaryMap::new(),
        hints: gr.map(|x| x.hints.clone()).unwrap_or_default(),
        span: gr.map(|x| x.span).unwrap_or_default(),
    }
}
