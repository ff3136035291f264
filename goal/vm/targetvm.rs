//! A stack bytecode VM: the second goal target, an interpreter of the
//! kind people write for small languages (integer and float stacks,
//! locals, conditional jumps), with a JIT merge point at its dispatch loop.
//!
//!     targetvm PROGRAM N
//!
//! runs one of the built-in programs, assembled at start-up: `loops` (nested
//! integer loops), `float` (a Mandelbrot-set count on an N×N grid, all in
//! floats) or `collatz` (total Collatz steps of 1..N).

// RRust has no `u8::is_ascii_digit` or range `contains` yet.
#![allow(clippy::manual_range_contains)]

use rrlib::jit::jit_merge_point;

// Opcodes; those with an argument take it from the next word.
const PUSH: i64 = 0;
const LOAD: i64 = 1;
const STORE: i64 = 2;
const ADD: i64 = 3;
const SUB: i64 = 4;
const MUL: i64 = 5;
const MOD: i64 = 6;
const DIV: i64 = 7;
const LT: i64 = 8;
const JMP: i64 = 9;
const JZ: i64 = 10;
const PRINT: i64 = 11;
const FLOAD: i64 = 12;
const FSTORE: i64 = 13;
const FADD: i64 = 14;
const FSUB: i64 = 15;
const FMUL: i64 = 16;
const FLT: i64 = 17;
const ITOF: i64 = 18;
const FCONST: i64 = 19;
const FPRINT: i64 = 20;
const HALT: i64 = 21;

/// The VM's state: two operand stacks (ints and floats) and two sets of
/// local slots.
struct Machine {
    stack: Vec<i64>,
    sp: usize,
    fstack: Vec<f64>,
    fsp: usize,
    locals: Vec<i64>,
    flocals: Vec<f64>,
}

impl Machine {
    fn new() -> Machine {
        Machine {
            stack: vec![0; 64],
            sp: 0,
            fstack: vec![0.0; 64],
            fsp: 0,
            locals: vec![0; 16],
            flocals: vec![0.0; 16],
        }
    }
    fn push(&mut self, v: i64) {
        self.stack[self.sp] = v;
        self.sp += 1;
    }
    fn pop(&mut self) -> i64 {
        self.sp -= 1;
        self.stack[self.sp]
    }
    fn fpush(&mut self, v: f64) {
        self.fstack[self.fsp] = v;
        self.fsp += 1;
    }
    fn fpop(&mut self) -> f64 {
        self.fsp -= 1;
        self.fstack[self.fsp]
    }
}

/// The name of an opcode, for `location`.
#[allow(dead_code)]
fn opname(op: i64) -> &'static str {
    match op {
        PUSH => "PUSH",
        LOAD => "LOAD",
        STORE => "STORE",
        ADD => "ADD",
        SUB => "SUB",
        MUL => "MUL",
        MOD => "MOD",
        DIV => "DIV",
        LT => "LT",
        JMP => "JMP",
        JZ => "JZ",
        PRINT => "PRINT",
        FLOAD => "FLOAD",
        FSTORE => "FSTORE",
        FADD => "FADD",
        FSUB => "FSUB",
        FMUL => "FMUL",
        FLT => "FLT",
        ITOF => "ITOF",
        FCONST => "FCONST",
        FPRINT => "FPRINT",
        HALT => "HALT",
        _ => "?",
    }
}

/// What the JIT's trace logs show at each merge point
/// (`debug_merge_point('pc=4 LOAD')`); only the JIT calls it.
#[allow(dead_code)]
fn location(pc: usize, code: &[i64], _consts: &[f64]) -> String {
    format!("pc={} {}", pc, opname(code[pc]))
}

