fn main() {
    let x = 5;
    let y = unsafe { std::ptr::read(&x) };
    println!("{}", y);
}
