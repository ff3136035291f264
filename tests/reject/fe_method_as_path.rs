fn main() {
    let a: u8 = 250;
    let b = u8::wrapping_add(a, 10);
    println!("{}", b);
}
