fn nested(n: i64) -> Option<Option<i64>> {
    if n < 0 {
        None
    } else if n == 0 {
        Some(None)
    } else {
        Some(Some(n * 10))
    }
}
fn main() {
    for n in [-1, 0, 7] {
        match nested(n) {
            None => println!("{}: none", n),
            Some(None) => println!("{}: some(none)", n),
            Some(Some(v)) => println!("{}: some(some({}))", n, v),
        }
    }
}
