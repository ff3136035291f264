//! A loop calling a function with a long straight-line body: inlined, it
//! makes the loop's trace long; with a small `trace_limit` the trace
//! aborts and the JIT stops inlining that function, so that the loop
//! compiles with a call to it, while the small `step` stays inlined
//! (tests/tests/jit_traces.rs).

#![allow(clippy::all)]

use rrlib::jit::jit_merge_point;

fn mix(mut x: u64) -> u64 {
    x = x.wrapping_mul(31) ^ (x >> 3);
    x = x.wrapping_mul(37).wrapping_add(x >> 5);
    x = x.wrapping_mul(41) ^ (x >> 7);
    x = x.wrapping_mul(43).wrapping_sub(x >> 11);
    x = x.wrapping_mul(47) ^ (x >> 13);
    x = x.wrapping_mul(53).wrapping_add(x >> 2);
    x = x.wrapping_mul(59) ^ (x >> 9);
    x = x.wrapping_mul(61).wrapping_sub(x >> 4);
    x = x.wrapping_mul(67) ^ (x >> 6);
    x = x.wrapping_mul(71).wrapping_add(x >> 10);
    x = x.wrapping_mul(73) ^ (x >> 12);
    x = x.wrapping_mul(79).wrapping_sub(x >> 1);
    x = x.wrapping_mul(83) ^ (x >> 8);
    x = x.wrapping_mul(89).wrapping_add(x >> 14);
    x = x.wrapping_mul(97) ^ (x >> 15);
    x = x.wrapping_mul(101).wrapping_sub(x >> 3);
    x = x.wrapping_mul(103) ^ (x >> 5);
    x = x.wrapping_mul(107).wrapping_add(x >> 7);
    x = x.wrapping_mul(109) ^ (x >> 9);
    x = x.wrapping_mul(113).wrapping_sub(x >> 11);
    x = x.wrapping_mul(127) ^ (x >> 13);
    x = x.wrapping_mul(131).wrapping_add(x >> 15);
    x = x.wrapping_mul(137) ^ (x >> 2);
    x = x.wrapping_mul(139).wrapping_sub(x >> 4);
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
