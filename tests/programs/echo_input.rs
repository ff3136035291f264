//! Reads stdin byte by byte with `read` until EOF and echoes it upper-cased,
//! counting lines.

#![allow(clippy::all)]

use std::io::{Read, Write};

fn main() {
    let mut stdin = std::io::stdin();
    let mut out = std::io::stdout();
    let mut buf = vec![0u8; 1];
    let mut lines = 0;
    loop {
        let n = stdin.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        let mut b = buf[0];
        if b == b'\n' {
            lines += 1;
        }
        if b >= b'a' && b <= b'z' {
            b -= 32;
        }
        let one = vec![b];
        out.write_all(&one).unwrap();
    }
    out.flush().unwrap();
    println!("lines: {}", lines);
}
