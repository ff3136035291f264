//! Closures: capturing locals (scalars copied, heap values shared, `self`
//! of a method), passed to generic functions (`F: Fn(i64) -> i64`, `impl
//! Fn`, `FnMut`), `move` closures keeping their own state between calls,
//! tuple patterns in parameters, functions passed by name, the `Option` and
//! `Result` methods that take closures, closures as trait objects (`Box<dyn
//! Fn(i64) -> i64>` in vectors, maps and fields, `&dyn Fn`, closure
//! factories, a `dyn FnMut` with state), and a JIT merge-point loop whose
//! body calls closures.

#![allow(dead_code, clippy::all)]

use rrlib::jit::jit_merge_point;
use std::collections::HashMap;

fn apply<F: Fn(i64) -> i64>(f: F, x: i64) -> i64 {
    f(x)
}

fn twice(f: impl Fn(i64) -> i64, x: i64) -> i64 {
    f(f(x))
}

fn call_mut<F: FnMut(i64)>(mut f: F, n: i64) {
    for i in 0..n {
        f(i);
    }
}

struct Scaler {
    k: i64,
}

impl Scaler {
    fn scale_all(&self, v: &[i64]) -> i64 {
        let mut t = 0;
        for x in v {
            t += apply(|y| y * self.k, *x);
        }
        t
    }
}

fn basics() {
    let k = 3;
    let add_k = |x| x + k;
    println!("{}", add_k(4));
    println!("{}", apply(add_k, 10));
    println!("{}", twice(|x| x * 2, 5));
    let name = String::from("rr");
    let greet = |n: i64| -> String { format!("{}-{}", name, n) };
    println!("{} {}", greet(1), greet(2));
    let mut log: Vec<i64> = Vec::new();
    call_mut(|i| log.push(i * i), 4);
    println!("{:?}", log);
    let mut counter = 0;
    let mut bump = move || {
        counter += 1;
        counter
    };
    bump();
    bump();
    println!("bump {} outer {}", bump(), counter);
    let s = Scaler { k: 7 };
    println!("{}", s.scale_all(&[1, 2, 3]));
    let pair = |(a, b): (i64, i64)| a * b;
    println!("{}", pair((6, 7)));
    let nothing = || println!("called with {}", k);
    nothing();
}

fn double(x: i64) -> i64 {
    x * 2
}
fn function_values() {
    println!("{}", apply(double, 21));
    let f = double;
    println!("{}", f(4));
    let g = |x| apply(double, x) + 1;
    println!("{}", g(1));
}

#[derive(Debug)]
enum Problem {
    Empty,
    Bad(String),
}

fn parse_digit(c: char) -> Result<i64, Problem> {
    if c.is_ascii_digit() {
        Ok(c as i64 - '0' as i64)
    } else {
        Err(Problem::Bad(c.to_string()))
    }
}

fn first(v: &[i64]) -> Option<i64> {
    v.first().copied()
}

fn describe(e: Problem) -> String {
    format!("{:?}", e)
}

fn combinators() {
    let v = vec![4, 5, 6];
    let empty: Vec<i64> = Vec::new();
    let k = 10;
    println!(
        "{:?} {:?}",
        first(&v).map(|x| x * k),
        first(&empty).map(|x| x * k)
    );
    println!(
        "{} {}",
        first(&v).unwrap_or_else(|| -1),
        first(&empty).unwrap_or_else(|| k - 11)
    );
    println!(
        "{} {}",
        first(&v).map_or(0, |x| x + 1),
        first(&empty).map_or(0, |x| x + 1)
    );
    let half = |x: i64| if x % 2 == 0 { Some(x / 2) } else { None };
    println!(
        "{:?} {:?}",
        first(&v).and_then(half),
        first(&vec![3]).and_then(half)
    );
    let r: Result<i64, Problem> = first(&empty).ok_or_else(|| Problem::Empty);
    println!("{:?}", r);
    println!("{:?}", parse_digit('7').map(|d| d * 3));
    println!("{:?}", parse_digit('x').map_err(describe));
    println!(
        "{}",
        parse_digit('x').unwrap_or_else(|e| match e {
            Problem::Bad(s) => s.len() as i64,
            Problem::Empty => 0,
        })
    );
    println!(
        "{:?}",
        parse_digit('4').and_then(|d| if d > 3 { Ok(d) } else { Err(Problem::Empty) })
    );
    let names = vec![String::from("a"), String::from("bb")];
    let lens = names.get(1).map(|s| s.len());
    println!("{:?}", lens);
}

fn adder(n: i64) -> Box<dyn Fn(i64) -> i64> {
    Box::new(move |x| x + n)
}

fn apply_all(fs: &[Box<dyn Fn(i64) -> i64>], x: i64) -> Vec<i64> {
    let mut out = Vec::new();
    for f in fs {
        out.push(f(x));
    }
    out
}

fn call_ref(f: &dyn Fn(i64) -> i64, x: i64) -> i64 {
    f(x) * 10
}

struct Machine {
    ops: HashMap<String, Box<dyn Fn(i64, i64) -> i64>>,
    on_tick: Box<dyn FnMut(i64) -> i64>,
}

fn dyn_closures() {
    let fs: Vec<Box<dyn Fn(i64) -> i64>> = vec![adder(1), adder(10), Box::new(|x| x * x)];
    println!("{:?}", apply_all(&fs, 5));
    println!("{}", call_ref(&|x| x - 1, 3));
    println!("{}", call_ref(fs[1].as_ref(), 3));
    let mut ops: HashMap<String, Box<dyn Fn(i64, i64) -> i64>> = HashMap::new();
    ops.insert("add".to_string(), Box::new(|a, b| a + b));
    ops.insert("mul".to_string(), Box::new(|a, b| a * b));
    let mut total = 0;
    let mut m = Machine {
        ops,
        on_tick: Box::new(move |t| {
            total += t;
            total
        }),
    };
    for name in ["add", "mul", "add"] {
        let f = &m.ops[name];
        println!("{} -> {}", name, f(6, 7));
    }
    (m.on_tick)(5);
    println!("tick {}", (m.on_tick)(2));
    if let Some(op) = m.ops.get("mul") {
        println!("{}", op(3, 3));
    }
}

/// A tiny accumulator machine whose instructions are run by closures.
#[jit_merge_point(greens(pc, code), reds(acc, steps, rounds, step))]
fn run(code: &[i64], rounds: i64) -> i64 {
    let mut acc = 0;
    let mut steps = 0;
    let mut pc = 0;
    let step = |a: i64, op: i64| -> Option<i64> {
        if op == 0 {
            None
        } else {
            Some(a + op)
        }
    };
    while steps < rounds {
        let op = code[pc];
        acc = step(acc, op)
            .map(|v| v % 1000003)
            .unwrap_or_else(|| acc * 2 % 1000003);
        pc = (pc + 1) % code.len();
        steps += 1;
    }
    acc
}

fn main() {
    basics();
    function_values();
    combinators();
    dyn_closures();
    println!("run {}", run(&[3, 0, 7, 1, 0], 300000));
}
