fn add((a, b): (i32, i32)) -> i32 {
    a + b
}

fn main() {
    println!("{}", add((1, 2)));
}
