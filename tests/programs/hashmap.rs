//! `HashMap` with integer and string keys: insert, get, index,
//! contains_key, remove, len. (Iteration order is random in Rust, so no
//! program may depend on it; none is used here.)

#![allow(clippy::all)]

use std::collections::HashMap;

fn main() {
    let mut squares: HashMap<u64, u64> = HashMap::new();
    for i in 0..1000u64 {
        squares.insert(i, i * i);
    }
    println!("len {}", squares.len());
    println!("{} {}", squares[&12], squares[&999]);
    match squares.get(&500) {
        Some(v) => println!("get 500 -> {}", v),
        None => println!("missing"),
    }
    println!("contains 1000: {}", squares.contains_key(&1000));
    squares.remove(&12);
    println!(
        "after remove: {} {}",
        squares.len(),
        squares.contains_key(&12)
    );
    squares.insert(7, 0);
    println!("replaced: {}", squares[&7]);
    let mut names: HashMap<String, i32> = HashMap::new();
    names.insert(String::from("one"), 1);
    names.insert("two".to_string(), 2);
    let key = String::from("two");
    println!("two -> {}", names[&key]);
    if let Some(v) = names.get("one") {
        println!("one -> {}", v);
    }
    println!("three? {}", names.contains_key("three"));
}
