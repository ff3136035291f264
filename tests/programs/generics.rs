// Generic functions, structs, enums and impls, monomorphised: one source
// function instantiated at integers, floats, strings, chars and user types;
// a generic `Stack<T>` with `impl<T>`, a generic `enum Tree<T>` with a derived
// `Debug`, lifetimes in signatures and in a struct, and a hot loop through
// generic helpers for the JIT.

#![allow(dead_code, clippy::all)]

use std::fmt::Debug;

fn max_of<T: PartialOrd>(a: T, b: T) -> T {
    if a > b {
        a
    } else {
        b
    }
}

fn largest<T: PartialOrd + Copy>(items: &[T]) -> T {
    let mut best = items[0];
    for &x in items {
        if x > best {
            best = x;
        }
    }
    best
}

fn show_all<T: Debug>(items: &[T]) {
    for (i, x) in items.iter().enumerate() {
        println!("  [{}] {:?}", i, x);
    }
}

fn first_or<T: Clone>(items: &Vec<T>, fallback: T) -> T {
    if items.is_empty() {
        fallback
    } else {
        items[0].clone()
    }
}

fn count_eq<T: PartialEq>(items: &[T], wanted: &T) -> usize {
    let mut n = 0;
    for x in items {
        if x == wanted {
            n += 1;
        }
    }
    n
}

fn longest<'a>(a: &'a str, b: &'a str) -> &'a str {
    if a.len() >= b.len() {
        a
    } else {
        b
    }
}

struct Parser<'a> {
    src: &'a [u8],
    pos: usize,
}

impl<'a> Parser<'a> {
    fn new(src: &'a str) -> Parser<'a> {
        Parser {
            src: src.as_bytes(),
            pos: 0,
        }
    }

    fn number(&mut self) -> Option<i64> {
        let start = self.pos;
        let mut value = 0i64;
        while self.pos < self.src.len() && self.src[self.pos].is_ascii_digit() {
            value = value * 10 + (self.src[self.pos] - b'0') as i64;
            self.pos += 1;
        }
        if self.pos == start {
            None
        } else {
            Some(value)
        }
    }

    fn skip(&mut self) {
        while self.pos < self.src.len() && self.src[self.pos] == b' ' {
            self.pos += 1;
        }
    }
}

struct Stack<T> {
    items: Vec<T>,
}

impl<T: Clone + Debug> Stack<T> {
    fn new() -> Self {
        Stack { items: Vec::new() }
    }

    fn push(&mut self, x: T) {
        self.items.push(x);
    }

    fn pop(&mut self) -> Option<T> {
        self.items.pop()
    }

    fn peek(&self) -> Option<&T> {
        self.items.last()
    }

    fn len(&self) -> usize {
        self.items.len()
    }

    fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tree<T> {
    Leaf(T),
    Node(Box<Tree<T>>, Box<Tree<T>>),
}

fn build(depth: u32, next: &mut i64) -> Tree<i64> {
    if depth == 0 {
        *next += 1;
        Tree::Leaf(*next)
    } else {
        let l = build(depth - 1, next);
        let r = build(depth - 1, next);
        Tree::Node(Box::new(l), Box::new(r))
    }
}

fn sum_tree(t: &Tree<i64>) -> i64 {
    match t {
        Tree::Leaf(v) => *v,
        Tree::Node(l, r) => sum_tree(l) + sum_tree(r),
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Point {
    x: i64,
    y: i64,
}

fn clamp<T: PartialOrd>(x: T, lo: T, hi: T) -> T {
    if x < lo {
        lo
    } else if x > hi {
        hi
    } else {
        x
    }
}

fn main() {
    println!("max_of ints: {}", max_of(3, 9));
    println!("max_of floats: {}", max_of(2.5, -1.0));
    println!(
        "max_of strings: {}",
        max_of(String::from("pear"), String::from("apple"))
    );
    println!("largest bytes: {}", largest(&[3u8, 200, 17]));
    println!("largest floats: {}", largest(&[0.5, 9.25, -3.0]));
    println!("largest chars: {}", largest(&['q', 'z', 'a']));
    println!("show_all:");
    show_all(&[1, 2, 3]);
    show_all(&["a", "bc"]);
    show_all(&[Point { x: 0, y: -1 }]);
    let empty: Vec<i64> = Vec::new();
    println!(
        "first_or: {} {}",
        first_or(&empty, 42),
        first_or(&vec![String::from("x")], String::from("y"))
    );
    println!(
        "count_eq: {} {}",
        count_eq(&[1, 2, 1, 1], &1),
        count_eq(&['a', 'b'], &'c')
    );
    println!("longest: {}", longest("hello", "hi"));
    println!(
        "clamp: {} {} {}",
        clamp(15, 0, 10),
        clamp(-0.5, 0.0, 1.0),
        clamp('m', 'a', 'f')
    );

    let mut p = Parser::new("12 345 6789");
    let mut total = 0;
    loop {
        p.skip();
        match p.number() {
            Some(n) => total += n,
            None => break,
        }
    }
    println!("parsed total: {}", total);

    let mut ints: Stack<i64> = Stack::new();
    for i in 0..5 {
        ints.push(i * i);
    }
    println!("peek: {:?}", ints.peek());
    while let Some(w) = ints.pop() {
        print!("{} ", w);
    }
    println!("| {} left, empty: {}", ints.len(), ints.is_empty());

    let mut next = 0;
    let t = build(3, &mut next);
    println!("tree sum: {}", sum_tree(&t));
    let small: Tree<i64> = Tree::Node(Box::new(Tree::Leaf(1)), Box::new(Tree::Leaf(2)));
    println!("small: {:?}", small);
    println!("small pretty: {:#?}", small);
    println!("clone equal: {}", small.clone() == small);

    // A hot loop through generic helpers and the generic stack.
    let mut acc: i64 = 0;
    for i in 0..20000i64 {
        ints.push(clamp(i % 97, 10, 80));
        acc += max_of(i % 13, i % 7);
        if ints.len() > 8 {
            acc += ints.pop().unwrap_or(0);
        }
    }
    println!("hot: {} {}", acc, ints.len());
    let last = ints.pop().unwrap();
    println!("last: {}", last);
}
