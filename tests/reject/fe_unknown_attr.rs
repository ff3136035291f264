#[cold]
fn fail() -> i32 {
    0
}

fn main() {
    println!("{}", fail());
}
