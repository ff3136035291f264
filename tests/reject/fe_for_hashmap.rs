use std::collections::HashMap;

fn main() {
    let mut m = HashMap::new();
    m.insert(0, 1);
    for (k, v) in &m {
        println!("{} {}", k, v);
    }
}
