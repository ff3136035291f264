fn main() {
    let v = vec![1, 2, 3];
    let total: i32 = v.iter().map(|x| x * 2).sum();
    println!("{}", total);
}
