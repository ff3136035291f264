//! Iterator chains: adapters (`map`, `filter`, `filter_map`, `enumerate`,
//! `skip`, `take`, `cloned`) and consumers (`collect` into a `Vec` or a
//! `String`, `sum` of integers and floats, `count`, `max`, `min`, `any`, `all`,
//! `position`, `find`, `fold`, `for_each`, `last`), over vectors, ranges,
//! `chars()` and `split_whitespace()`, also as the iterable of a `for`.

#![allow(dead_code, clippy::all)]

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

fn total(v: &[f64]) -> f64 {
    v.iter().sum()
}

fn main() {
    let v = vec![3, -1, 4, 1, -5, 9, 2, 6];
    let doubled: Vec<i64> = v.iter().map(|x| x * 2).collect();
    println!("{:?}", doubled);
    let pos: i64 = v.iter().filter(|x| **x > 0).sum();
    println!("{}", pos);
    println!("{}", v.iter().filter(|&&x| x % 2 == 0).count());
    println!("{:?} {:?}", v.iter().max(), v.iter().min());
    println!(
        "{} {}",
        v.iter().any(|&x| x > 8),
        v.iter().all(|x| *x > -10)
    );
    println!(
        "{:?} {:?}",
        v.iter().position(|&x| x == 4),
        v.iter().position(|&x| x == 40)
    );
    println!("{:?}", v.iter().find(|x| **x < 0));
    let firsts: Vec<i64> = v.iter().skip(2).take(3).cloned().collect();
    println!("{:?}", firsts);
    let words = "the quick brown fox";
    let caps: String = words
        .chars()
        .filter(|c| *c != ' ')
        .map(|c| if c == 'o' { '0' } else { c })
        .collect();
    println!("{}", caps);
    let lens: Vec<usize> = words.split_whitespace().map(|w| w.len()).collect();
    println!("{:?}", lens);
    let sq: i64 = (1..=10).map(|i| i * i).sum();
    println!("{}", sq);
    let f = (1..6).fold(1, |acc, x| acc * x);
    println!("{}", f);
    for (i, x) in v.iter().map(|x| x + 100).enumerate() {
        if i > 2 {
            break;
        }
        println!("{} {}", i, x);
    }
    let mut seen = Vec::new();
    v.iter().take(3).for_each(|x| seen.push(*x));
    println!("{:?}", seen);
    println!("{} {}", mean(&[1.0, 2.0, 4.5]), total(&[-0.0]));
    let names = vec![String::from("ann"), String::from("bob")];
    let upper: Vec<String> = names.iter().map(|n| n.to_uppercase()).collect();
    println!(
        "{:?} {}",
        upper,
        names.iter().map(|n| n.len()).sum::<usize>()
    );
    println!(
        "{:?}",
        v.iter()
            .enumerate()
            .filter(|(_, x)| **x > 3)
            .map(|(i, _)| i)
            .collect::<Vec<_>>()
    );
    println!(
        "{:?}",
        v.iter()
            .filter_map(|&x| if x > 0 { Some(x * 10) } else { None })
            .last()
    );
}
