//! Sub-slices of `Vec`s, arrays and strings (`&v[a..b]`, `&s[i..]`, `..=`,
//! `v[..]`), read through, passed to functions and sliced again; a
//! tokenizer cutting words out of its input. Bounds come from stdin so
//! nothing is constant-folded.

#![allow(dead_code, clippy::all)]

use std::io::Read;

fn sum(v: &[i64]) -> i64 {
    if v.is_empty() {
        0
    } else {
        v[0] + sum(&v[1..])
    }
}

fn search(v: &[i64], x: i64) -> bool {
    if v.is_empty() {
        return false;
    }
    let mid = v.len() / 2;
    if v[mid] == x {
        true
    } else if v[mid] < x {
        search(&v[mid + 1..], x)
    } else {
        search(&v[..mid], x)
    }
}

#[derive(Debug)]
enum Tok {
    Num(i64),
    Word(String),
    Sym(char),
}

fn tokenize(src: &str) -> Vec<Tok> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b' ' || c == b'\n' {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            out.push(Tok::Num(src[start..i].parse().unwrap()));
        } else if c.is_ascii_alphabetic() || c >= 0x80 {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] >= 0x80) {
                i += 1;
            }
            out.push(Tok::Word(src[start..i].to_string()));
        } else {
            out.push(Tok::Sym(c as char));
            i += 1;
        }
    }
    out
}

fn longest<'a>(words: &[&'a str]) -> &'a str {
    let mut best = "";
    for w in words {
        if w.len() > best.len() {
            best = w;
        }
    }
    best
}

struct Point {
    x: i64,
    y: i64,
}

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let lines: Vec<&str> = input.lines().collect();
    let n: usize = lines[0].trim().parse().unwrap();

    let v: Vec<i64> = (0..10).map(|i| i * i).collect();
    println!("{:?} {:?} {:?}", &v[n..n + 3], &v[..n], &v[7..]);
    println!("{:?} {:?}", &v[n..=n + 1], &v[..=1]);
    println!("{} {}", sum(&v), sum(&v[n..]));
    println!(
        "{} {} {}",
        search(&v, 49),
        search(&v, 50),
        search(&v[..n], 49)
    );
    let tail = &v[n..];
    let inner = &tail[1..tail.len() - 1];
    println!(
        "{:?} first={:?} last={:?}",
        inner,
        inner.first(),
        inner.last()
    );
    println!(
        "{:?} {} {}",
        v[2..5].to_vec(),
        v[..n].iter().sum::<i64>(),
        v[1..4].contains(&4)
    );
    println!(
        "{}",
        v[n..].iter().map(|x| x * 2).filter(|x| x % 3 == 0).count()
    );
    let empty = &v[n..n];
    println!("{} {:?}", empty.len(), empty);
    let whole = &v[..];
    println!("{}", whole.len());

    let arr = [3u8, 1, 4, 1, 5, 9, 2, 6];
    let mut total = 0u32;
    for x in &arr[n - 1..] {
        total += *x as u32;
    }
    println!("{} {:?}", total, &arr[..n]);

    let mut w = vec![5, 3, 8, 1];
    w[..].swap(0, 3);
    let all = &mut w[..];
    all[0] = 10;
    println!("{:?}", w);

    let text = lines[1];
    println!("[{}] [{}] [{}]", &text[..n], &text[n..], &text[n..=n]);
    println!("{} {}", text[n..].starts_with("lo"), &text[1..3] == "el");
    println!("{}", text[..n].to_uppercase());
    for c in text[n..].chars().rev() {
        print!("{}", c);
    }
    println!();
    let words: Vec<&str> = text.split_whitespace().collect();
    println!("{:?} {}", &words[1..], longest(&words[..2]));
    let owned: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    for w in &owned[1..] {
        print!("<{}>", &w[..1]);
    }
    println!();

    let src = lines[2];
    let toks = tokenize(src);
    println!("{:?}", &toks[..]);
    println!("{:?}", &toks[toks.len() - 2..]);

    let pts: Vec<Point> = (0..5).map(|i| Point { x: i, y: 10 - i }).collect();
    let mid = &pts[1..4];
    let mut s = 0;
    for p in mid {
        s += p.x * p.y;
    }
    println!("{}", s);

    let mut acc = 0i64;
    for round in 0..2000 {
        let part = &v[round % 5..round % 5 + n];
        acc += part[0] + part[part.len() - 1];
        let t = &text[round % 3..];
        acc += t.len() as i64;
    }
    println!("{}", acc);
}
