//! The `f64` methods (`sqrt`, `abs`, `floor`, `round`, `powi`, `powf`, `min`,
//! `max`, `is_nan`, ..) with std's results, NaN and infinities included, also
//! inside a JIT merge-point loop.

#![allow(dead_code, clippy::all)]

use rrlib::jit::jit_merge_point;

fn dist(a: (f64, f64), b: (f64, f64)) -> f64 {
    ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
}
fn main() {
    println!("{:.6}", integrate(200000));
    let xs = [2.0f64, -3.7, 0.5, f64::NAN, 1e300];
    for x in xs.iter() {
        println!(
            "{} {} {} {} {} {} {}",
            x.abs(),
            x.floor(),
            x.ceil(),
            x.round(),
            x.trunc(),
            x.sqrt(),
            x.is_nan()
        );
    }
    println!("{} {}", dist((0.0, 0.0), (3.0, 4.0)), 2.0f64.powf(0.5));
    println!(
        "{} {} {}",
        f64::NAN.max(1.0),
        3.0f64.min(-1.0),
        (1e300f64 * 1e10).is_infinite()
    );
    let m = xs.iter().cloned().fold(f64::MIN, |a, b| a.max(b));
    println!(
        "{} {} {}",
        m,
        (-0.0f64).is_sign_negative(),
        7.5f64.to_string()
    );
    println!(
        "{:.4} {:.4} {:.4}",
        1.0f64.exp(),
        10.0f64.ln(),
        0.5f64.sin()
    );
}

/// Sums sqrt(x) * |sin(x)| over a grid, floor and max included.
#[jit_merge_point(greens(), reds(i, n, acc))]
fn integrate(n: i64) -> f64 {
    let mut acc = 0.0;
    let mut i = 0;
    while i < n {
        let x = i as f64 / 1000.0;
        acc += (x.sqrt() * x.sin().abs()).max(0.25) + x.floor().powi(2) * 1e-9;
        i += 1;
    }
    acc
}
