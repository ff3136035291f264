//! `#[derive(Default)]` on structs (numbers, strings, collections, `Option`,
//! nested types, cells, tuples) and on enums with a `#[default]` variant.

#![allow(dead_code, clippy::all)]

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

#[derive(Debug, Default, Clone, Copy, PartialEq)]
enum Mode {
    #[default]
    Idle,
    Busy,
}

#[derive(Debug, Default)]
struct Inner {
    hits: u32,
    ratio: f64,
}

#[derive(Debug, Default)]
struct Stats {
    count: u64,
    name: String,
    seen: Vec<i64>,
    by_key: HashMap<String, usize>,
    last: Option<char>,
    flag: bool,
    mode: Mode,
    inner: Inner,
    shared: Rc<RefCell<Vec<u8>>>,
    pair: (i32, bool),
}

fn main() {
    let mut s = Stats::default();
    s.count += 3;
    s.seen.push(4);
    s.by_key.insert("a".to_string(), 1);
    s.inner.hits += 1;
    s.shared.borrow_mut().push(9);
    println!(
        "{:?} {} {:?} {:?} {} {:?} {:?}",
        s.mode, s.count, s.seen, s.last, s.flag, s.inner, s.pair
    );
    println!(
        "{:?} {} {}",
        s.shared.borrow(),
        s.by_key.len(),
        s.name.is_empty()
    );
    let m = Mode::default();
    println!("{}", m == Mode::Idle);
}
