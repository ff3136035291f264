//! What calls may do: runtime functions per `abi::runtime_fns`, graphs
//! computed transitively over the call graph. One analysis for every
//! consumer: the AOT backend (which calls may collect: the shadow-stack
//! plan), the codewriter (call descriptors of the JIT) and the passes here.

use abi::Effects;
use cranelift_entity::EntityRef;
use rtyper::llgraph::{LLGraph, LLOpKind, LLProgram};

/// Effects of a call of runtime function `name`.
pub fn runtime_effects(name: &str) -> Effects {
    abi::runtime_fns::effects(name)
}

/// What the ops of one graph do by themselves (calls of graphs excluded).
fn direct_effects(g: &LLGraph) -> Effects {
    let mut e = Effects::default();
    for op in g.blocks.values().flat_map(|b| &b.ops) {
        match &op.kind {
            LLOpKind::Malloc(_) | LLOpKind::MallocArray(_) => e.may_collect = true,
            LLOpKind::Check(_) => e.can_panic = true,
            LLOpKind::SetField { .. } | LLOpKind::SetArrayItem(_) => e.writes_heap = true,
            LLOpKind::GetField { .. } | LLOpKind::GetArrayItem(_) | LLOpKind::ArrayLen(_) => {
                e.reads_heap = true
            }
            // The header's type id never changes, and a cast is a copy:
            // neither reads mutable memory.
            LLOpKind::TypeIdOf | LLOpKind::PtrCast => {}
            LLOpKind::RuntimeCall(name) => {
                merge(&mut e, runtime_effects(name));
            }
            // With the JIT, the merge point runs arbitrary code.
            LLOpKind::JitMergePoint { .. } => {
                merge(&mut e, Effects::ANYTHING);
            }
            _ => {}
        }
    }
    e
}

/// `into |= from` for the transitive effects (not `elidable`, `noreturn`).
fn merge(into: &mut Effects, from: Effects) -> bool {
    let before = *into;
    into.may_collect |= from.may_collect;
    into.can_panic |= from.can_panic;
    into.reads_heap |= from.reads_heap;
    into.writes_heap |= from.writes_heap;
    *into != before
}

/// The effects of calling each graph, by graph index. A call of a missing
/// graph counts as doing everything.
pub fn graph_effects(program: &LLProgram) -> Vec<Effects> {
    let n = program.graphs.len();
    let mut fx: Vec<Effects> = program.graphs.values().map(direct_effects).collect();
    // Fixpoint: small programs, few rounds.
    let mut changed = true;
    while changed {
        changed = false;
        for (gid, g) in program.graphs.iter() {
            let mut e = fx[gid.index()];
            for op in g.blocks.values().flat_map(|b| &b.ops) {
                if let LLOpKind::DirectCall(c) = op.kind {
                    let ce = if c.index() < n {
                        fx[c.index()]
                    } else {
                        Effects::ANYTHING
                    };
                    merge(&mut e, ce);
                }
            }
            if merge(&mut fx[gid.index()], e) {
                changed = true;
            }
        }
    }
    for (gid, g) in program.graphs.iter() {
        let e = &mut fx[gid.index()];
        e.elidable = g.hints.purefunction;
        // A graph without a reachable `Return` never returns.
        e.noreturn = !crate::cfg::reverse_postorder(g)
            .iter()
            .any(|&b| matches!(g.blocks[b].exit, rtyper::llgraph::LLExit::Return(_)));
    }
    fx
}

/// Which graphs may collect, by graph index.
pub fn collecting_graphs(program: &LLProgram) -> Vec<bool> {
    graph_effects(program)
        .iter()
        .map(|e| e.may_collect)
        .collect()
}
