//! A long-running program with a bounded live set: it allocates about a
//! gigabyte in total, but never holds more than a few hundred kilobytes at
//! once, so it must run in bounded memory.

#![allow(clippy::all)]

struct Node {
    value: u64,
    next: Option<Box<Node>>,
}

fn main() {
    let mut window: Vec<Option<Box<Node>>> = Vec::new();
    let mut i = 0;
    while i < 64 {
        window.push(None);
        i += 1;
    }
    let mut checksum: u64 = 0;
    let mut round: u64 = 0;
    while round < 40_000_000 {
        let slot = (round % 64) as usize;
        let old = if let Some(n) = &window[slot] {
            let second = if let Some(m) = &n.next { m.value } else { 1 };
            n.value ^ second
        } else {
            0
        };
        checksum = checksum.wrapping_mul(31).wrapping_add(old);
        // Replace the slot's short list: the previous one becomes garbage.
        let next = if round % 3 == 0 {
            None
        } else {
            Some(Box::new(Node {
                value: round,
                next: None,
            }))
        };
        window[slot] = Some(Box::new(Node { value: round, next }));
        round += 1;
    }
    println!("checksum {}", checksum);
}
