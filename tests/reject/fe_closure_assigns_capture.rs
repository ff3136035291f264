fn main() {
    let mut total = 0;
    let mut add = |x: i64| total += x;
    add(2);
    add(3);
    println!("{}", total);
}
