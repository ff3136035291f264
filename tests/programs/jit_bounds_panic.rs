//! A merge-point loop that runs long enough to be compiled, then indexes
//! past the end of its table: the bounds check inside the trace must panic
//! with Rust's exact message and exit code 101.

#![allow(clippy::all)]

use rrlib::jit::jit_merge_point;

#[jit_merge_point(greens(), reds(i, total, table))]
fn sum_until_panic(table: &[u32]) -> u64 {
    let mut i: usize = 0;
    let mut total: u64 = 0;
    loop {
        total += table[i / 2] as u64;
        i += 1;
        if total == u64::MAX {
            break;
        }
    }
    total
}

fn main() {
    let mut table: Vec<u32> = Vec::new();
    for k in 0..700 {
        table.push(k * 3 + 1);
    }
    println!("start");
    println!("{}", sum_until_panic(&table));
}
