fn main() {
    let x = 5;
    dbg!(x);
}
