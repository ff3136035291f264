//! The call graph of a low-level program (direct calls only) and its
//! strongly connected components: a callee in the same component as its
//! caller is part of a recursive cycle.

use cranelift_entity::EntityRef;
use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use rtyper::llgraph::{LLGraphId, LLOpKind, LLProgram};

pub struct CallGraph {
    /// The component of each graph, by graph index.
    component: Vec<usize>,
    /// Whether each component calls itself (a cycle, or one graph calling
    /// itself).
    cyclic: Vec<bool>,
    /// Graphs with callees before their callers (components in reverse
    /// topological order), so callees are optimised first.
    pub bottom_up: Vec<LLGraphId>,
}

impl CallGraph {
    pub fn new(program: &LLProgram) -> CallGraph {
        let n = program.graphs.len();
        let mut dg: DiGraph<(), ()> = DiGraph::with_capacity(n, n);
        let nodes: Vec<NodeIndex> = (0..n).map(|_| dg.add_node(())).collect();
        let mut self_calls = vec![false; n];
        for (gid, g) in program.graphs.iter() {
            for op in g.blocks.values().flat_map(|b| &b.ops) {
                if let LLOpKind::DirectCall(c) = op.kind {
                    if c.index() < n {
                        dg.update_edge(nodes[gid.index()], nodes[c.index()], ());
                        self_calls[gid.index()] |= c == gid;
                    }
                }
            }
        }
        // tarjan_scc yields components in postorder: callees first.
        let sccs = tarjan_scc(&dg);
        let mut component = vec![0; n];
        let mut cyclic = vec![false; sccs.len()];
        let mut bottom_up = Vec::with_capacity(n);
        for (ci, scc) in sccs.iter().enumerate() {
            cyclic[ci] = scc.len() > 1 || scc.iter().any(|x| self_calls[x.index()]);
            for x in scc {
                component[x.index()] = ci;
                bottom_up.push(LLGraphId::new(x.index()));
            }
        }
        CallGraph {
            component,
            cyclic,
            bottom_up,
        }
    }

    /// Whether a call from `a` to `b` is part of a recursive cycle (also
    /// true for `a == b`).
    pub fn same_cycle(&self, a: LLGraphId, b: LLGraphId) -> bool {
        if a == b {
            return true;
        }
        match (self.component.get(a.index()), self.component.get(b.index())) {
            (Some(x), Some(y)) => x == y && self.cyclic[*x],
            _ => true,
        }
    }
}
