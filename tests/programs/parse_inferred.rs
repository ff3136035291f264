//! `parse()` typed by where its value goes: a `let` with a type (through
//! `unwrap`, `expect`, `unwrap_or`, `?`, a `match` passing `Ok(v)` on), a
//! `Result` type, a function's return type; `ParseIntError` in signatures.

#![allow(dead_code, clippy::all)]

use std::num::ParseIntError;

fn num(s: &str) -> Result<i64, ParseIntError> {
    s.trim().parse()
}

fn double(s: &str) -> Result<u32, ParseIntError> {
    let n: u32 = s.parse()?;
    Ok(n * 2)
}

fn main() {
    let a: usize = "42".parse().unwrap();
    let b: f64 = "2.5".parse().expect("a float");
    let c: i32 = "x".parse().unwrap_or(-1);
    let d: u8 = match "300".parse() {
        Ok(v) => v,
        Err(e) => {
            println!("bad: {:?}", e);
            7
        }
    };
    let r: Result<i16, _> = "-12".parse();
    println!(
        "{} {} {} {} {:?} {:?} {:?} {:?}",
        a,
        b,
        c,
        d,
        r,
        num(" 9 "),
        double("21"),
        double("q")
    );
}
