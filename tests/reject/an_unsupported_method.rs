fn main() {
    let mut v = vec![3, 1, 2];
    v.dedup();
    println!("{}", v[0]);
}