#[jit_merge_point(greens(pc, code, consts), reds(m), get_printable_location = location)]
fn run(code: &[i64], consts: &[f64]) {
    let mut pc: usize = 0;
    let mut m = Machine::new();
    while pc < code.len() {
        let op = code[pc];
        match op {
            PUSH => {
                m.push(code[pc + 1]);
                pc += 2;
            }
            LOAD => {
                let v = m.locals[code[pc + 1] as usize];
                m.push(v);
                pc += 2;
            }
            STORE => {
                let v = m.pop();
                m.locals[code[pc + 1] as usize] = v;
                pc += 2;
            }
            ADD | SUB | MUL | MOD | DIV | LT => {
                let b = m.pop();
                let a = m.pop();
                let r = if op == ADD {
                    a.wrapping_add(b)
                } else if op == SUB {
                    a.wrapping_sub(b)
                } else if op == MUL {
                    a.wrapping_mul(b)
                } else if op == MOD {
                    a % b
                } else if op == DIV {
                    a / b
                } else if a < b {
                    1
                } else {
                    0
                };
                m.push(r);
                pc += 1;
            }
            JMP => pc = code[pc + 1] as usize,
            JZ => {
                let v = m.pop();
                if v == 0 {
                    pc = code[pc + 1] as usize;
                } else {
                    pc += 2;
                }
            }
            PRINT => {
                let v = m.pop();
                println!("{}", v);
                pc += 1;
            }
            FLOAD => {
                let v = m.flocals[code[pc + 1] as usize];
                m.fpush(v);
                pc += 2;
            }
            FSTORE => {
                let v = m.fpop();
                m.flocals[code[pc + 1] as usize] = v;
                pc += 2;
            }
            FADD | FSUB | FMUL => {
                let b = m.fpop();
                let a = m.fpop();
                let r = if op == FADD {
                    a + b
                } else if op == FSUB {
                    a - b
                } else {
                    a * b
                };
                m.fpush(r);
                pc += 1;
            }
            FLT => {
                let b = m.fpop();
                let a = m.fpop();
                m.push(if a < b { 1 } else { 0 });
                pc += 1;
            }
            ITOF => {
                let v = m.pop();
                m.fpush(v as f64);
                pc += 1;
            }
            FCONST => {
                m.fpush(consts[code[pc + 1] as usize]);
                pc += 2;
            }
            FPRINT => {
                let v = m.fpop();
                println!("{}", v);
                pc += 1;
            }
            HALT => pc = code.len(),
            _ => panic!("bad opcode {} at {}", op, pc),
        }
    }
}

/// Builds bytecode; jumps forward are patched once their target is known.
struct Asm {
    code: Vec<i64>,
    consts: Vec<f64>,
}

impl Asm {
    fn new() -> Asm {
        Asm {
            code: Vec::new(),
            consts: Vec::new(),
        }
    }
    fn here(&self) -> i64 {
        self.code.len() as i64
    }
    fn op(&mut self, o: i64) {
        self.code.push(o);
    }
    fn op1(&mut self, o: i64, arg: i64) {
        self.code.push(o);
        self.code.push(arg);
    }
    /// A jump whose target is patched later; returns where to patch.
    fn jump(&mut self, o: i64) -> usize {
        self.op1(o, -1);
        self.code.len() - 1
    }
    fn patch(&mut self, at: usize) {
        self.code[at] = self.here();
    }
    fn fconst(&mut self, v: f64) {
        self.consts.push(v);
        let i = self.consts.len() as i64 - 1;
        self.op1(FCONST, i);
    }
    /// `local += k`.
    fn incr(&mut self, local: i64, k: i64) {
        self.op1(LOAD, local);
        self.op1(PUSH, k);
        self.op(ADD);
        self.op1(STORE, local);
    }
    /// Jumps out (patched later) unless `local < limit`.
    fn while_lt(&mut self, local: i64, limit: i64) -> usize {
        self.op1(LOAD, local);
        self.op1(PUSH, limit);
        self.op(LT);
        self.jump(JZ)
    }
}

/// sum = (sum + i * j) % 1000003 for i < n, j < 100.
fn loops(n: i64) -> Asm {
    let (i, j, sum) = (0, 1, 2);
    let mut a = Asm::new();
    let outer = a.here();
    let out_exit = a.while_lt(i, n);
    a.op1(PUSH, 0);
    a.op1(STORE, j);
    let inner = a.here();
    let in_exit = a.while_lt(j, 100);
    a.op1(LOAD, sum);
    a.op1(LOAD, i);
    a.op1(LOAD, j);
    a.op(MUL);
    a.op(ADD);
    a.op1(PUSH, 1000003);
    a.op(MOD);
    a.op1(STORE, sum);
    a.incr(j, 1);
    a.op1(JMP, inner);
    a.patch(in_exit);
    a.incr(i, 1);
    a.op1(JMP, outer);
    a.patch(out_exit);
    a.op1(LOAD, sum);
    a.op(PRINT);
    a.op(HALT);
    a
}

