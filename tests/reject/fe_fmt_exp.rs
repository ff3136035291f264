fn main() {
    let x = 1234.5;
    println!("{:e}", x);
}
