//! `drain(..)`, `chars().nth(i)`/`.next()`/`.count()` and the same on
//! `lines()`, `split_whitespace()`, `split(..)`; `lines().enumerate()`;
//! `into()` to a `String`; `?` inside a closure; `join` of a `Vec` filled
//! later in the function.
#![allow(dead_code, clippy::all)]

struct Log {
    lines: Vec<String>,
}

impl Log {
    fn add(&mut self, s: impl Into<String>) {
        self.lines.push(s.into());
    }
}

fn checked_sum(words: &[&str]) -> Result<i64, String> {
    let parse = |w: &str| -> Result<i64, String> {
        let n: i64 = w.parse().map_err(|_| format!("not a number: {}", w))?;
        Ok(n)
    };
    let mut total = 0;
    for w in words {
        total += parse(w)?;
    }
    Ok(total)
}

fn main() {
    let text = "alpha beta\ngamma  delta epsilon\n\nzeta";
    for (i, line) in text.lines().enumerate() {
        println!(
            "{}: {:?} words={} first={:?}",
            i + 1,
            line,
            line.split_whitespace().count(),
            line.split_whitespace().next()
        );
    }
    println!(
        "{:?} {:?} {}",
        text.lines().nth(1),
        text.lines().nth(9),
        text.lines().count()
    );
    let word = "héllo";
    println!(
        "{:?} {:?} {:?} {}",
        word.chars().next(),
        word.chars().nth(1),
        word.chars().nth(5),
        word.chars().count()
    );
    println!(
        "{:?} {}",
        "a,b,,c".split(',').nth(2),
        "a,b,,c".split(',').count()
    );
    for (i, w) in text.split_whitespace().enumerate().skip(1) {
        if i > 3 {
            break;
        }
        print!("{}:{} ", i, w);
    }
    println!();
    for w in text.split_whitespace().rev() {
        print!("{} ", w);
    }
    println!();

    let mut log = Log { lines: Vec::new() };
    log.add("first");
    log.add(String::from("second"));
    let mut pending = vec![3, 1, 2];
    pending.push(9);
    let mut seen = Vec::new();
    for x in pending.drain(..) {
        if x == 2 {
            break;
        }
        seen.push(x);
    }
    println!("{:?} {:?} {}", seen, pending, pending.len());
    pending.push(4);
    let mut moved = Vec::new();
    for x in pending.drain(..) {
        moved.push(x * 2);
    }
    println!("{:?} {:?}", moved, pending);
    for l in log.lines.drain(..) {
        println!("log {}", l);
    }
    println!("{}", log.lines.len());

    let mut parts = Vec::new();
    for n in [3, 4, 5] {
        parts.push(n.to_string());
    }
    println!("{}", parts.join("-"));
    println!(
        "{:?} {:?}",
        checked_sum(&["1", "2", "39"]),
        checked_sum(&["1", "x"])
    );
    let sum_all = |rs: &Vec<i64>| {
        let mut acc: i64 = 0;
        for r in rs {
            acc = acc
                .checked_add(*r)
                .ok_or(format!("overflow after {}", acc))?;
        }
        Ok(acc)
    };
    let r1: Result<i64, String> = sum_all(&vec![1, i64::MAX, 3]);
    println!("{:?} {:?}", r1, sum_all(&vec![2, 5]));
}
