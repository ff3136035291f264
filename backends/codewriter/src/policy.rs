//! Which graphs the JIT may look inside (they get a jitcode), in which
//! order, and which of them contain a loop.

use cranelift_entity::EntityRef;
use rtyper::llgraph::{LLGraph, LLGraphId, LLOpKind, LLProgram};
use std::collections::{HashMap, VecDeque};

/// Graphs whose ops contain a `JitMergePoint`, in graph order.
pub fn portals(program: &LLProgram) -> Vec<LLGraphId> {
    program
        .graphs
        .iter()
        .filter(|(_, g)| {
            g.blocks
                .values()
                .flat_map(|b| &b.ops)
                .any(|op| matches!(op.kind, LLOpKind::JitMergePoint { .. }))
        })
        .map(|(id, _)| id)
        .collect()
}

/// The graph called `name`, if the program has one.
pub fn graph_named(program: &LLProgram, name: &str) -> Option<LLGraphId> {
    program
        .graphs
        .iter()
        .find(|(_, g)| g.name == name)
        .map(|(id, _)| id)
}

/// The graphs that get a jitcode, in jitcode order: the roots first, then
/// every graph reachable from them by `DirectCall` through graphs the JIT
/// may look inside (not `dont_look_inside`), breadth first. Roots are
/// always included. Calls of missing graphs are skipped here (reported
/// when the call is written).
pub fn jitcode_graphs(program: &LLProgram, roots: &[LLGraphId]) -> Vec<LLGraphId> {
    let mut order: Vec<LLGraphId> = Vec::new();
    let mut seen: HashMap<LLGraphId, ()> = HashMap::new();
    let mut queue: VecDeque<LLGraphId> = VecDeque::new();
    for &r in roots {
        if program.graphs.get(r).is_some() && seen.insert(r, ()).is_none() {
            order.push(r);
            queue.push_back(r);
        }
    }
    while let Some(g) = queue.pop_front() {
        for op in program.graphs[g].blocks.values().flat_map(|b| &b.ops) {
            if let LLOpKind::DirectCall(callee) = op.kind {
                let Some(cg) = program.graphs.get(callee) else {
                    continue;
                };
                if cg.hints.dont_look_inside || seen.contains_key(&callee) {
                    continue;
                }
                seen.insert(callee, ());
                order.push(callee);
                queue.push_back(callee);
            }
        }
    }
    order
}

pub use backendopt::cfg::reverse_postorder;

/// Whether the CFG of `g` (from its start) has a cycle.
pub fn has_cycle(g: &LLGraph) -> bool {
    let rpo = reverse_postorder(g);
    let mut pos = vec![usize::MAX; g.blocks.len()];
    for (i, b) in rpo.iter().enumerate() {
        pos[b.index()] = i;
    }
    // In a reverse postorder every edge goes forward except the back edges
    // of cycles (an edge to the block itself or to an earlier block).
    rpo.iter().any(|&b| {
        g.blocks[b].exit.links().iter().any(|l| {
            pos.get(l.target.index())
                .is_some_and(|&p| p <= pos[b.index()])
        })
    })
}

/// `JitCode::has_loop`: the graph has a cycle and is not `unroll_safe`;
/// portals always loop.
pub fn has_loop(g: &LLGraph, is_portal: bool) -> bool {
    is_portal || (has_cycle(g) && !g.hints.unroll_safe)
}
