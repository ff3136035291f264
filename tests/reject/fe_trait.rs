trait Shape {
    fn area(&self) -> i64;
}

fn main() {
    println!("traits");
}
