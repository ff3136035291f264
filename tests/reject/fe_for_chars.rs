fn main() {
    let s = "abc";
    for c in s.chars() {
        println!("{}", c);
    }
}
