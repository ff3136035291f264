//! Integer arithmetic with rustc's release semantics: wrapping on overflow,
//! truncating division, remainder sign, shifts, bit operations.

#![allow(clippy::all)]

fn mix(a: i64, b: i64) -> i64 {
    (a * 31 + b) ^ (a >> 3)
}

fn main() {
    let mut x: i32 = 2147483600;
    x += 100;
    println!("wrapped i32: {}", x);
    let mut b: u8 = 250;
    b = b.wrapping_add(10);
    println!("u8 wrapping_add: {}", b);
    let c: u8 = 3;
    println!("u8 wrapping_sub: {}", c.wrapping_sub(5));
    println!("i64 mul wrap: {}", 9223372036854775807i64.wrapping_mul(3));
    println!("div: {} {} {} {}", 7 / 2, -7 / 2, 7 % 3, -7 % 3);
    println!("udiv: {} {}", 17u32 / 5, 17u32 % 5);
    println!("shifts: {} {} {}", 1u64 << 40, -64i32 >> 3, 0xF0u8 >> 4);
    println!(
        "bits: {} {} {} {}",
        0b1100 & 0b1010,
        0b1100 | 0b1010,
        0b1100 ^ 0b1010,
        !0u16
    );
    println!("neg: {} {}", -(5i32), !true);
    let mut acc: i64 = 1;
    let mut i = 0;
    while i < 50 {
        acc = mix(acc, i);
        i += 1;
    }
    println!("mix: {}", acc);
    let big: usize = 0;
    println!("usize wrap: {}", big.wrapping_sub(1));
    println!("min/max: {} {}", 3.min(9), 3i64.max(-9));
    println!("abs: {}", (-42i32).abs());
    println!("consts: {} {} {}", i32::MAX, u8::MAX, i64::MIN);
}
