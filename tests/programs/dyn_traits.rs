//! Trait objects: `Box<dyn Trait>` in vectors, struct fields and `Option`s,
//! `&dyn` and `&mut dyn` parameters, trees of boxed trait objects (an
//! expression evaluator), default methods, an enum implementing a trait,
//! supertraits (of the file and `Display`, so `{}` and `.to_string()` of a
//! trait object), and a dispatch loop over `Vec<Box<dyn Instr>>` under a
//! JIT merge point, where the traces guard on the instruction's type.

#![allow(dead_code, clippy::all)]

use rrlib::jit::jit_merge_point;
use std::collections::HashMap;
use std::fmt;

trait Expr {
    fn eval(&self, env: &HashMap<String, i64>) -> i64;
    fn show(&self) -> String;
    fn size(&self) -> usize {
        1
    }
}

struct Num(i64);

struct Var {
    name: String,
}

struct Bin {
    op: char,
    l: Box<dyn Expr>,
    r: Box<dyn Expr>,
}

enum Cond {
    IfPos(Box<dyn Expr>, Box<dyn Expr>, Box<dyn Expr>),
    Not(Box<dyn Expr>),
}

impl Expr for Num {
    fn eval(&self, _env: &HashMap<String, i64>) -> i64 {
        self.0
    }
    fn show(&self) -> String {
        self.0.to_string()
    }
}

impl Expr for Var {
    fn eval(&self, env: &HashMap<String, i64>) -> i64 {
        *env.get(&self.name).unwrap_or(&0)
    }
    fn show(&self) -> String {
        self.name.clone()
    }
}

impl Expr for Bin {
    fn eval(&self, env: &HashMap<String, i64>) -> i64 {
        let a = self.l.eval(env);
        let b = self.r.eval(env);
        match self.op {
            '+' => a + b,
            '-' => a - b,
            '*' => a * b,
            _ => a / b,
        }
    }
    fn show(&self) -> String {
        format!("({} {} {})", self.l.show(), self.op, self.r.show())
    }
    fn size(&self) -> usize {
        1 + self.l.size() + self.r.size()
    }
}

impl Expr for Cond {
    fn eval(&self, env: &HashMap<String, i64>) -> i64 {
        match self {
            Cond::IfPos(c, t, e) => {
                if c.eval(env) > 0 {
                    t.eval(env)
                } else {
                    e.eval(env)
                }
            }
            Cond::Not(x) => {
                if x.eval(env) == 0 {
                    1
                } else {
                    0
                }
            }
        }
    }
    fn show(&self) -> String {
        match self {
            Cond::IfPos(c, t, e) => {
                format!("if {} > 0 then {} else {}", c.show(), t.show(), e.show())
            }
            Cond::Not(x) => format!("!{}", x.show()),
        }
    }
}

fn num(n: i64) -> Box<dyn Expr> {
    Box::new(Num(n))
}

fn var(name: &str) -> Box<dyn Expr> {
    Box::new(Var {
        name: name.to_string(),
    })
}

fn bin(op: char, l: Box<dyn Expr>, r: Box<dyn Expr>) -> Box<dyn Expr> {
    Box::new(Bin { op, l, r })
}

/// A counter every instruction may bump, through `&mut dyn`.
trait Counter {
    fn bump(&mut self, by: i64);
    fn get(&self) -> i64;
}

struct Plain {
    n: i64,
}

struct Clamped {
    n: i64,
    max: i64,
}

impl Counter for Plain {
    fn bump(&mut self, by: i64) {
        self.n += by;
    }
    fn get(&self) -> i64 {
        self.n
    }
}

impl Counter for Clamped {
    fn bump(&mut self, by: i64) {
        self.n = (self.n + by).min(self.max);
    }
    fn get(&self) -> i64 {
        self.n
    }
}

fn bump_all(cs: &mut Vec<Box<dyn Counter>>, by: i64) {
    for c in cs.iter_mut() {
        c.bump(by);
    }
}

fn bump_one(c: &mut dyn Counter) {
    c.bump(100);
}

