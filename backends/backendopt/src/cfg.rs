//! Control-flow orders of a low-level graph.

use cranelift_entity::EntityRef;
use flowspace::model::Block;
use rtyper::llgraph::LLGraph;

/// The blocks of `g` in reverse postorder from its start (unreachable
/// blocks left out). Successors are visited in link order.
pub fn reverse_postorder(g: &LLGraph) -> Vec<Block> {
    let n = g.blocks.len();
    let mut visited = vec![false; n];
    let mut post = Vec::with_capacity(n);
    if g.blocks.get(g.start).is_none() {
        return post;
    }
    // Iterative DFS: (block, index of the next successor to visit).
    let mut stack: Vec<(Block, usize)> = vec![(g.start, 0)];
    visited[g.start.index()] = true;
    while let Some(&mut (b, ref mut next)) = stack.last_mut() {
        let links = g.blocks[b].exit.links();
        if *next < links.len() {
            let t = links[*next].target;
            *next += 1;
            if t.index() < n && !visited[t.index()] {
                visited[t.index()] = true;
                stack.push((t, 0));
            }
        } else {
            post.push(b);
            stack.pop();
        }
    }
    post.reverse();
    post
}
