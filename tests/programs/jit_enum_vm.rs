//! A stack VM whose instructions and values are user enums: the dispatch
//! loop matches on `Instr` (a multiway branch on the tag), the operand
//! stack holds `Value::Int`/`Value::Float`, and arithmetic matches on pairs
//! of values. With a low JIT threshold, the traces build and take apart
//! enum objects and guard on their tags.

#![allow(clippy::all)]

use rrlib::jit::jit_merge_point;

#[derive(Clone, Copy, PartialEq, Debug)]
enum Instr {
    Push(i64),
    PushF(f64),
    Add,
    Mul,
    Lt,
    Load(usize),
    Store(usize),
    Jnz(usize),
    Jmp(usize),
    Print,
    Halt,
}

enum Value {
    Int(i64),
    Float(f64),
    Bool(bool),
}

impl Value {
    fn truthy(&self) -> bool {
        match self {
            Value::Int(n) => *n != 0,
            Value::Float(f) => *f != 0.0,
            Value::Bool(b) => *b,
        }
    }

    fn show(&self) -> String {
        match self {
            Value::Int(n) => format!("{}", n),
            Value::Float(f) => format!("{:.3}", f),
            Value::Bool(b) => format!("{}", b),
        }
    }
}

fn add(a: Value, b: Value) -> Value {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Value::Int(x.wrapping_add(y)),
        (Value::Int(x), Value::Float(y)) | (Value::Float(y), Value::Int(x)) => {
            Value::Float(x as f64 + y)
        }
        (Value::Float(x), Value::Float(y)) => Value::Float(x + y),
        (Value::Bool(_), _) | (_, Value::Bool(_)) => panic!("cannot add a bool"),
    }
}

fn mul(a: Value, b: Value) -> Value {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Value::Int(x.wrapping_mul(y)),
        (Value::Float(x), Value::Float(y)) => Value::Float(x * y),
        (Value::Int(x), Value::Float(y)) | (Value::Float(y), Value::Int(x)) => {
            Value::Float(x as f64 * y)
        }
        _ => panic!("cannot multiply"),
    }
}

fn less(a: &Value, b: &Value) -> Value {
    Value::Bool(match (a, b) {
        (Value::Int(x), Value::Int(y)) => x < y,
        (Value::Float(x), Value::Float(y)) => x < y,
        (Value::Int(x), Value::Float(y)) => (*x as f64) < *y,
        (Value::Float(x), Value::Int(y)) => *x < *y as f64,
        _ => false,
    })
}

struct Vm {
    stack: Vec<Value>,
    locals: Vec<Value>,
}

impl Vm {
    fn pop(&mut self) -> Value {
        self.stack.pop().unwrap()
    }
}

#[jit_merge_point(greens(pc, code), reds(vm, steps))]
fn run(code: &[Instr], nlocals: usize) -> i64 {
    let mut vm = Vm {
        stack: Vec::new(),
        locals: Vec::new(),
    };
    for _ in 0..nlocals {
        vm.locals.push(Value::Int(0));
    }
    let mut pc: usize = 0;
    let mut steps: i64 = 0;
    while pc < code.len() {
        steps += 1;
        match code[pc] {
            Instr::Push(n) => vm.stack.push(Value::Int(n)),
            Instr::PushF(f) => vm.stack.push(Value::Float(f)),
            Instr::Add => {
                let b = vm.pop();
                let a = vm.pop();
                vm.stack.push(add(a, b));
            }
            Instr::Mul => {
                let b = vm.pop();
                let a = vm.pop();
                vm.stack.push(mul(a, b));
            }
            Instr::Lt => {
                let b = vm.pop();
                let a = vm.pop();
                vm.stack.push(less(&a, &b));
            }
            Instr::Load(i) => {
                let v = match &vm.locals[i] {
                    Value::Int(n) => Value::Int(*n),
                    Value::Float(f) => Value::Float(*f),
                    Value::Bool(b) => Value::Bool(*b),
                };
                vm.stack.push(v);
            }
            Instr::Store(i) => {
                let v = vm.pop();
                vm.locals[i] = v;
            }
            Instr::Jnz(target) => {
                if vm.pop().truthy() {
                    pc = target;
                    continue;
                }
            }
            Instr::Jmp(target) => {
                pc = target;
                continue;
            }
            Instr::Print => {
                let v = vm.pop();
                println!("{}", v.show());
            }
            Instr::Halt => break,
        }
        pc += 1;
    }
    steps
}

fn main() {
    use Instr::*;
    // i = 0; s = 0; f = 0.0; while i < 200 { s += i * i; f += i * 0.25; i += 1 }
    let prog = vec![
        Push(0),
        Store(0),
        Push(0),
        Store(1),
        PushF(0.0),
        Store(2),
        // 6: loop body
        Load(0),
        Load(0),
        Mul,
        Load(1),
        Add,
        Store(1),
        Load(0),
        PushF(0.25),
        Mul,
        Load(2),
        Add,
        Store(2),
        Load(0),
        Push(1),
        Add,
        Store(0),
        Load(0),
        Push(200),
        Lt,
        Jnz(6),
        Load(1),
        Print,
        Load(2),
        Print,
        Halt,
    ];
    println!("steps {}", run(&prog, 3));
    println!("{}", matches!(prog[7], Load(i) if i == 0));
    // Adding a bool panics inside a trace once the loop is hot.
    let bad = vec![
        Push(0),
        Store(0),
        // 2
        Load(0),
        Push(1),
        Add,
        Store(0),
        Load(0),
        Push(50),
        Lt,
        Jnz(2),
        Jmp(12),
        Halt,
        Push(1),
        Push(2),
        Lt,
        Push(1),
        Add,
        Print,
        Halt,
    ];
    println!("steps {}", run(&bad, 1));
}
