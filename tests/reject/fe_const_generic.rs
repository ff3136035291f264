fn sum<const N: usize>(a: [i64; N]) -> i64 {
    let mut s = 0;
    for x in a { s += x; }
    s
}
fn main() {
    println!("{}", sum([1, 2, 3]));
}
