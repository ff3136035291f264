fn main() {
    let mut t = (1, 2);
    t.0 = 5;
    println!("{} {}", t.0, t.1);
}
