//! Which variables are live where: the backward dataflow over a flow
//! graph's blocks (a block input is live when a later use, possibly through
//! links to other blocks, reads it). The merge point check uses it.

use crate::model::{Block, Exit, FunctionGraph, Value, Var};
use std::collections::{HashMap, HashSet};

fn uses_of(v: &Value, out: &mut HashSet<Var>) {
    if let Value::Var(x) = v {
        out.insert(*x);
    }
}

/// Variables live on entry to each block.
pub fn live_in(g: &FunctionGraph) -> HashMap<Block, HashSet<Var>> {
    let mut live: HashMap<Block, HashSet<Var>> = HashMap::new();
    let blocks: Vec<Block> = g.blocks.keys().collect();
    let mut changed = true;
    while changed {
        changed = false;
        for &b in blocks.iter().rev() {
            let bd = &g.blocks[b];
            let mut set: HashSet<Var> = HashSet::new();
            // Links: an arg is used when the target input it feeds is live.
            for l in bd.exit.links() {
                let target_live = live.get(&l.target);
                let inputs = &g.blocks[l.target].inputs;
                for (a, inp) in l.args.iter().zip(inputs) {
                    if target_live.is_some_and(|s| s.contains(inp)) {
                        uses_of(a, &mut set);
                    }
                }
            }
            match &bd.exit {
                Exit::If { cond, .. } => uses_of(cond, &mut set),
                Exit::Switch { value, .. } => uses_of(value, &mut set),
                Exit::Return(v) => uses_of(v, &mut set),
                Exit::Goto(_) | Exit::Unreachable => {}
            }
            for op in bd.ops.iter().rev() {
                set.remove(&op.result);
                for a in &op.args {
                    uses_of(a, &mut set);
                }
            }
            let old = live.entry(b).or_default();
            if *old != set {
                *old = set;
                changed = true;
            }
        }
    }
    live
}