struct Vm {
    acc: i64,
    regs: Vec<i64>,
    /// Objects of two types, picked by a register's value: the traces
    /// read their type ids and guard on them.
    counters: Vec<Box<dyn Counter>>,
}

/// An instruction object: it runs and says where to go next.
trait Instr {
    fn exec(&self, vm: &mut Vm, pc: usize) -> usize;
    fn name(&self) -> &str;
}

struct Load(usize);
struct Store(usize);
struct AddImm(i64);
struct AddReg(usize);
struct Bump(usize);
struct JumpIfLess {
    limit: i64,
    target: usize,
}

impl Instr for Load {
    fn exec(&self, vm: &mut Vm, pc: usize) -> usize {
        vm.acc = vm.regs[self.0];
        pc + 1
    }
    fn name(&self) -> &str {
        "load"
    }
}

impl Instr for Store {
    fn exec(&self, vm: &mut Vm, pc: usize) -> usize {
        vm.regs[self.0] = vm.acc;
        pc + 1
    }
    fn name(&self) -> &str {
        "store"
    }
}

impl Instr for AddImm {
    fn exec(&self, vm: &mut Vm, pc: usize) -> usize {
        vm.acc += self.0;
        pc + 1
    }
    fn name(&self) -> &str {
        "addi"
    }
}

impl Instr for AddReg {
    fn exec(&self, vm: &mut Vm, pc: usize) -> usize {
        vm.acc += vm.regs[self.0];
        pc + 1
    }
    fn name(&self) -> &str {
        "addr"
    }
}

impl Instr for Bump {
    fn exec(&self, vm: &mut Vm, pc: usize) -> usize {
        let k = (vm.regs[self.0] % 3 % 2) as usize;
        vm.counters[k].bump(vm.regs[self.0]);
        pc + 1
    }
    fn name(&self) -> &str {
        "bump"
    }
}

impl Instr for JumpIfLess {
    fn exec(&self, vm: &mut Vm, pc: usize) -> usize {
        if vm.acc < self.limit {
            self.target
        } else {
            pc + 1
        }
    }
    fn name(&self) -> &str {
        "jlt"
    }
}

#[jit_merge_point(greens(pc, code), reds(vm))]
fn run(code: &[Box<dyn Instr>], regs: usize) -> Vm {
    let mut vm = Vm {
        acc: 0,
        regs: vec![0; regs],
        counters: Vec::new(),
    };
    vm.counters.push(Box::new(Plain { n: 0 }));
    vm.counters.push(Box::new(Clamped { n: 0, max: 5000 }));
    let mut pc = 0;
    while pc < code.len() {
        pc = code[pc].exec(&mut vm, pc);
    }
    vm
}

