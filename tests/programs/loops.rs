//! `while`, `loop` with `break value`, `for` over ranges, slices and array literals,
//! `continue`, labelled `break`.

#![allow(clippy::all)]

fn main() {
    let mut total = 0u64;
    for i in 0..10 {
        if i % 3 == 0 {
            continue;
        }
        total += i;
    }
    println!("for/continue: {}", total);
    let mut n = 27u64;
    let steps = loop {
        if n == 1 {
            break 0;
        }
        let mut s = 0;
        while n != 1 {
            n = if n % 2 == 0 { n / 2 } else { 3 * n + 1 };
            s += 1;
        }
        break s;
    };
    println!("collatz steps: {}", steps);
    let mut found = 0;
    'outer: for a in 1..20 {
        for b in a..20 {
            if a * a + b * b == 13 * 13 {
                found = a * 100 + b;
                break 'outer;
            }
        }
    }
    println!("pythagoras: {}", found);
    let v = vec![5, 1, 4];
    let mut sum = 0;
    for x in v.iter() {
        sum += x;
    }
    for &x in &v {
        sum += x;
    }
    for (i, x) in v.iter().enumerate() {
        sum += i as i32 * x;
    }
    println!("sum: {}", sum);
    for i in (0..3).rev() {
        print!("{} ", i);
    }
    for i in 1..=3 {
        print!("{} ", i);
    }
    println!();
    // Over an array literal and a `vec!` directly (the loop help suggests
    // the first).
    let mut t = 0;
    for y in [4, 5, 6] {
        t = t * 10 + y;
    }
    for y in vec![7, 8] {
        t = t * 10 + y;
    }
    for (i, y) in [1, 2].iter().enumerate() {
        t += i as i32 * y;
    }
    println!("arrays: {}", t);
}
