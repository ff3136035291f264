//! Which blocks of a graph are in a loop: those in a strongly connected
//! component of its control-flow graph with a cycle.

use cranelift_entity::EntityRef;
use flowspace::model::Block;
use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use rtyper::llgraph::LLGraph;
use std::collections::HashSet;

pub fn blocks_in_loops(g: &LLGraph) -> HashSet<Block> {
    let n = g.blocks.len();
    let mut cfg: DiGraph<(), ()> = DiGraph::with_capacity(n, n);
    for _ in 0..n {
        cfg.add_node(());
    }
    let mut self_loop = vec![false; n];
    for (b, bd) in g.blocks.iter() {
        for l in bd.exit.links() {
            if l.target.index() < n {
                cfg.update_edge(
                    NodeIndex::new(b.index()),
                    NodeIndex::new(l.target.index()),
                    (),
                );
                self_loop[b.index()] |= l.target == b;
            }
        }
    }
    let mut out = HashSet::new();
    for scc in tarjan_scc(&cfg) {
        if scc.len() > 1 || self_loop[scc[0].index()] {
            out.extend(scc.iter().map(|x| Block::new(x.index())));
        }
    }
    out
}
