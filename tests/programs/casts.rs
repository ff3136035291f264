//! `as` casts between integer widths, signedness, bool, char and f64.

#![allow(clippy::all)]

fn main() {
    let a: i32 = -1;
    println!("{} {} {} {}", a as u8, a as u32, a as i64, a as u64);
    let b: u64 = 300;
    println!("{} {} {}", b as u8, b as i8, b as i16);
    let c: u8 = 200;
    println!("{} {} {}", c as i8, c as i32, c as char);
    println!("{} {}", true as i32, false as u8);
    println!("{} {}", 'A' as u32, 'é' as u8);
    println!("{}", 97u8 as char);
    let f: f64 = -3.99;
    println!("{} {} {}", f as i32, f as u8, 1e20 as i32);
    let g: i64 = 7;
    println!("{}", g as f64 / 2.0);
    println!("{}", (g as f64 * 0.1) as i64);
}
