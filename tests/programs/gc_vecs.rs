//! Allocation-heavy: vectors of boxes and of strings that grow, maps with
//! string keys and boxed values that grow and shrink, strings built in
//! loops; everything checked at the end.

#![allow(clippy::all)]

use std::collections::HashMap;

struct Item {
    name: String,
    weight: u32,
}

fn main() {
    let mut items: Vec<Box<Item>> = Vec::new();
    let mut i = 0;
    while i < 20000 {
        let mut name = String::from("item-");
        name.push_str(&format!("{}", i));
        items.push(Box::new(Item {
            name,
            weight: i * 7 % 1000,
        }));
        i += 1;
    }
    let mut heavy = 0;
    for it in items.iter() {
        if it.weight > 500 {
            heavy += 1;
        }
    }
    println!(
        "{} items, {} heavy, last {}",
        items.len(),
        heavy,
        items[items.len() - 1].name
    );

    let mut map: HashMap<String, Box<Item>> = HashMap::new();
    let mut round = 0;
    while round < 30 {
        let mut k = 0;
        while k < 2000 {
            let key = format!("k{}", (k * 13 + round) % 3000);
            map.insert(
                key,
                Box::new(Item {
                    name: format!("v{}-{}", round, k),
                    weight: k,
                }),
            );
            k += 1;
        }
        let mut k = 0;
        while k < 1500 {
            let key = format!("k{}", (k * 17 + round * 3) % 3000);
            map.remove(&key);
            k += 1;
        }
        round += 1;
    }
    let mut sum = 0u64;
    let mut k = 0;
    while k < 3000 {
        let key = format!("k{}", k);
        if let Some(item) = map.get(&key) {
            sum += item.weight as u64 + item.name.len() as u64;
        }
        k += 1;
    }
    println!("map {} entries, sum {}", map.len(), sum);

    let mut lines: Vec<String> = Vec::new();
    let mut n = 0;
    while n < 3000 {
        let mut s = String::new();
        let mut j = 0;
        while j < n % 40 {
            s.push('x');
            j += 1;
        }
        lines.push(s);
        n += 1;
    }
    let mut total = 0;
    for l in lines.iter() {
        total += l.len();
    }
    println!("lines {} total {}", lines.len(), total);
}
