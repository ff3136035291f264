//! A register VM with a dynamically typed value (`enum Value { Int, Float }`)
//! and call frames, written the way Rust programmers write one: the
//! instructions are an `enum` with register operands, a `match` dispatches
//! them, arithmetic matches on pairs of values, and each call pushes a
//! `Frame` with its own registers. The fifth goal target (issue 7).
//!
//!     targetregvm PROGRAM N
//!
//! runs one of the built-in programs: `fib` (naive recursive Fibonacci of N,
//! one frame per call), `float` (N steps of a float recurrence mixing ints
//! and floats) or `loop` (a counted loop of N iterations).

use rrlib::jit::jit_merge_point;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Value {
    Int(i64),
    Float(f64),
}

impl Value {
    fn as_f64(self) -> f64 {
        match self {
            Value::Int(i) => i as f64,
            Value::Float(f) => f,
        }
    }

    fn truthy(self) -> bool {
        match self {
            Value::Int(i) => i != 0,
            Value::Float(f) => f != 0.0,
        }
    }
}

type Reg = usize;

#[derive(Debug, Clone, Copy)]
enum Instr {
    /// `dst = constant`
    LoadInt(Reg, i64),
    LoadFloat(Reg, f64),
    Move(Reg, Reg),
    Add(Reg, Reg, Reg),
    Sub(Reg, Reg, Reg),
    Mul(Reg, Reg, Reg),
    Div(Reg, Reg, Reg),
    /// `dst = a < b` as an `Int` 0 or 1.
    Lt(Reg, Reg, Reg),
    Jump(usize),
    /// Jumps when the register is false (zero).
    JumpIfNot(Reg, usize),
    /// `dst = call target(arg)`: a new frame whose register 0 is `arg`.
    Call {
        dst: Reg,
        target: usize,
        arg: Reg,
    },
    /// Returns the register's value to the caller.
    Ret(Reg),
    Print(Reg),
}

struct Frame {
    regs: Vec<Value>,
    ret_pc: usize,
    ret_dst: Reg,
}

impl Frame {
    fn new(ret_pc: usize, ret_dst: Reg) -> Frame {
        Frame {
            regs: vec![Value::Int(0); 8],
            ret_pc,
            ret_dst,
        }
    }
}

fn arith(op: char, a: Value, b: Value) -> Value {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => match op {
            '+' => Value::Int(x.wrapping_add(y)),
            '-' => Value::Int(x.wrapping_sub(y)),
            '*' => Value::Int(x.wrapping_mul(y)),
            _ => {
                if y == 0 {
                    panic!("division by zero in the program");
                }
                Value::Int(x / y)
            }
        },
        (a, b) => {
            let (x, y) = (a.as_f64(), b.as_f64());
            Value::Float(match op {
                '+' => x + y,
                '-' => x - y,
                '*' => x * y,
                _ => x / y,
            })
        }
    }
}

fn less(a: Value, b: Value) -> Value {
    let r = match (a, b) {
        (Value::Int(x), Value::Int(y)) => x < y,
        (a, b) => a.as_f64() < b.as_f64(),
    };
    Value::Int(r as i64)
}

