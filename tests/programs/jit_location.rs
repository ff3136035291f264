//! A `get_printable_location` that would fail if it ran natively:
//! `repeat` with a count whose length overflows (std panics with
//! "capacity overflow"). Only the JIT's trace logs run it; the JIT must
//! then give up on the text, never change what the program does
//! (tests/tests/jit_traces.rs runs it with a trace log on).

#![allow(clippy::all)]

use rrlib::jit::jit_merge_point;

#[allow(dead_code)]
fn where_am_i(pc: usize, code: &[i64]) -> String {
    let n = if code[pc] == 0 { usize::MAX } else { 1 };
    "pc".repeat(n)
}

#[jit_merge_point(greens(pc, code), reds(acc, turns), get_printable_location = where_am_i)]
fn run(code: &[i64], mut turns: i64) -> i64 {
    let mut pc: usize = 0;
    let mut acc: i64 = 0;
    while pc < code.len() {
        if code[pc] == 0 {
            acc = acc.wrapping_mul(3).wrapping_add(turns);
            pc += 1;
        } else {
            turns -= 1;
            if turns > 0 {
                pc = 0;
            } else {
                pc += 1;
            }
        }
    }
    acc
}

fn main() {
    let code: Vec<i64> = vec![0, 0, 1];
    println!("{}", run(&code, 5000));
}
