//! Allocation-heavy: binary trees built recursively and dropped (the shape
//! of the classic binary-trees benchmark), with one long-lived tree.

#![allow(clippy::all)]

struct Tree {
    left: Option<Box<Tree>>,
    right: Option<Box<Tree>>,
    value: i64,
}

fn make(depth: u32, value: i64) -> Box<Tree> {
    if depth == 0 {
        Box::new(Tree {
            left: None,
            right: None,
            value,
        })
    } else {
        let left = make(depth - 1, 2 * value - 1);
        let right = make(depth - 1, 2 * value);
        Box::new(Tree {
            left: Some(left),
            right: Some(right),
            value,
        })
    }
}

fn check(t: &Tree) -> i64 {
    let mut sum = t.value;
    if let Some(l) = &t.left {
        sum += check(l);
    }
    if let Some(r) = &t.right {
        sum -= check(r);
    }
    sum
}

fn count(t: &Tree) -> u64 {
    let mut n = 1;
    match &t.left {
        Some(l) => n += count(l),
        None => {}
    }
    match &t.right {
        Some(r) => n += count(r),
        None => {}
    }
    n
}

fn main() {
    let long_lived = make(14, 0);
    let mut depth = 4;
    while depth <= 12 {
        let iterations = 1 << (14 - depth);
        let mut total = 0;
        let mut i = 0;
        while i < iterations {
            let t = make(depth, i);
            total += check(&t);
            i += 1;
        }
        println!("{} trees of depth {}: check {}", iterations, depth, total);
        depth += 2;
    }
    println!(
        "long lived: {} nodes, check {}",
        count(&long_lived),
        check(&long_lived)
    );
}
