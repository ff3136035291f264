// Enum variants imported with `use`: at the top level (`use Instr::{Add, Print};`,
// `use self::Color::*;`) and inside blocks, where they are scoped; imported
// unit variants in patterns are tests, not bindings.

#[derive(Debug, Clone, Copy, PartialEq)]
enum Instr {
    Push(i64),
    Add,
    Jnz(usize),
    Print,
    Halt,
    Named { depth: u8 },
}

use self::Color::*;
use Instr::{Add, Print};

#[derive(Debug, PartialEq, Clone, Copy)]
enum Color {
    Red,
    Green,
    Blue,
}

fn name(c: Color) -> &'static str {
    match c {
        Red => "red",
        Green => "green",
        Blue => "blue",
    }
}

fn run(code: &[Instr]) -> i64 {
    let mut stack: Vec<i64> = Vec::new();
    let mut pc = 0;
    while pc < code.len() {
        use Instr::*;
        match code[pc] {
            Push(n) => stack.push(n),
            Add => {
                let b = stack.pop().unwrap();
                let a = stack.pop().unwrap();
                stack.push(a + b);
            }
            Jnz(t) => {
                if stack.pop().unwrap() != 0 {
                    pc = t;
                    continue;
                }
            }
            Print => println!("{}", stack[stack.len() - 1]),
            Named { depth } => stack.push(depth as i64),
            Halt => break,
        }
        pc += 1;
    }
    stack.len() as i64
}

fn main() {
    use Instr::{Halt, Jnz, Push};
    let code = vec![
        Push(2),
        Push(3),
        Add,
        Print,
        Instr::Named { depth: 7 },
        Print,
        Push(0),
        Jnz(0),
        Halt,
    ];
    println!("{}", run(&code));
    println!("{:?} {}", code[2], code[3] == Print);
    for c in [Red, Green, Blue] {
        print!("{} ", name(c));
    }
    println!();
    let x = Green;
    let other = match x {
        Red => 0,
        c => c as i32,
    };
    println!("{}", other);
}
