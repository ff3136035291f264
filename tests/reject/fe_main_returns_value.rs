fn main() -> i32 {
    println!("done");
    0
}
