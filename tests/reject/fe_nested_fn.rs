fn main() {
    fn helper(x: i32) -> i32 {
        x + 1
    }
    println!("{}", helper(1));
}
