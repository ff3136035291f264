fn main() {
    let t = (0, 5);
    match t {
        (x, 0) | (0, x) => println!("{}", x),
        _ => println!("neither"),
    }
}
