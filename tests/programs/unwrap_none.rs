//! `unwrap()` on `None` panics with Rust's message at the call's location.

#![allow(clippy::all)]

fn find(xs: &[i32], x: i32) -> Option<usize> {
    for i in 0..xs.len() {
        if xs[i] == x {
            return Some(i);
        }
    }
    None
}

fn main() {
    let xs = vec![3, 1, 4, 1, 5];
    println!("{}", find(&xs, 4).unwrap());
    println!("{}", find(&xs, 9).unwrap());
}
