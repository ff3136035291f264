use std::collections::HashMap;

fn main() {
    let mut m: HashMap<u32, u32> = HashMap::new();
    m.insert(1, 10);
    let old = m.insert(1, 20);
    println!("{:?}", old.is_some());
}
