fn main() {
    let n: i64 = "42".parse().unwrap();
    println!("{}", n);
}
