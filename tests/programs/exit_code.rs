//! `std::process::exit` flushes what was printed and exits with the code.

#![allow(clippy::all)]

use std::process;

fn main() {
    print!("partial line, no newline");
    process::exit(3);
}
