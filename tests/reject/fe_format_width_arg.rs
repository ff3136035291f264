fn main() {
    let x = 42;
    let w = 6;
    println!("[{:w$}]", x);
}
