fn main() {
    std::thread::sleep(std::time::Duration::from_millis(1));
    println!("slept");
}
