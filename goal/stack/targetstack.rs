//! A Forth-like stack VM written the way Rust programmers write one: the
//! operand stack is a `Vec<i64>` driven by `push` and `pop` (whose
//! `Option` results are matched), return addresses live on a second
//! `Vec`, and the dispatch loop calls small helper methods. The third goal
//! target (issue 6: such code must not pay for an allocation per `pop`).
//!
//!     targetstack PROGRAM N
//!
//! runs one of the built-in programs: `fib` (naive recursive Fibonacci of
//! N, with calls and returns), `sieve` (primes below N, in a memory of N
//! cells) or `sum` (a loop of N iterations over the stack words).

use rrlib::jit::jit_merge_point;

// Opcodes; `arity` says how many argument words follow each.
const PUSH: i64 = 0;
const POP: i64 = 1;
const DUP: i64 = 2;
const SWAP: i64 = 3;
const OVER: i64 = 4;
const ADD: i64 = 5;
const SUB: i64 = 6;
const MUL: i64 = 7;
const MOD: i64 = 8;
const LT: i64 = 9;
const EQ: i64 = 10;
const JMP: i64 = 11;
const JZ: i64 = 12;
const JNZ: i64 = 13;
const CALL: i64 = 14;
const RET: i64 = 15;
const LOAD: i64 = 16;
const STORE: i64 = 17;
const FETCH: i64 = 18;
const POKE: i64 = 19;
const PRINT: i64 = 20;
const HALT: i64 = 21;

/// How many argument words follow an opcode.
fn arity(op: i64) -> usize {
    match op {
        PUSH | JMP | JZ | JNZ | CALL | LOAD | STORE => 1,
        _ => 0,
    }
}

/// The result of a binary operator.
fn binop(op: i64, a: i64, b: i64) -> i64 {
    match op {
        ADD => a.wrapping_add(b),
        SUB => a.wrapping_sub(b),
        MUL => a.wrapping_mul(b),
        MOD => a % b,
        LT => (a < b) as i64,
        EQ => (a == b) as i64,
        _ => panic!("not a binary operator: {}", op),
    }
}

struct Vm {
    stack: Vec<i64>,
    returns: Vec<usize>,
    locals: Vec<i64>,
    memory: Vec<i64>,
    steps: u64,
}

impl Vm {
    fn new(cells: usize) -> Vm {
        Vm {
            stack: Vec::new(),
            returns: Vec::new(),
            locals: vec![0; 8],
            memory: vec![0; cells],
            steps: 0,
        }
    }

    fn push(&mut self, v: i64) {
        self.stack.push(v);
    }

    fn pop(&mut self) -> i64 {
        match self.stack.pop() {
            Some(v) => v,
            None => panic!("stack underflow"),
        }
    }

    /// The two topmost values, deepest first.
    fn pop2(&mut self) -> (i64, i64) {
        let b = self.pop();
        let a = self.pop();
        (a, b)
    }

    fn top(&self) -> i64 {
        match self.stack.last() {
            Some(v) => *v,
            None => panic!("stack underflow"),
        }
    }
}

/// get_printable_location: what the JIT's trace logs show.
#[allow(dead_code)]
fn location(pc: usize, code: &[i64]) -> String {
    format!("pc={} op={}", pc, code[pc])
}

#[jit_merge_point(greens(pc, code), reds(vm), get_printable_location = location)]
fn execute(code: &[i64], vm: &mut Vm) {
    let mut pc: usize = 0;
    loop {
        let op = code[pc];
        let next = pc + 1 + arity(op);
        vm.steps += 1;
        match op {
            PUSH => vm.push(code[pc + 1]),
            POP => {
                vm.pop();
            }
            DUP => {
                let v = vm.top();
                vm.push(v);
            }
            SWAP => {
                let (a, b) = vm.pop2();
                vm.push(b);
                vm.push(a);
            }
            OVER => {
                let (a, b) = vm.pop2();
                vm.push(a);
                vm.push(b);
                vm.push(a);
            }
            ADD | SUB | MUL | MOD | LT | EQ => {
                let (a, b) = vm.pop2();
                vm.push(binop(op, a, b));
            }
            JMP => {
                pc = code[pc + 1] as usize;
                continue;
            }
            JZ | JNZ => {
                let v = vm.pop();
                if (v == 0) == (op == JZ) {
                    pc = code[pc + 1] as usize;
                    continue;
                }
            }
            CALL => {
                vm.returns.push(next);
                pc = code[pc + 1] as usize;
                continue;
            }
            RET => match vm.returns.pop() {
                Some(r) => {
                    pc = r;
                    continue;
                }
                None => return,
            },
            LOAD => {
                let v = vm.locals[code[pc + 1] as usize];
                vm.push(v);
            }
            STORE => {
                let v = vm.pop();
                vm.locals[code[pc + 1] as usize] = v;
            }
            FETCH => {
                let addr = vm.pop();
                let v = vm.memory[addr as usize];
                vm.push(v);
            }
            POKE => {
                let (v, addr) = vm.pop2();
                vm.memory[addr as usize] = v;
            }
            PRINT => println!("{}", vm.pop()),
            HALT => return,
            _ => panic!("bad opcode {} at {}", op, pc),
        }
        pc = next;
    }
}

