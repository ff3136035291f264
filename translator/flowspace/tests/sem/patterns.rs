struct P(i64, i64);
struct Q { a: i64, b: (i64, i64) }
impl P {
    fn swap(&self) -> P { Self(self.1, self.0) }
}
fn sign(x: i64) -> i64 {
    match x {
        -1 => -10,
        i64::MIN..=-2 => -20,
        0 => 0,
        n @ 1..=5 => n * 100,
        _ => 1,
    }
}
fn main() {
    let p = P(1, 2).swap();
    let q = Q { a: 5, b: (6, 7) };
    let Q { a, b: (c, _) } = q;
    let P(x, y) = p;
    println!("{} {} {} {}", a, c, x, y);
    println!("{} {} {} {} {}", sign(-1), sign(-7), sign(0), sign(3), sign(9));
    let mut m = 0;
    for i in 0..=i64::MAX {
        if i > 3 { break; }
        m += i;
    }
    let e: Option<i64> = None;
    let t = match (e, m) {
        (None, 6) => "none-six",
        (Some(_), _) => "some",
        _ => "other",
    };
    println!("{} {}", m, t);
    let mut i = 0u8;
    loop {
        i += 1;
        if i == 3 { continue; }
        if i > 4 { break; }
        print!("{i} ");
    }
    println!("{0}-{0}-{name}", i, name = "n");
    let w = 7;
    println!("{} {0} {n} {} {w:>3}|", 1, n = 2);
    println!("{:<4}|{:+}|{:05}|{:^7}|", 3, 5, -42, "mid");
    unreachable!("i is {}", i);
}
