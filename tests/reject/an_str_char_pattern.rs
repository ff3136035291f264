fn main() {
    let s = String::from("a,b");
    println!("{}", s.contains(','));
}