/// How many points c of an n×n grid over [-2, 0.5]×[-1.25, 1.25] stay
/// within |z| < 2 for 50 iterations of z = z² + c.
fn float(n: i64) -> Asm {
    let (x, y, k, count) = (0, 1, 2, 3);
    let (cr, ci, zr, zi, t) = (0, 1, 2, 3, 4);
    let mut a = Asm::new();
    let step = 2.5 / n as f64;
    let rows = a.here();
    let rows_exit = a.while_lt(y, n);
    a.op1(PUSH, 0);
    a.op1(STORE, x);
    let cols = a.here();
    let cols_exit = a.while_lt(x, n);
    // cr = x * step - 2.0; ci = y * step - 1.25; z = 0
    a.op1(LOAD, x);
    a.op(ITOF);
    a.fconst(step);
    a.op(FMUL);
    a.fconst(2.0);
    a.op(FSUB);
    a.op1(FSTORE, cr);
    a.op1(LOAD, y);
    a.op(ITOF);
    a.fconst(step);
    a.op(FMUL);
    a.fconst(1.25);
    a.op(FSUB);
    a.op1(FSTORE, ci);
    a.fconst(0.0);
    a.op1(FSTORE, zr);
    a.fconst(0.0);
    a.op1(FSTORE, zi);
    a.op1(PUSH, 0);
    a.op1(STORE, k);
    let iter = a.here();
    let iter_exit = a.while_lt(k, 50);
    // if zr*zr + zi*zi >= 4.0: break (the point escapes)
    a.op1(FLOAD, zr);
    a.op1(FLOAD, zr);
    a.op(FMUL);
    a.op1(FLOAD, zi);
    a.op1(FLOAD, zi);
    a.op(FMUL);
    a.op(FADD);
    a.fconst(4.0);
    a.op(FLT);
    let escaped = a.jump(JZ);
    // t = zr*zr - zi*zi + cr; zi = 2*zr*zi + ci; zr = t
    a.op1(FLOAD, zr);
    a.op1(FLOAD, zr);
    a.op(FMUL);
    a.op1(FLOAD, zi);
    a.op1(FLOAD, zi);
    a.op(FMUL);
    a.op(FSUB);
    a.op1(FLOAD, cr);
    a.op(FADD);
    a.op1(FSTORE, t);
    a.fconst(2.0);
    a.op1(FLOAD, zr);
    a.op(FMUL);
    a.op1(FLOAD, zi);
    a.op(FMUL);
    a.op1(FLOAD, ci);
    a.op(FADD);
    a.op1(FSTORE, zi);
    a.op1(FLOAD, t);
    a.op1(FSTORE, zr);
    a.incr(k, 1);
    a.op1(JMP, iter);
    a.patch(iter_exit);
    // Did not escape: count it.
    a.incr(count, 1);
    a.patch(escaped);
    a.incr(x, 1);
    a.op1(JMP, cols);
    a.patch(cols_exit);
    a.incr(y, 1);
    a.op1(JMP, rows);
    a.patch(rows_exit);
    a.op1(LOAD, count);
    a.op(PRINT);
    a.op1(FLOAD, zr);
    a.op(FPRINT);
    a.op(HALT);
    a
}

/// The total number of Collatz steps of 1..n.
fn collatz(n: i64) -> Asm {
    let (i, v, steps) = (0, 1, 2);
    let mut a = Asm::new();
    a.op1(PUSH, 1);
    a.op1(STORE, i);
    let outer = a.here();
    let out_exit = a.while_lt(i, n);
    a.op1(LOAD, i);
    a.op1(STORE, v);
    let inner = a.here();
    // while 1 < v
    a.op1(PUSH, 1);
    a.op1(LOAD, v);
    a.op(LT);
    let in_exit = a.jump(JZ);
    a.incr(steps, 1);
    // if v % 2 == 0 { v = v / 2 } else { v = 3 * v + 1 }
    a.op1(LOAD, v);
    a.op1(PUSH, 2);
    a.op(MOD);
    let even = a.jump(JZ);
    a.op1(LOAD, v);
    a.op1(PUSH, 3);
    a.op(MUL);
    a.op1(PUSH, 1);
    a.op(ADD);
    a.op1(STORE, v);
    a.op1(JMP, inner);
    a.patch(even);
    a.op1(LOAD, v);
    a.op1(PUSH, 2);
    a.op(DIV);
    a.op1(STORE, v);
    a.op1(JMP, inner);
    a.patch(in_exit);
    a.incr(i, 1);
    a.op1(JMP, outer);
    a.patch(out_exit);
    a.op1(LOAD, steps);
    a.op(PRINT);
    a.op(HALT);
    a
}

/// The decimal digits of `s` as a number (None if there are none or
/// something else).
fn number(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.is_empty() {
        return None;
    }
    let mut n: i64 = 0;
    for &c in b.iter() {
        if c < b'0' || c > b'9' {
            return None;
        }
        n = n * 10 + (c - b'0') as i64;
    }
    Some(n)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: {} loops|float|collatz N", args[0]);
        std::process::exit(2);
    }
    let n = match number(&args[2]) {
        Some(n) => n,
        None => {
            eprintln!("error: N must be a number, not `{}`", args[2]);
            std::process::exit(2);
        }
    };
    let name = args[1].as_str();
    let asm = if name == "loops" {
        loops(n)
    } else if name == "float" {
        float(n)
    } else if name == "collatz" {
        collatz(n)
    } else {
        eprintln!("error: no program `{}` (loops, float, collatz)", name);
        std::process::exit(2);
    };
    run(&asm.code, &asm.consts);
}
