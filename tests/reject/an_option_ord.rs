fn main() {
    let v = vec![1, 2, 3];
    let last = v.last().copied();
    println!("{}", last < Some(3));
}
