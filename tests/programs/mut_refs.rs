// Writes through `&mut` to scalars: a local whose `&mut` is passed lives in a
// cell, `*p = x` and `*p += x` through `&mut` parameters, passing a `&mut`
// parameter on (`skip_spaces(s, pos)`), `&mut *p`.

#![allow(clippy::manual_swap, clippy::assign_op_pattern)]

fn bump(x: &mut i32) {
    *x += 1;
}

fn skip_spaces(s: &[u8], pos: &mut usize) {
    while *pos < s.len() && s[*pos] == b' ' {
        *pos += 1;
    }
}

fn number(s: &[u8], pos: &mut usize) -> i64 {
    skip_spaces(s, pos);
    let mut n = 0;
    while *pos < s.len() && s[*pos].is_ascii_digit() {
        n = n * 10 + (s[*pos] - b'0') as i64;
        *pos += 1;
    }
    n
}

fn sum(s: &[u8], pos: &mut usize, count: &mut u32, ok: &mut bool) -> i64 {
    let mut total = number(s, pos);
    *count += 1;
    loop {
        skip_spaces(s, pos);
        if *pos >= s.len() {
            break;
        }
        if s[*pos] != b'+' {
            *ok = false;
            break;
        }
        *pos += 1;
        total += number(s, &mut *pos);
        *count += 1;
    }
    total
}

fn swap(a: &mut f64, b: &mut f64) {
    let t = *a;
    *a = *b;
    *b = t;
}

fn main() {
    let mut n = 1;
    bump(&mut n);
    bump(&mut n);
    println!("{}", n);
    for line in ["1 + 2 + 39", "  7", "4 + x", ""] {
        let mut pos = 0;
        let mut count = 0;
        let mut ok = true;
        let t = sum(line.as_bytes(), &mut pos, &mut count, &mut ok);
        println!(
            "{:?}: {} after {} terms, pos {}, ok {}",
            line, t, count, pos, ok
        );
    }
    let mut a = 1.5;
    let mut b = -2.0;
    swap(&mut a, &mut b);
    println!("{} {}", a, b);
    let mut steps: u64 = 0;
    while steps < 10 {
        let before = steps;
        bump_u64(&mut steps);
        if steps == before {
            break;
        }
    }
    println!("{}", steps);
}

fn bump_u64(s: &mut u64) {
    *s = *s + 3;
}
