//! Division by zero panics in every build profile, with Rust's message.

#![allow(clippy::all)]

fn divide(a: i32, b: i32) -> i32 {
    a / b
}

fn main() {
    let mut d = 3;
    while d >= 0 {
        println!("{}", divide(12, d));
        d -= 1;
    }
}
