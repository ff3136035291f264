//! Removal of blocks nothing jumps to (the frontend creates some, e.g. the
//! exit of a `loop` without `break`). Blocks are renumbered in their
//! original order.

use crate::model::{Block, BlockData, FunctionGraph};
use cranelift_entity::{PrimaryMap, SecondaryMap};

pub fn prune_unreachable(g: &mut FunctionGraph) {
    let mut seen: SecondaryMap<Block, bool> = SecondaryMap::new();
    let mut stack = vec![g.start];
    seen[g.start] = true;
    while let Some(b) = stack.pop() {
        for l in g.blocks[b].exit.links() {
            if !seen[l.target] {
                seen[l.target] = true;
                stack.push(l.target);
            }
        }
    }
    if g.blocks.keys().all(|b| seen[b]) {
        return;
    }
    let mut remap: SecondaryMap<Block, Option<Block>> = SecondaryMap::new();
    let mut blocks: PrimaryMap<Block, BlockData> = PrimaryMap::new();
    let old = std::mem::take(&mut g.blocks);
    for (b, data) in old.into_iter() {
        if seen[b] {
            remap[b] = Some(blocks.push(data));
        }
    }
    for data in blocks.values_mut() {
        for l in data.exit.links_mut() {
            if let Some(t) = remap[l.target] {
                l.target = t;
            }
        }
    }
    g.start = remap[g.start].unwrap_or(g.start);
    if let Some(mp) = &mut g.hints.merge_point {
        mp.loop_header = mp.loop_header.and_then(|h| remap[h]);
    }
    g.blocks = blocks;
}
