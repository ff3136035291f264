//! The identity hash of an object stays the same while the program
//! allocates enough to move it many times; different objects get different
//! hashes.

#![allow(clippy::all)]

use rrlib::gc::identity_hash;

struct Cell {
    value: u64,
}

fn churn(rounds: u64) -> u64 {
    let mut sum = 0;
    let mut i = 0;
    while i < rounds {
        let v = vec![i; 64];
        sum += v[63];
        i += 1;
    }
    sum
}

fn main() {
    let a = Box::new(Cell { value: 1 });
    let b = Box::new(Cell { value: 2 });
    let ha = identity_hash(&*a);
    let hb = identity_hash(&*b);
    let mut stable = true;
    let mut round = 0;
    while round < 50 {
        churn(2000);
        if identity_hash(&*a) != ha || identity_hash(&*b) != hb {
            stable = false;
        }
        round += 1;
    }
    println!("stable: {}", stable);
    println!("distinct: {}", ha != hb);
    println!("values: {} {}", a.value, b.value);
}
