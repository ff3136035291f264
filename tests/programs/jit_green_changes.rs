//! The data behind a `&T` green changes between two calls of the portal:
//! the JIT, whose traces read it as constants, must notice and not reuse
//! loops compiled for the old data.

#![allow(clippy::all)]

use rrlib::jit::jit_merge_point;

#[jit_merge_point(greens(pc, code), reds(acc, turns))]
fn run(code: &Vec<i64>) -> i64 {
    let mut pc: usize = 0;
    let mut acc: i64 = 0;
    let mut turns: i64 = 0;
    while turns < 5000 {
        acc = acc.wrapping_add(code[pc]);
        pc += 1;
        if pc == code.len() {
            pc = 0;
            turns += 1;
        }
    }
    acc
}

fn main() {
    let mut code: Vec<i64> = vec![1, 2, 3];
    println!("{}", run(&code));
    // The same vector, one item changed.
    code[1] = 100;
    println!("{}", run(&code));
    // Longer (its items may move to a new array).
    code.push(7);
    println!("{}", run(&code));
    // Unchanged: the loops compiled for it are used again.
    println!("{}", run(&code));
}
