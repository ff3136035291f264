//! Shared mutable data as Rust programs write it: `Rc<RefCell<T>>`
//! environments with parent links, `Rc` sharing on `clone`, `Cell`
//! counters, guards held by `let` and released by their block or `drop`,
//! temporaries released at the end of their statement (also on `break`,
//! `continue`, `return` and `?`), `while let` over a `borrow_mut().pop()`.

#![allow(dead_code, clippy::all)]

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

#[derive(Debug, Clone)]
enum Value {
    Int(i64),
    List(Rc<RefCell<Vec<Value>>>),
    Nil,
}

#[derive(Debug, Clone, PartialEq)]
struct Pair {
    n: RefCell<i64>,
    c: Cell<u8>,
}

struct Env {
    vars: HashMap<String, Value>,
    parent: Option<Rc<RefCell<Env>>>,
}

impl Env {
    fn new(parent: Option<Rc<RefCell<Env>>>) -> Rc<RefCell<Env>> {
        Rc::new(RefCell::new(Env {
            vars: HashMap::new(),
            parent,
        }))
    }
}

fn lookup(env: &Rc<RefCell<Env>>, name: &str) -> Option<Value> {
    if let Some(v) = env.borrow().vars.get(name) {
        return Some(v.clone());
    }
    match &env.borrow().parent {
        Some(p) => lookup(p, name),
        None => None,
    }
}

fn assign(env: &Rc<RefCell<Env>>, name: &str, v: Value) -> bool {
    if env.borrow().vars.contains_key(name) {
        env.borrow_mut().vars.insert(name.to_string(), v);
        return true;
    }
    let parent = env.borrow().parent.clone();
    match parent {
        Some(p) => assign(&p, name, v),
        None => false,
    }
}

struct Counter {
    hits: Cell<u32>,
    log: RefCell<Vec<String>>,
}

impl Counter {
    fn hit(&self, what: &str) -> u32 {
        self.hits.set(self.hits.get() + 1);
        self.log.borrow_mut().push(what.to_string());
        self.hits.get()
    }
}

fn total(list: &Rc<RefCell<Vec<Value>>>) -> i64 {
    let mut s = 0;
    for v in list.borrow().iter() {
        match v {
            Value::Int(n) => s += n,
            Value::List(inner) => s += total(inner),
            Value::Nil => {}
        }
    }
    s
}

fn first_big(list: &Rc<RefCell<Vec<Value>>>, limit: i64) -> Option<i64> {
    for v in list.borrow().iter() {
        if let Value::Int(n) = v {
            if *n > limit {
                return Some(*n);
            }
        }
    }
    None
}

fn drain_sum(stack: &RefCell<Vec<i64>>) -> i64 {
    let mut s = 0;
    while let Some(x) = stack.borrow_mut().pop() {
        s += x;
    }
    s
}

fn checked(cells: &[Rc<RefCell<i64>>]) -> Option<i64> {
    let mut s = 0;
    for c in cells {
        let v = *c.borrow();
        let half = if v % 2 == 0 { Some(v / 2) } else { None };
        s += half?;
    }
    Some(s)
}

fn bump(n: &mut i64) {
    *n += 10;
}

