//! Integer methods with overflow in their contract (`checked_*`,
//! `saturating_*`, `pow`, `wrapping_neg`), conversions (`i64::from`,
//! `u8::try_from`) and the `Display` of std's number errors.
#![allow(dead_code, clippy::all)]

use std::convert::TryFrom;
use std::num::TryFromIntError;

fn describe(r: Option<i64>) -> String {
    match r {
        Some(v) => format!("{}", v),
        None => "overflow".to_string(),
    }
}

fn to_byte(x: i64) -> Result<u8, TryFromIntError> {
    u8::try_from(x)
}

fn factorial(n: u32) -> Option<u64> {
    let mut acc: u64 = 1;
    for k in 2..=n as u64 {
        acc = acc.checked_mul(k)?;
    }
    Some(acc)
}

fn main() {
    let big = i64::MAX;
    let small = i64::MIN;
    let cases: Vec<(i64, i64)> = vec![
        (1, 2),
        (big, 1),
        (small, -1),
        (small, 1),
        (-7, 2),
        (7, 0),
        (3037000499, 3037000499),
        (3037000500, 3037000500),
        (-1, small),
        (small, 0),
    ];
    for (a, b) in cases {
        println!(
            "{} {} | add {} sub {} mul {} div {} rem {} | sat {} {}",
            a,
            b,
            describe(a.checked_add(b)),
            describe(a.checked_sub(b)),
            describe(a.checked_mul(b)),
            describe(a.checked_div(b)),
            describe(a.checked_rem(b)),
            a.saturating_add(b),
            a.saturating_sub(b)
        );
    }
    for a in [0i64, 5, -5, i64::MIN, i64::MAX] {
        println!(
            "{:?} {:?} {}",
            a.checked_neg(),
            a.checked_abs(),
            a.wrapping_neg()
        );
    }
    let u: u8 = 200;
    println!(
        "{:?} {:?} {:?} {}",
        u.checked_add(55),
        u.checked_add(56),
        u.checked_sub(201),
        u.saturating_add(100)
    );
    println!(
        "{:?} {:?} {} {}",
        250u8.checked_mul(2),
        5u32.checked_neg(),
        0u32.saturating_sub(1),
        7u16.pow(3)
    );
    let i: i32 = -2;
    println!(
        "{} {:?} {:?} {}",
        i.pow(31),
        i.checked_pow(31),
        i.checked_pow(32),
        i.wrapping_pow(33)
    );
    println!(
        "{} {:?} {:?}",
        3i64.pow(39),
        3i64.checked_pow(39),
        3i64.checked_pow(40)
    );
    println!("{} {}", 2i64.pow(62), 10u64.pow(19));
    for n in [5, 20, 21, 25] {
        match factorial(n) {
            Some(f) => println!("{}! = {}", n, f),
            None => println!("{}! overflows u64", n),
        }
    }
    for x in [0i64, 255, 256, -1] {
        match to_byte(x) {
            Ok(b) => println!("byte {}", b),
            Err(e) => println!("{} -> error: {} / {:?}", x, e, e),
        }
    }
    println!(
        "{:?} {:?} {:?}",
        i8::try_from(-128i64),
        u32::try_from(-1i32).is_err(),
        i16::try_from(40000u32).ok()
    );
    println!(
        "{:?} {:?}",
        u64::try_from(-5i64).is_ok(),
        i64::try_from(u64::MAX).is_err()
    );
    let b: u8 = b'7';
    let c = char::from(b);
    println!(
        "{} {} {} {}",
        i64::from(b),
        u32::from('A'),
        c,
        f64::from(3i32) / 2.0
    );
    println!("{}", i64::from(true) + i64::from(u16::MAX));
    for s in [
        "12",
        "",
        "x1",
        "99999999999999999999",
        "-99999999999999999999",
    ] {
        match s.parse::<i64>() {
            Ok(n) => println!("{}", n),
            Err(e) => println!("{:?}: {} [{:>45}]", s, e, e),
        }
    }
    for s in ["1.5", "", "abc"] {
        match s.parse::<f64>() {
            Ok(x) => println!("{}", x),
            Err(e) => println!("{:?}: {}", s, e),
        }
    }
    let r: Result<u8, _> = u8::try_from(300i64);
    let v = r.unwrap();
    println!("{}", v);
}
