struct Config {
    width: u32,
    height: u32,
}

fn main() {
    let a = Config { width: 1, height: 2 };
    let b = Config { width: 3, ..a };
    println!("{} {}", b.width, b.height);
}
