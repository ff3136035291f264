fn main() {
    let name: Option<String> = Some(String::from("rr"));
    match name {
        Some(ref s) => println!("{}", s),
        None => println!("none"),
    }
}
