//! An out-of-bounds index must print Rust's panic message (with this
//! file's line and column) on stderr and exit with code 101, after the
//! output printed before it.

#![allow(clippy::all)]

fn main() {
    let v = vec![1, 2, 3];
    let mut i = 0;
    while i < 5 {
        println!("v[{}] = {}", i, v[i]);
        i += 1;
    }
}
