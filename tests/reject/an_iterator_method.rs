fn main() {
    let s = "a b c";
    let n = s.split_whitespace().count();
    println!("{}", n);
}
