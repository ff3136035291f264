//! `Vec`: new, push, pop, index, assignment through an index, len,
//! `vec![x; n]`, vectors of vectors, passing `&[T]` and `&mut Vec<T>`.

#![allow(clippy::all)]

fn sum(xs: &[i64]) -> i64 {
    let mut s = 0;
    for i in 0..xs.len() {
        s += xs[i];
    }
    s
}

fn fill(v: &mut Vec<i64>, n: i64) {
    for i in 0..n {
        v.push(i * i);
    }
}

fn main() {
    let mut v: Vec<i64> = Vec::new();
    fill(&mut v, 10);
    println!("len {} sum {}", v.len(), sum(&v));
    v[3] = 100;
    v[4] += 1;
    println!("{} {}", v[3], v[4]);
    let last = v.pop();
    match last {
        Some(x) => println!("popped {}", x),
        None => println!("empty"),
    }
    println!("len {} empty {}", v.len(), v.is_empty());
    let mut grid = vec![vec![0u8; 4]; 3];
    grid[1][2] = 7;
    grid[2][3] = grid[1][2] + 1;
    let mut total = 0u32;
    for row in grid.iter() {
        for &cell in row.iter() {
            total += cell as u32;
        }
    }
    println!("grid total {}", total);
    let mut stack: Vec<usize> = Vec::new();
    for i in 0..1000 {
        stack.push(i);
    }
    let mut popped = 0;
    while let Some(top) = stack.pop() {
        popped += top;
    }
    println!("stack {}", popped);
}
