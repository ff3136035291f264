//! `for (a, b) in xs.iter().zip(ys)` up to the shorter sequence, and slice
//! patterns `[]`, `[x]`, `[a, b]`, `[first, ..]`, `[.., last]`,
//! `[head, rest @ ..]` on `Vec`s and slices, as a dispatcher on argument
//! lists writes them.

#![allow(dead_code, clippy::all)]

fn describe(args: &[i64]) -> String {
    match args {
        [] => "none".to_string(),
        [x] => format!("one {}", x),
        [a, b] if a == b => format!("pair of {}", a),
        [a, b] => format!("two {} {}", a, b),
        [first, .., last] if first > last => format!("down {}..{}", first, last),
        [head, rest @ ..] => format!("{} then {:?}", head, rest),
    }
}

fn call(name: &str, args: &[String]) -> String {
    match (name, args) {
        ("greet", [who]) => format!("hello {}", who),
        ("add", [a, b]) => format!("{}", a.len() + b.len()),
        (_, [.., last]) => format!("{} ends with {}", name, last),
        _ => format!("{}()", name),
    }
}

fn main() {
    let xs = vec![1i64, 2, 3, 4];
    let ys = vec![10i64, 20, 30];
    let mut dot = 0;
    for (x, y) in xs.iter().zip(ys.iter()) {
        dot += x * y;
    }
    println!("{}", dot);
    let names = vec!["a".to_string(), "b".to_string()];
    for (n, v) in names.iter().zip(&xs) {
        println!("{}={}", n, v);
    }
    let zs = vec![5i64, 6, 7, 8, 9];
    for (x, z) in xs.iter().zip(zs) {
        print!("{} ", x + z);
    }
    println!();
    for v in [
        vec![],
        vec![7],
        vec![3, 3],
        vec![3, 4],
        vec![9, 5, 1],
        vec![1, 5, 9],
    ] {
        println!("{}", describe(&v));
    }
    println!("{}", describe(&xs[1..]));
    let words: Vec<String> = "x y z".split_whitespace().map(|s| s.to_string()).collect();
    println!("{}", call("greet", &words[..1]));
    println!("{}", call("add", &words[1..]));
    println!("{}", call("list", &words));
    println!("{}", call("none", &words[..0]));
}
