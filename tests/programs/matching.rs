//! `match` on integers, bytes, chars, ranges, or-patterns, guards and
//! `Option`; `if let`; on named constants mixed with literals (one
//! multiway branch), with or-patterns, guards and a binding catch-all.

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

const PUSH: i64 = 0;
const POP: i64 = 1;
const ADD: i64 = 2;
const SUB: i64 = 3;
const NEG: i64 = -7;
const BIG: u8 = 250;

fn opcode_cost(op: i64, deep: bool) -> i64 {
    match op {
        PUSH => 1,
        POP | NEG => 2,
        ADD | SUB if deep => 30,
        ADD | SUB => 3,
        4 => 4,
        other => other * 100,
    }
}

fn byte_kind(b: u8) -> u8 {
    match b {
        BIG => 1,
        b'x' | 0 => 2,
        _ => 3,
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
    let mut total = 0;
    let mut op = -8;
    while op < 7 {
        total = total * 3 + opcode_cost(op, op % 2 == 0);
        op += 1;
    }
    println!("costs {}", total);
    println!(
        "{} {} {} {}",
        byte_kind(250),
        byte_kind(b'x'),
        byte_kind(0),
        byte_kind(7)
    );
}
