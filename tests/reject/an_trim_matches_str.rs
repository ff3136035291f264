fn main() {
    let s = "abxab";
    println!("{}", s.trim_matches("ab"));
}
