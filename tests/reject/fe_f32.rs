fn main() {
    let x: f32 = 1.5;
    println!("{}", x);
}
