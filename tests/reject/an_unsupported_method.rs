fn main() {
    let mut v = vec![3, 1, 2];
    v.rotate_left(1);
    println!("{}", v[0]);
}
