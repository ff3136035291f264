//! Writes through the elements of `for x in v.iter_mut()` and `for x in
//! &mut v` (also `.enumerate()`, `.rev()`, nested): `*x = ..`, `*x += ..`,
//! fields of struct elements, whole elements replaced.

#![allow(dead_code, clippy::all)]

#[derive(Debug)]
struct P {
    x: i64,
    tags: Vec<String>,
}
fn main() {
    let mut v = vec![1i64, 2, 3, 4];
    for x in v.iter_mut() {
        *x *= 10;
        if *x > 20 {
            *x += 1;
        }
    }
    println!("{:?}", v);
    for (i, x) in v.iter_mut().enumerate() {
        *x -= i as i64;
    }
    println!("{:?}", v);
    for x in &mut v {
        *x = -*x;
    }
    println!("{:?}", v);
    let mut ps = vec![P { x: 1, tags: vec![] }, P { x: 2, tags: vec![] }];
    for p in ps.iter_mut() {
        p.x += 100;
        p.tags.push(format!("t{}", p.x));
    }
    for p in &mut ps {
        *p = P {
            x: p.x * 2,
            tags: p.tags.clone(),
        };
    }
    println!("{:?}", ps);
    let mut grid = vec![vec![0u8; 3]; 2];
    for row in grid.iter_mut() {
        for c in row.iter_mut() {
            *c += 7;
        }
    }
    println!("{:?}", grid);
    let mut total = 0;
    for x in v.iter_mut().rev() {
        total = total * 2 + *x;
        *x = total;
    }
    println!("{} {:?}", total, v);
}
