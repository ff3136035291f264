//! `str::parse::<T>()` into integer types and `f64`: values, every error
//! kind (empty, invalid digit, overflow both ways; empty, invalid),
//! `match`, `if let`, `is_ok`, `unwrap`, and `expect` failing with Rust's
//! message (exit 101).

#![allow(clippy::all)]

fn main() {
    let inputs = vec![
        "42",
        "-17",
        "+8",
        "",
        "abc",
        "12a",
        "300",
        "-129",
        "127",
        "99999999999999999999",
        " 5",
    ];
    for s in inputs.iter() {
        let a = s.parse::<i64>();
        let b = s.parse::<u8>();
        let c = s.parse::<i8>();
        print!("[{}] ", s);
        match a {
            Ok(v) => print!("i64 {} ", v),
            Err(_) => print!("i64 err "),
        }
        if b.is_ok() {
            print!("u8 {} ", b.unwrap());
        } else {
            print!("u8 err ");
        }
        if let Ok(v) = c {
            print!("i8 {}", v);
        }
        println!();
    }
    let mut total: i64 = 0;
    let line = "10 20 x 30";
    for w in line.split_whitespace() {
        if let Ok(n) = w.parse::<i64>() {
            total += n;
        }
    }
    println!("total {}", total);
    let floats = vec![
        "1.5", "-0", "1e3", "inf", "-inf", "NaN", "", "x", " 1", "2.", ".5", "1e400",
    ];
    for s in floats.iter() {
        match s.parse::<f64>() {
            Ok(v) => print!("{} ", v),
            Err(_) => print!("err "),
        }
    }
    println!();
    let f: f64 = "0.25".parse::<f64>().unwrap() * 4.0;
    println!("{}", f);
    let n: usize = "7".parse::<usize>().unwrap();
    println!("{}", n * 6);
    let bad = "4x".parse::<i32>().expect("a number");
    println!("{}", bad);
}
