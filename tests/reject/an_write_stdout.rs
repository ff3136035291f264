use std::io::Write;

fn main() {
    let mut out = std::io::stdout();
    write!(out, "hi").unwrap();
}