#[jit_merge_point(greens(pc, code), reds(frames, steps))]
fn run(code: &[Instr]) -> u64 {
    let mut frames: Vec<Frame> = vec![Frame::new(0, 0)];
    let mut pc = 0;
    let mut steps: u64 = 0;
    while pc < code.len() {
        steps += 1;
        let depth = frames.len() - 1;
        let instr = code[pc];
        pc += 1;
        match instr {
            Instr::LoadInt(d, n) => frames[depth].regs[d] = Value::Int(n),
            Instr::LoadFloat(d, f) => frames[depth].regs[d] = Value::Float(f),
            Instr::Move(d, s) => {
                let v = frames[depth].regs[s];
                frames[depth].regs[d] = v;
            }
            Instr::Add(d, a, b)
            | Instr::Sub(d, a, b)
            | Instr::Mul(d, a, b)
            | Instr::Div(d, a, b) => {
                let op = match instr {
                    Instr::Add(..) => '+',
                    Instr::Sub(..) => '-',
                    Instr::Mul(..) => '*',
                    _ => '/',
                };
                let regs = &frames[depth].regs;
                let v = arith(op, regs[a], regs[b]);
                frames[depth].regs[d] = v;
            }
            Instr::Lt(d, a, b) => {
                let v = less(frames[depth].regs[a], frames[depth].regs[b]);
                frames[depth].regs[d] = v;
            }
            Instr::Jump(t) => pc = t,
            Instr::JumpIfNot(r, t) => {
                if !frames[depth].regs[r].truthy() {
                    pc = t;
                }
            }
            Instr::Call { dst, target, arg } => {
                let v = frames[depth].regs[arg];
                let mut f = Frame::new(pc, dst);
                f.regs[0] = v;
                frames.push(f);
                pc = target;
            }
            Instr::Ret(r) => {
                let v = frames[depth].regs[r];
                let Some(done) = frames.pop() else {
                    unreachable!("a frame is always running");
                };
                if frames.is_empty() {
                    println!("{:?}", v);
                    return steps;
                }
                let top = frames.len() - 1;
                frames[top].regs[done.ret_dst] = v;
                pc = done.ret_pc;
            }
            Instr::Print(r) => match frames[depth].regs[r] {
                Value::Int(i) => println!("{}", i),
                Value::Float(f) => println!("{:.6}", f),
            },
        }
    }
    steps
}

/// fib(n) = n < 2 ? n : fib(n - 1) + fib(n - 2), called with `n` in r0.
fn fib_program(n: i64) -> Vec<Instr> {
    use Instr::*;
    vec![
        LoadInt(0, n),
        Call {
            dst: 1,
            target: 3,
            arg: 0,
        },
        Ret(1),
        // 3: fib(r0)
        LoadInt(1, 2),
        Lt(2, 0, 1),
        JumpIfNot(2, 7),
        Ret(0),
        // 7
        LoadInt(1, 1),
        Sub(3, 0, 1),
        Call {
            dst: 4,
            target: 3,
            arg: 3,
        },
        LoadInt(1, 2),
        Sub(3, 0, 1),
        Call {
            dst: 5,
            target: 3,
            arg: 3,
        },
        Add(6, 4, 5),
        Ret(6),
    ]
}

/// x = 0.5; repeat n times: x = x * 3.7 * (1 - x) + i / 1e9; prints x.
fn float_program(n: i64) -> Vec<Instr> {
    use Instr::*;
    vec![
        LoadFloat(0, 0.5),
        LoadInt(1, 0),
        LoadInt(2, n),
        LoadFloat(3, 3.7),
        LoadInt(4, 1),
        LoadFloat(7, 1e9),
        // 6: while i < n
        Lt(5, 1, 2),
        JumpIfNot(5, 17),
        Mul(6, 0, 3),
        Sub(5, 4, 0),
        Mul(0, 6, 5),
        Div(6, 1, 7),
        Add(0, 0, 6),
        Add(1, 1, 4),
        Jump(6),
        Print(0),
        Print(1),
        // 17
        Print(0),
        Ret(1),
    ]
}

/// sum of i * 3 for i in 0..n, all in ints.
fn loop_program(n: i64) -> Vec<Instr> {
    use Instr::*;
    vec![
        LoadInt(0, 0),
        LoadInt(1, 0),
        LoadInt(2, n),
        LoadInt(3, 3),
        LoadInt(4, 1),
        // 5
        Lt(5, 0, 2),
        JumpIfNot(5, 12),
        Mul(6, 0, 3),
        Add(1, 1, 6),
        Add(0, 0, 4),
        Jump(5),
        Print(0),
        // 12
        Move(7, 1),
        Ret(7),
    ]
}

fn usage() -> ! {
    eprintln!("usage: targetregvm fib|float|loop N");
    std::process::exit(2);
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        usage();
    }
    let n = match args[2].parse::<i64>() {
        Ok(n) if n >= 0 => n,
        _ => {
            eprintln!("error: N must be a non-negative integer, not {:?}", args[2]);
            std::process::exit(2);
        }
    };
    let code = match args[1].as_str() {
        "fib" => fib_program(n),
        "float" => float_program(n),
        "loop" => loop_program(n),
        _ => usage(),
    };
    let steps = run(&code);
    eprintln!("{} steps", steps);
}
