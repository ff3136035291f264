//! A loop calling a function with a long straight-line body: inlined, it
//! makes the loop's trace long; with a small `trace_limit` the trace
//! aborts and the JIT stops inlining that function, so that the loop
//! compiles with a call to it, while the small `step` stays inlined
//! (tests/tests/jit_traces.rs).

#![allow(clippy::all)]

use rrlib::jit::jit_merge_point;

fn mix(mut x: u64) -> u64 {
    x = x.wrapping_mul(31) ^ (x >> 3);
    x = x.wrapping_mul(31) ^ (x >> 3);
    x = x.wrapping_mul(31) ^ (x >> 3);
    x = x.wrapping_mul(31) ^ (x >> 3);
    x = x.wrapping_mul(31) ^ (x >> 3);
    x = x.wrapping_mul(31) ^ (x >> 3);
    x = x.wrapping_mul(31) ^ (x >> 3);
    x = x.wrapping_mul(31) ^ (x >> 3);
    x = x.wrapping_mul(31) ^ (x >> 3);
    x = x.wrapping_mul(31) ^ (x >> 3);
    x = x.wrapping_mul(31) ^ (x >> 3);
    x = x.wrapping_mul(31) ^ (x >> 3);
    x = x.wrapping_mul(31) ^ (x >> 3);
    x = x.wrapping_mul(31) ^ (x >> 3);
    x = x.wrapping_mul(31) ^ (x >> 3);
    x = x.wrapping_mul(31) ^ (x >> 3);
    x = x.wrapping_mul(31) ^ (x >> 3);
    x = x.wrapping_mul(31) ^ (x >> 3);
    x = x.wrapping_mul(31) ^ (x >> 3);
    x = x.wrapping_mul(31) ^ (x >> 3);
    x = x.wrapping_mul(31) ^ (x >> 3);
    x = x.wrapping_mul(31) ^ (x >> 3);
    x = x.wrapping_mul(31) ^ (x >> 3);
    x = x.wrapping_mul(31) ^ (x >> 3);
    x
}

/// Small: stays inlined however long the traces get.
fn step(i: u64) -> u64 {
    i + 1
}

#[jit_merge_point(greens(), reds(i, n, acc))]
fn run(n: u64) -> u64 {
    let mut i: u64 = 0;
    let mut acc: u64 = 1;
    while i < n {
        acc = mix(acc.wrapping_add(i));
        i = step(i);
    }
    acc
}

fn main() {
    println!("{}", run(10));
    println!("{}", run(100000));
}
