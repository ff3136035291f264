use std::collections::HashMap;

fn main() {
    let mut m = HashMap::new();
    m.insert((1, 2), 3);
    println!("{}", m.len());
}
