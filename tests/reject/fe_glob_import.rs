use std::collections::*;

fn main() {
    let mut m: HashMap<u8, u8> = HashMap::new();
    m.insert(1, 2);
    println!("{}", m.len());
}
