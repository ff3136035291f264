fn make<T: Default>(n: i64) -> Vec<T> {
    let mut v = Vec::new();
    for _ in 0..n { v.push(T::default()); }
    v
}
fn main() {
    let v: Vec<i64> = make(3);
    println!("{:?}", v);
}
