//! Walking a `HashMap`: `for (k, v) in &m`, `m.iter()`, `keys()`,
//! `values()` and chains over them, written so that the output does not
//! depend on the map's order (sorted, summed, counted), as its order in
//! rustc's build changes from run to run.
#![allow(dead_code, clippy::all)]

use std::collections::HashMap;

struct Inventory {
    items: HashMap<String, (i64, f64)>,
    by_id: HashMap<u32, String>,
}

impl Inventory {
    fn total_value(&self) -> f64 {
        let mut t = 0.0;
        for (_, (count, price)) in &self.items {
            t += *count as f64 * price;
        }
        t
    }

    fn names(&self) -> Vec<String> {
        let mut v: Vec<String> = self.items.keys().cloned().collect();
        v.sort();
        v
    }
}

fn main() {
    let mut inv = Inventory {
        items: HashMap::new(),
        by_id: HashMap::new(),
    };
    for (i, (name, count, price)) in [
        ("apple", 3, 0.5),
        ("pear", 0, 0.75),
        ("fig", 12, 0.25),
        ("kiwi", 5, 1.5),
    ]
    .iter()
    .enumerate()
    {
        inv.items.insert(name.to_string(), (*count, *price));
        inv.by_id.insert(i as u32 * 7, name.to_string());
    }
    println!("{:.2} {:?}", inv.total_value(), inv.names());
    let mut ids: Vec<u32> = inv.by_id.keys().copied().collect();
    ids.sort();
    println!("{:?}", ids);
    let in_stock = inv.items.values().filter(|(c, _)| *c > 0).count();
    let units: i64 = inv.items.values().map(|(c, _)| c).sum();
    println!("{} {}", in_stock, units);
    let mut lines: Vec<String> = Vec::new();
    for (id, name) in inv.by_id.iter() {
        lines.push(format!("{:03}={}", id, name));
    }
    lines.sort();
    println!("{:?}", lines);
    let mut counts: HashMap<char, usize> = HashMap::new();
    for c in "mississippi".chars() {
        *counts.entry(c).or_insert(0) += 1;
    }
    let mut letters: Vec<char> = counts.keys().copied().collect();
    letters.sort_unstable();
    for c in &letters {
        print!("{}{} ", c, counts[c]);
    }
    let mut flags = vec![true, false, true];
    flags.sort();
    let mut small: Vec<i8> = vec![3, -128, 127, 0, -1];
    small.sort();
    println!("{:?} {:?}", flags, small);
    let mut big: HashMap<i64, i64> = HashMap::new();
    for i in 0..1000 {
        big.insert(i * 31 % 1009, i);
    }
    big.remove(&0);
    let s: i64 = big.values().sum();
    let k: i64 = big.keys().sum();
    println!("{} {} {}", big.len(), s, k);
    let empty: HashMap<String, i64> = HashMap::new();
    for (k, v) in &empty {
        println!("never {} {}", k, v);
    }
    println!("{}", empty.keys().count());
}
