fn main() {
    let x;
    if std::env::args().count() > 1 {
        x = 1;
    } else {
        x = 2;
    }
    println!("{}", x);
}
