//! Allocation-heavy: linked lists built and dropped in a loop, traversed
//! through references; only one list is alive at a time.

#![allow(clippy::all)]

struct Node {
    value: u64,
    next: Option<Box<Node>>,
}

fn build(n: u64, seed: u64) -> Option<Box<Node>> {
    let mut head: Option<Box<Node>> = None;
    let mut i = 0;
    while i < n {
        head = Some(Box::new(Node {
            value: seed.wrapping_mul(31).wrapping_add(i),
            next: head,
        }));
        i += 1;
    }
    head
}

fn checksum(list: &Option<Box<Node>>) -> u64 {
    let mut sum: u64 = 0;
    let mut cur = list;
    while let Some(node) = cur {
        sum = sum.wrapping_mul(7).wrapping_add(node.value);
        cur = &node.next;
    }
    sum
}

fn main() {
    let mut total: u64 = 0;
    let mut round = 0;
    while round < 200 {
        let list = build(1000 + round, round);
        total = total.wrapping_add(checksum(&list));
        round += 1;
    }
    println!("total {}", total);
    let keep = build(50000, 7);
    let mut round = 0;
    while round < 20 {
        let garbage = build(2000, round);
        total = total.wrapping_add(checksum(&garbage));
        round += 1;
    }
    println!("kept {} total {}", checksum(&keep), total);
}
