//! What the garbage collector needs from generated code (docs/runtime-abi.md,
//! "Garbage collection"), decided on the low-level graphs before lowering:
//! which calls may collect, and for each such call the `Ptr` variables
//! live after it (spilled to the shadow stack around the call and reloaded
//! after it). The lowering itself is in `gc_lower.rs`, the type table in
//! `gc_table.rs`.

use cranelift_entity::EntityRef;
use flowspace::model::{Block, Var};
use rtyper::llgraph::{LLExit, LLGraph, LLOp, LLOpKind, LLProgram, LLValue};
use std::collections::{HashMap, HashSet};

/// Whether a call of runtime function `name` may collect (the ABI's table;
/// an unknown function is assumed to).
pub(crate) fn runtime_may_collect(name: &str) -> bool {
    abi::runtime_fns::effects(name).may_collect
}

/// Whether `op` may collect, given which graphs may (`collecting`, by
/// graph index).
pub(crate) fn op_may_collect(op: &LLOp, collecting: &[bool]) -> bool {
    match &op.kind {
        LLOpKind::Malloc(_) | LLOpKind::MallocArray(_) => true,
        LLOpKind::RuntimeCall(name) => runtime_may_collect(name),
        LLOpKind::DirectCall(g) => collecting.get(g.index()).copied().unwrap_or(true),
        _ => false,
    }
}

/// Which graphs may collect, by graph index (`backendopt::effects`).
pub(crate) fn collecting_graphs(program: &LLProgram) -> Vec<bool> {
    backendopt::effects::collecting_graphs(program)
}

/// Called at each op of a backward scan with the live set after it.
type OpVisitor<'f> = &'f mut dyn FnMut(usize, &HashSet<Var>);

/// Scans block `b` backwards from the `Ptr` variables live at its exit;
/// returns those live at its entry.
fn scan_block(
    g: &LLGraph,
    b: Block,
    mut live: HashSet<Var>,
    mut at_op: Option<OpVisitor>,
) -> HashSet<Var> {
    let bd = &g.blocks[b];
    for (i, op) in bd.ops.iter().enumerate().rev() {
        live.remove(&op.result);
        if let Some(f) = at_op.as_mut() {
            f(i, &live);
        }
        for a in &op.args {
            if let Some(x) = ptr_var(g, a) {
                live.insert(x);
            }
        }
    }
    for v in &bd.inputs {
        live.remove(v);
    }
    live
}

/// The shadow-stack plan of one graph.
#[derive(Default, Debug)]
pub(crate) struct GcPlan {
    /// For every op that may collect, by (block, op index): the `Ptr`
    /// variables live after it (not its own result), in a fixed order
    /// (slot i holds the i-th).
    pub spills: HashMap<(Block, usize), Vec<Var>>,
    /// Slots reserved at entry: the largest spill set (0: no frame).
    pub slots: usize,
    /// Variables spilled somewhere: they are redefined by their reloads,
    /// so the lowering reads them through SSA variables.
    pub tracked: HashSet<Var>,
}

fn ptr_var(g: &LLGraph, v: &LLValue) -> Option<Var> {
    match v {
        LLValue::Var(x) if g.vars.get(*x).is_some_and(|d| d.ty.is_ptr()) => Some(*x),
        _ => None,
    }
}

/// `Ptr` variables the exit of a block reads (condition, switch value,
/// returned value, link arguments).
fn exit_uses(g: &LLGraph, exit: &LLExit, out: &mut HashSet<Var>) {
    out.extend(exit.values().into_iter().filter_map(|v| ptr_var(g, v)));
}

/// Liveness of `Ptr` variables over the whole graph (the rtyper's graphs
/// use each variable only in its own block, but hand-built graphs and the
/// backend's own tests use variables in dominated blocks, so this is the
/// general backward dataflow), then one backward scan per block that
/// records the live set after each collecting op.
pub(crate) fn plan_graph(g: &LLGraph, collecting: &[bool]) -> GcPlan {
    let mut plan = GcPlan::default();
    let has_collecting_op = g
        .blocks
        .values()
        .flat_map(|b| &b.ops)
        .any(|op| op_may_collect(op, collecting));
    if !has_collecting_op {
        return plan;
    }
    // live_in[b] = uses(b) ∪ (live_out(b) − defs(b)), iterated to a fixpoint.
    let mut live_in: HashMap<Block, HashSet<Var>> = HashMap::new();
    let blocks: Vec<Block> = g.blocks.keys().collect();
    let live_out = |live_in: &HashMap<Block, HashSet<Var>>, b: Block| -> HashSet<Var> {
        let mut out = HashSet::new();
        for l in g.blocks[b].exit.links() {
            if let Some(s) = live_in.get(&l.target) {
                out.extend(s.iter().copied());
            }
        }
        exit_uses(g, &g.blocks[b].exit, &mut out);
        out
    };
    let mut changed = true;
    while changed {
        changed = false;
        for &b in blocks.iter().rev() {
            let inn = scan_block(g, b, live_out(&live_in, b), None);
            let old = live_in.entry(b).or_default();
            if *old != inn {
                *old = inn;
                changed = true;
            }
        }
    }
    for &b in &blocks {
        let ops = &g.blocks[b].ops;
        let mut record = |i: usize, live: &HashSet<Var>| {
            if op_may_collect(&ops[i], collecting) {
                let mut vars: Vec<Var> = live.iter().copied().collect();
                vars.sort();
                plan.slots = plan.slots.max(vars.len());
                plan.tracked.extend(vars.iter().copied());
                plan.spills.insert((b, i), vars);
            }
        };
        scan_block(g, b, live_out(&live_in, b), Some(&mut record));
    }
    plan
}
