//! `match` on integers, bytes, chars, ranges, or-patterns, guards and
//! `Option`; `if let`.

#![allow(clippy::all)]

fn classify(c: u8) -> i32 {
    match c {
        b'0'..=b'9' => 1,
        b'a' | b'e' | b'i' | b'o' | b'u' => 2,
        b'a'..=b'z' => 3,
        b' ' => 4,
        _ => 0,
    }
}

fn grade(n: i32) -> char {
    match n {
        x if x >= 90 => 'A',
        x if x >= 75 => 'B',
        50..=74 => 'C',
        _ => 'F',
    }
}

fn half(n: i32) -> Option<i32> {
    if n % 2 == 0 {
        Some(n / 2)
    } else {
        None
    }
}

fn main() {
    let text = b"hi 42 you";
    let mut counts = vec![0; 5];
    let mut i = 0;
    while i < text.len() {
        let k = classify(text[i]) as usize;
        counts[k] += 1;
        i += 1;
    }
    println!(
        "{} {} {} {} {}",
        counts[0], counts[1], counts[2], counts[3], counts[4]
    );
    println!("{}{}{}{}", grade(95), grade(80), grade(60), grade(10));
    let mut n = 0;
    while n < 5 {
        match half(n) {
            Some(h) => println!("half of {} is {}", n, h),
            None => println!("{} is odd", n),
        }
        n += 1;
    }
    if let Some(v) = half(10) {
        println!("if let: {}", v);
    }
    let op = b'[';
    let zero = true;
    let r = match op {
        b'[' if zero => "jump forward",
        b'[' => "enter",
        b']' => "back",
        _ => "other",
    };
    println!("{}", r);
}
