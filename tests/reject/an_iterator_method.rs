fn main() {
    let a = vec![1, 2, 3];
    let b = vec![4, 5, 6];
    let dot: i64 = a.iter().zip(b.iter()).map(|(x, y)| x * y).sum();
    println!("{}", dot);
}
