fn evens(n: i64) -> impl Iterator<Item = i64> {
    (0..n).filter(|x| x % 2 == 0)
}

fn main() {
    for x in evens(6) {
        println!("{}", x);
    }
}