/// Builds bytecode; forward jumps are patched once their target is known.
struct Asm {
    code: Vec<i64>,
}

impl Asm {
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
}

/// fib(n) by the naive recursion, the argument and result on the stack.
fn fib(n: i64) -> Vec<i64> {
    let mut a = Asm { code: Vec::new() };
    a.op1(PUSH, n);
    let call = a.jump(CALL);
    a.op(PRINT);
    a.op(HALT);
    a.patch(call);
    let f = a.here();
    // n < 2 ? n : fib(n - 1) + fib(n - 2)
    a.op(DUP);
    a.op1(PUSH, 2);
    a.op(LT);
    let base = a.jump(JNZ);
    a.op(DUP);
    a.op1(PUSH, 1);
    a.op(SUB);
    a.op1(CALL, f);
    a.op(SWAP);
    a.op1(PUSH, 2);
    a.op(SUB);
    a.op1(CALL, f);
    a.op(ADD);
    a.op(RET);
    a.patch(base);
    a.op(RET);
    a.code
}

/// The number of primes below n (a sieve over memory cells 0..n).
fn sieve(n: i64) -> Vec<i64> {
    let (i, j, count) = (0, 1, 2);
    let mut a = Asm { code: Vec::new() };
    a.op1(PUSH, 2);
    a.op1(STORE, i);
    let outer = a.here();
    a.op1(LOAD, i);
    a.op1(PUSH, n);
    a.op(LT);
    let done = a.jump(JZ);
    // if memory[i] == 0: count += 1; mark i*i, i*i+i, ... below n
    a.op1(LOAD, i);
    a.op(FETCH);
    let composite = a.jump(JNZ);
    a.op1(LOAD, count);
    a.op1(PUSH, 1);
    a.op(ADD);
    a.op1(STORE, count);
    a.op1(LOAD, i);
    a.op(DUP);
    a.op(MUL);
    a.op1(STORE, j);
    let mark = a.here();
    a.op1(LOAD, j);
    a.op1(PUSH, n);
    a.op(LT);
    let marked = a.jump(JZ);
    a.op1(PUSH, 1);
    a.op1(LOAD, j);
    a.op(POKE);
    a.op1(LOAD, j);
    a.op1(LOAD, i);
    a.op(ADD);
    a.op1(STORE, j);
    a.op1(JMP, mark);
    a.patch(marked);
    a.patch(composite);
    a.op1(LOAD, i);
    a.op1(PUSH, 1);
    a.op(ADD);
    a.op1(STORE, i);
    a.op1(JMP, outer);
    a.patch(done);
    a.op1(LOAD, count);
    a.op(PRINT);
    a.op(HALT);
    a.code
}

/// sum of (k * k) % 7 for k below n, kept on the stack.
fn sum(n: i64) -> Vec<i64> {
    let mut a = Asm { code: Vec::new() };
    a.op1(PUSH, 0); // the sum
    a.op1(PUSH, 0); // k
    let top = a.here();
    a.op(DUP);
    a.op1(PUSH, n);
    a.op(LT);
    let done = a.jump(JZ);
    // sum k -> sum+(k*k)%7 k+1
    a.op(DUP);
    a.op(DUP);
    a.op(MUL);
    a.op1(PUSH, 7);
    a.op(MOD);
    a.op1(STORE, 0);
    a.op(SWAP);
    a.op1(LOAD, 0);
    a.op(ADD);
    a.op(SWAP);
    a.op1(PUSH, 1);
    a.op(ADD);
    a.op1(JMP, top);
    a.patch(done);
    a.op(POP);
    a.op(PRINT);
    a.op(HALT);
    a.code
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: {} fib|sieve|sum N", args[0]);
        std::process::exit(2);
    }
    let n = match args[2].parse::<i64>() {
        Ok(n) if n >= 0 => n,
        _ => {
            eprintln!("error: N must be a number, not `{}`", args[2]);
            std::process::exit(2);
        }
    };
    let name = args[1].as_str();
    let code = if name == "fib" {
        fib(n)
    } else if name == "sieve" {
        sieve(n)
    } else if name == "sum" {
        sum(n)
    } else {
        eprintln!("error: no program `{}` (fib, sieve, sum)", name);
        std::process::exit(2);
    };
    let mut vm = Vm::new(if name == "sieve" { n as usize } else { 0 });
    execute(&code, &mut vm);
    eprintln!("{} steps", vm.steps);
}
