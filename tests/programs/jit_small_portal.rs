//! A portal small enough to be inlined into its caller, called many times
//! with results used afterwards (its merge point may return from it
//! directly: it must stay a function of its own), with a `&Vec` green and
//! a loop that runs both with a compiled trace and without.

#![allow(clippy::all)]

use rrlib::jit::jit_merge_point;

#[jit_merge_point(greens(pc, code), reds(acc))]
fn sum(code: &Vec<i64>) -> i64 {
    let mut pc: usize = 0;
    let mut acc: i64 = 0;
    while pc < code.len() {
        acc = acc.wrapping_mul(3).wrapping_add(code[pc]);
        pc += 1;
    }
    acc
}

fn main() {
    let mut code: Vec<i64> = Vec::new();
    let mut total: i64 = 0;
    for round in 0..40 {
        code.push(round * 7 - 11);
        let s = sum(&code);
        total = total.wrapping_add(s);
        if round % 8 == 0 {
            println!("round {} sum {}", round, s);
        }
    }
    println!("total {}", total);
}
