fn main() {
    let mut n = 1;
    let r = &mut n;
    *r += 1;
    println!("{}", n);
}
