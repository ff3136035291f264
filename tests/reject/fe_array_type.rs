fn main() {
    let a: [u8; 4] = [0; 4];
    println!("{}", a[0]);
}
