//! Mutable references to elements: `get_mut`, `first_mut`, `last_mut`,
//! `&mut v[i]`, `HashMap::get_mut` and the `entry` API, read and written
//! through `*r`, with their panics.
#![allow(dead_code, clippy::all)]

use std::collections::HashMap;

#[derive(Debug, Clone)]
struct Account {
    name: String,
    balance: i64,
    history: Vec<i64>,
}

fn word_counts(text: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for w in text.split_whitespace() {
        *counts.entry(w.to_lowercase()).or_insert(0) += 1;
    }
    counts
}

fn bump_all(v: &mut Vec<i64>) {
    if let Some(first) = v.first_mut() {
        *first *= 10;
    }
    if let Some(last) = v.last_mut() {
        *last += 1;
    }
    for i in 0..v.len() {
        let slot = &mut v[i];
        *slot -= 1;
    }
}

fn main() {
    let mut v = vec![1, 2, 3, 4];
    if let Some(x) = v.get_mut(2) {
        *x = 30;
    }
    match v.get_mut(10) {
        Some(x) => *x = 0,
        None => println!("no element 10"),
    }
    *v.last_mut().unwrap() += 100;
    *v.get_mut(0).expect("first") -= 5;
    bump_all(&mut v);
    println!("{:?}", v);

    let mut stack: Vec<Vec<i64>> = vec![vec![]];
    stack.last_mut().unwrap().push(7);
    stack.push(vec![1]);
    stack.last_mut().unwrap().push(8);
    if let Some(top) = stack.last_mut() {
        top.push(9);
        top[0] = 2;
    }
    println!("{:?}", stack);

    let counts = word_counts("the cat The dog the END end");
    for k in ["the", "cat", "dog", "end", "bird"] {
        println!("{} {:?}", k, counts.get(k));
    }

    let mut accounts: HashMap<String, Account> = HashMap::new();
    for (name, amount) in [("ann", 10), ("bob", 5), ("ann", -3), ("cy", 0), ("bob", 7)] {
        let acc = accounts.entry(name.to_string()).or_insert_with(|| Account {
            name: name.to_string(),
            balance: 0,
            history: Vec::new(),
        });
        acc.balance += amount;
        acc.history.push(amount);
    }
    let names = vec!["ann".to_string(), "bob".to_string(), "cy".to_string()];
    for n in &names {
        let a = &accounts[n];
        println!("{} {} {:?}", a.name, a.balance, a.history);
    }
    match accounts.get_mut("bob") {
        Some(a) => a.balance *= 2,
        None => println!("no bob"),
    }
    if let Some(a) = accounts.get_mut("zed") {
        a.balance = 1;
    } else {
        println!("no zed");
    }
    println!("bob {}", accounts["bob"].balance);

    let mut totals: HashMap<char, i64> = HashMap::new();
    for c in "abracadabra".chars() {
        let t = totals.entry(c).or_insert(0);
        *t += 1;
        *t *= 2;
    }
    for c in ['a', 'b', 'c', 'd', 'r'] {
        print!("{}={} ", c, totals[&c]);
    }
    println!();

    let mut lists: HashMap<i64, Vec<i64>> = HashMap::new();
    for i in 0..10 {
        lists.entry(i % 3).or_insert_with(Vec::new).push(i);
    }
    let mut defaults: HashMap<String, i64> = HashMap::new();
    *defaults.entry("x".to_string()).or_default() += 5;
    *defaults.entry("x".to_string()).or_default() += 5;
    println!(
        "{:?} {:?} {:?} {}",
        lists[&0], lists[&1], lists[&2], defaults["x"]
    );

    let mut key = String::from("k");
    let mut m: HashMap<String, i64> = HashMap::new();
    m.insert(key.clone(), 1);
    let slot = m.get_mut(&key).unwrap();
    *slot += 41;
    key.push('!');
    println!("{} {:?}", m["k"], m.get(&key));

    let mut grid = vec![vec![0; 3]; 2];
    let cell = &mut grid[1][2];
    *cell = 5;
    *grid[0].last_mut().unwrap() = 9;
    println!("{:?}", grid);

    let empty: Vec<i64> = Vec::new();
    let mut e = empty.clone();
    println!("{:?}", e.last_mut().is_none());
    let n = v.len();
    let oops = &mut v[n + 1];
    *oops = 1;
}
