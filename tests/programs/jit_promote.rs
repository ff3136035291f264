//! `promote` and `we_are_jitted`: hints that change what the JIT's traces
//! hold, never what the program computes. A tiny accumulator machine whose
//! step size is promoted in the hot loop (a trace then holds it as a
//! constant, checked by a guard) and changes every few hundred turns, so
//! that the guard fails and execution goes on correctly from there.

#![allow(clippy::all)]

use rrlib::jit::{jit_merge_point, promote, we_are_jitted};

const ADD: i64 = 0;
const MAYBE_STEP: i64 = 1;
const LOOP: i64 = 2;

struct Machine {
    acc: i64,
    step: i64,
    turns: i64,
    jitted: i64,
}

#[jit_merge_point(greens(pc, code), reds(m))]
fn run(code: &[i64], turns: i64) -> Machine {
    let mut pc: usize = 0;
    let mut m = Machine {
        acc: 0,
        step: 1,
        turns,
        jitted: 0,
    };
    while pc < code.len() {
        let op = code[pc];
        if op == ADD {
            let s = promote(m.step);
            m.acc = m.acc.wrapping_mul(31).wrapping_add(s * code[pc + 1]);
            pc += 2;
        } else if op == MAYBE_STEP {
            if m.turns % 300 == 0 {
                m.step = m.step * 2 + 1;
            }
            pc += 1;
        } else if op == LOOP {
            // Counted, and never changes what is printed.
            if we_are_jitted() {
                m.jitted += 1;
            }
            m.turns -= 1;
            if m.turns > 0 {
                pc = 0;
            } else {
                pc += 1;
            }
        } else {
            panic!("bad opcode {}", op);
        }
    }
    m
}

fn main() {
    let code: Vec<i64> = vec![ADD, 3, MAYBE_STEP, ADD, 5, LOOP];
    let runs: Vec<i64> = vec![10, 1000, 5000];
    for i in 0..runs.len() {
        let turns = runs[i];
        let m = run(&code, turns);
        println!("turns {} acc {} step {}", turns, m.acc, m.step);
        // The count of jitted turns is between 0 and all of them.
        println!("{}", m.jitted >= 0 && m.jitted <= turns);
    }
}