fn main() {
    zoo();
    nodes();
    let mut env = HashMap::new();
    env.insert(String::from("x"), 7);
    env.insert(String::from("y"), -3);
    let e = bin('+', bin('*', var("x"), num(6)), bin('-', var("y"), num(4)));
    println!("{} = {} (size {})", e.show(), e.eval(&env), e.size());
    let c: Box<dyn Expr> = Box::new(Cond::IfPos(var("y"), num(1), Box::new(Cond::Not(var("z")))));
    println!("{} = {} (size {})", c.show(), c.eval(&env), c.size());
    let exprs: Vec<Box<dyn Expr>> = vec![e, c, num(-5), bin('/', num(100), var("x"))];
    let mut total = 0;
    for x in &exprs {
        total += x.eval(&env);
    }
    println!("sum {} over {} expressions", total, exprs.len());
    let mut biggest = 0;
    for x in exprs.iter() {
        biggest = biggest.max(x.size());
    }
    println!("biggest {}", biggest);

    let mut counters: Vec<Box<dyn Counter>> = Vec::new();
    counters.push(Box::new(Plain { n: 0 }));
    counters.push(Box::new(Clamped { n: 0, max: 10 }));
    for _ in 0..3 {
        bump_all(&mut counters, 4);
    }
    let mut solo = Clamped { n: 1, max: 50 };
    bump_one(&mut solo);
    bump_one(counters[0].as_mut());
    let mut got: Vec<i64> = Vec::new();
    for c in &counters {
        got.push(c.get());
    }
    println!("counters {:?} solo {}", got, solo.get());
    let mut spare: Option<Box<dyn Counter>> = None;
    if got[0] > 0 {
        spare = Some(Box::new(Plain { n: got[0] }));
    }
    match &spare {
        Some(s) => println!("spare {}", s.get()),
        None => println!("no spare"),
    }

    // r0 = 0; loop: acc = r0; acc += 3; acc += r1; r0 = acc; if acc < limit goto loop
    let code: Vec<Box<dyn Instr>> = vec![
        Box::new(Load(1)),
        Box::new(AddImm(1)),
        Box::new(Store(1)),
        Box::new(Bump(1)),
        Box::new(Load(0)),
        Box::new(AddImm(3)),
        Box::new(AddReg(1)),
        Box::new(Store(0)),
        Box::new(JumpIfLess {
            limit: 2_000_000,
            target: 0,
        }),
    ];
    let mut names = String::new();
    for i in &code {
        names.push_str(i.name());
        names.push(' ');
    }
    println!("{}", names.trim_end());
    let vm = run(&code, 2);
    println!("acc {} r0 {} r1 {}", vm.acc, vm.regs[0], vm.regs[1]);
    println!("counted {} {}", vm.counters[0].get(), vm.counters[1].get());
}

trait Named {
    fn name(&self) -> String;
}

trait Animal: Named + fmt::Display {
    fn legs(&self) -> u32;
    fn speak(&self) -> String {
        format!("{} says hi", self.name())
    }
}

struct Dog {
    age: u32,
}
struct Bird;

impl Named for Dog {
    fn name(&self) -> String {
        "dog".to_string()
    }
}
impl Named for Bird {
    fn name(&self) -> String {
        "bird".to_string()
    }
}
impl fmt::Display for Dog {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "Dog({})", self.age)
    }
}
impl fmt::Display for Bird {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "Bird")
    }
}
impl Animal for Dog {
    fn legs(&self) -> u32 {
        4
    }
}
impl Animal for Bird {
    fn legs(&self) -> u32 {
        2
    }
    fn speak(&self) -> String {
        String::from("tweet")
    }
}

fn zoo() {
    let zoo: Vec<Box<dyn Animal>> = vec![
        Box::new(Dog { age: 3 }),
        Box::new(Bird),
        Box::new(Dog { age: 9 }),
    ];
    let mut legs = 0;
    for a in &zoo {
        legs += a.legs();
        println!(
            "{} / {} / {} / {}",
            a,
            a.name(),
            a.speak(),
            a.to_string().len()
        );
    }
    println!("legs {}", legs);
    let first: &dyn Animal = zoo[0].as_ref();
    println!("[{:>10}]", first);
}

/// `{:?}` of trait objects whose trait requires `Debug`.
trait Node: fmt::Debug {
    fn weight(&self) -> i64;
}

#[derive(Debug)]
struct Leaf(i64);

#[derive(Debug)]
struct Pair {
    left: Box<dyn Node>,
    right: Option<Box<dyn Node>>,
}

impl Node for Leaf {
    fn weight(&self) -> i64 {
        self.0
    }
}

impl Node for Pair {
    fn weight(&self) -> i64 {
        let r = match &self.right {
            Some(n) => n.weight(),
            None => 0,
        };
        self.left.weight() + r
    }
}

fn nodes() {
    let tree: Box<dyn Node> = Box::new(Pair {
        left: Box::new(Leaf(1)),
        right: Some(Box::new(Pair {
            left: Box::new(Leaf(2)),
            right: None,
        })),
    });
    println!("{:?} weighs {}", tree, tree.weight());
    let all: Vec<Box<dyn Node>> = vec![Box::new(Leaf(5)), tree];
    println!("{:?}", all);
    println!("{:#?}", all[0]);
}
