//! A small stack bytecode VM with a JIT merge point: a frame object, a
//! value stack (`Vec::push`/`pop`), locals, conditional jumps and a float
//! register. The sample programs loop with data-dependent branches
//! (Collatz steps), nested loops, and a float accumulation, so that with
//! a low JIT threshold traces are made, guards fail and the blackhole
//! interpreter finishes iterations.

#![allow(clippy::all)]

use rrlib::jit::{jit_merge_point, purefunction};

const PUSH: i64 = 0;
const ADD: i64 = 1;
const SUB: i64 = 2;
const MUL: i64 = 3;
const LOAD: i64 = 4;
const STORE: i64 = 5;
const JNZ: i64 = 6;
const JMP: i64 = 7;
const PRINT: i64 = 8;
const HALT: i64 = 9;
const ODD: i64 = 10;
const HALF: i64 = 11;
const FADD: i64 = 12;
const FPRINT: i64 = 13;
const LT: i64 = 14;

struct Frame {
    stack: Vec<i64>,
    locals: Vec<i64>,
    acc: f64,
}

impl Frame {
    fn new(nlocals: usize) -> Frame {
        Frame {
            stack: Vec::new(),
            locals: vec![0; nlocals],
            acc: 0.0,
        }
    }
    fn push(&mut self, v: i64) {
        self.stack.push(v);
    }
    fn pop(&mut self) -> i64 {
        self.stack.pop().unwrap()
    }
}

#[purefunction]
fn arg(code: &[i64], pc: usize) -> i64 {
    code[pc + 1]
}

#[jit_merge_point(greens(pc, code), reds(frame, steps))]
fn run(code: &[i64], nlocals: usize) -> i64 {
    let mut pc: usize = 0;
    let mut frame = Frame::new(nlocals);
    let mut steps: i64 = 0;
    while pc < code.len() {
        steps += 1;
        let op = code[pc];
        if op == PUSH {
            frame.push(arg(code, pc));
            pc += 2;
        } else if op == ADD {
            let b = frame.pop();
            let a = frame.pop();
            frame.push(a.wrapping_add(b));
            pc += 1;
        } else if op == SUB {
            let b = frame.pop();
            let a = frame.pop();
            frame.push(a.wrapping_sub(b));
            pc += 1;
        } else if op == MUL {
            let b = frame.pop();
            let a = frame.pop();
            frame.push(a.wrapping_mul(b));
            pc += 1;
        } else if op == LT {
            let b = frame.pop();
            let a = frame.pop();
            let r: i64 = if a < b { 1 } else { 0 };
            frame.push(r);
            pc += 1;
        } else if op == LOAD {
            let i = arg(code, pc) as usize;
            let v = frame.locals[i];
            frame.push(v);
            pc += 2;
        } else if op == STORE {
            let i = arg(code, pc) as usize;
            let v = frame.pop();
            frame.locals[i] = v;
            pc += 2;
        } else if op == JNZ {
            let v = frame.pop();
            let target = arg(code, pc) as usize;
            pc = if v != 0 { target } else { pc + 2 };
        } else if op == JMP {
            pc = arg(code, pc) as usize;
        } else if op == PRINT {
            let v = frame.pop();
            println!("{}", v);
            pc += 1;
        } else if op == ODD {
            let v = frame.pop();
            frame.push(v & 1);
            pc += 1;
        } else if op == HALF {
            let v = frame.pop();
            frame.push(v / 2);
            pc += 1;
        } else if op == FADD {
            let v = frame.pop();
            frame.acc = frame.acc + (v as f64) * 0.5;
            pc += 1;
        } else if op == FPRINT {
            println!("{}", frame.acc);
            pc += 1;
        } else if op == HALT {
            pc = code.len();
        } else {
            println!("bad opcode {}", op);
            steps = -1;
            pc = code.len();
        }
    }
    steps
}

fn main() {
    // Sum of i*i for i in 0..300, also accumulated as f64 halves.
    // locals: 0 = i, 1 = sum
    let squares: Vec<i64> = vec![
        PUSH, 0, STORE, 0, PUSH, 0, STORE, 1, // 0..8
        LOAD, 0, LOAD, 0, MUL, LOAD, 1, ADD, STORE, 1, // 8..18: sum += i*i
        LOAD, 0, FADD, // 18..21: acc += i / 2
        LOAD, 0, PUSH, 1, ADD, STORE, 0, // 21..28: i += 1
        LOAD, 0, PUSH, 300, LT, JNZ, 8, // 28..35
        LOAD, 1, PRINT, FPRINT, HALT,
    ];
    println!("steps {}", run(&squares, 2));
    // Collatz: total steps for n in 1..200 (data-dependent branches).
    // locals: 0 = n, 1 = x, 2 = total
    let collatz: Vec<i64> = vec![
        PUSH, 1, STORE, 0, PUSH, 0, STORE, 2, // 0..8: n = 1, total = 0
        LOAD, 0, STORE, 1, // 8..12: x = n
        LOAD, 1, PUSH, 1, SUB, JNZ, 21, // 12..19: x != 1 -> 21
        JMP, 52, // 19..21: next n
        LOAD, 2, PUSH, 1, ADD, STORE, 2, // 21..28: total += 1
        LOAD, 1, ODD, JNZ, 40, // 28..33: odd -> 40
        LOAD, 1, HALF, STORE, 1, JMP, 12, // 33..40: x /= 2
        LOAD, 1, PUSH, 3, MUL, PUSH, 1, ADD, STORE, 1, JMP, 12, // 40..52: x = 3x + 1
        LOAD, 0, PUSH, 1, ADD, STORE, 0, // 52..59: n += 1
        LOAD, 0, PUSH, 200, LT, JNZ, 8, // 59..66: n < 200 -> 8
        LOAD, 2, PRINT, HALT, // 66..70
    ];
    println!("steps {}", run(&collatz, 3));
}
