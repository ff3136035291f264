//! `std::process::exit` flushes what was printed and exits with the code.

use std::process;

fn main() {
    print!("partial line, no newline");
    process::exit(3);
}