fn main() {
    // Environments: a child sees and assigns its parent's variables.
    let global = Env::new(None);
    global
        .borrow_mut()
        .vars
        .insert("x".to_string(), Value::Int(1));
    let local = Env::new(Some(Rc::clone(&global)));
    local
        .borrow_mut()
        .vars
        .insert("y".to_string(), Value::Int(2));
    println!(
        "{:?} {:?} {:?}",
        lookup(&local, "x"),
        lookup(&local, "y"),
        lookup(&global, "y")
    );
    println!(
        "{} {}",
        assign(&local, "x", Value::Int(42)),
        assign(&local, "z", Value::Nil)
    );
    println!("{:?}", lookup(&global, "x"));

    // Rc clones share; a new RefCell of a clone does not.
    let list = Rc::new(RefCell::new(vec![Value::Int(1), Value::Int(2)]));
    let alias = list.clone();
    let copy = Rc::new(RefCell::new(list.borrow().clone()));
    alias.borrow_mut().push(Value::Int(3));
    list.borrow_mut().push(Value::List(Rc::clone(&copy)));
    copy.borrow_mut().push(Value::Int(100));
    println!(
        "{} {} {}",
        list.borrow().len(),
        copy.borrow().len(),
        total(&list)
    );
    println!("{} {}", Rc::ptr_eq(&list, &alias), Rc::ptr_eq(&list, &copy));
    println!("{:?}", first_big(&list, 2));
    let v1 = Value::List(Rc::clone(&list));
    let v2 = Value::List(alias.clone());
    let v3 = Value::List(Rc::new(RefCell::new(vec![Value::Int(7)])));
    let same = |a: &Value, b: &Value| match (a, b) {
        (Value::List(x), Value::List(y)) => Rc::ptr_eq(x, y),
        _ => false,
    };
    println!("{} {}", same(&v1, &v2), same(&v1, &v3));
    let p = Pair {
        n: RefCell::new(3),
        c: Cell::new(4),
    };
    let q = p.clone();
    *q.n.borrow_mut() += 1;
    println!("{} {:?} {:?} {}", p == q, p, q, p == p.clone());
    println!("{:?}", v3);
    println!("{:#?}", v3);
    if let Value::List(l) = &v3 {
        let g = l.borrow_mut();
        println!("{:?} {}", v3, g.len());
    }

    // Cells inside a struct.
    let c = Counter {
        hits: Cell::new(0),
        log: RefCell::new(Vec::new()),
    };
    for w in ["a", "b", "c"] {
        c.hit(w);
    }
    println!("{} {:?}", c.hits.get(), c.log.borrow());
    let old = c.hits.replace(7);
    println!("{} {}", old, c.hits.get());

    // Guards held by `let`, written through, released by their block.
    let n = Rc::new(RefCell::new(5i64));
    {
        let mut g = n.borrow_mut();
        *g += 1;
        *g *= 2;
        let mut t: i64 = *g;
        bump(&mut t);
        *g = t;
    }
    *n.borrow_mut() += 100;
    println!("{}", n.borrow());
    let g = n.borrow();
    let h = n.borrow();
    println!("{} {}", *g + 1, *h);
    drop(g);
    drop(h);
    *n.borrow_mut() = 3;
    println!("{}", *n.borrow());

    // Temporaries in conditions, loops and early exits.
    let stack = RefCell::new(vec![1i64, 2, 3, 4]);
    if stack.borrow().len() > 2 {
        stack.borrow_mut().push(5);
    }
    let mut steps = 0;
    while stack.borrow().len() > 3 {
        stack.borrow_mut().pop();
        steps += 1;
    }
    println!("{} {:?}", steps, stack.borrow());
    for i in 0..6 {
        if stack.borrow().contains(&i) {
            continue;
        }
        if stack.borrow().len() > 5 {
            break;
        }
        stack.borrow_mut().push(i * 10);
    }
    println!("{:?}", stack.borrow());
    println!("{} {:?}", drain_sum(&stack), stack.borrow());
    let cells: Vec<Rc<RefCell<i64>>> = (1..5).map(|i| Rc::new(RefCell::new(i * 2))).collect();
    println!("{:?}", checked(&cells));
    *cells[1].borrow_mut() = 3;
    println!("{:?}", checked(&cells));
    let found = match stack.borrow().len() {
        0 => "empty",
        _ => "full",
    };
    println!("{}", found);
    let r = stack.replace(vec![9, 8]);
    println!("{:?} {:?}", r, stack.borrow());

    // A loop that mutates shared state many times.
    let acc = Rc::new(Cell::new(0i64));
    let shared = Rc::new(RefCell::new(Vec::new()));
    for i in 0..5000 {
        acc.set(acc.get() + i);
        shared.borrow_mut().push(i % 7);
        if shared.borrow().len() > 10 {
            let last = shared.borrow_mut().pop().unwrap_or(0);
            acc.set(acc.get() - last);
        }
    }
    println!("{} {}", acc.get(), shared.borrow().len());
}
