use std::collections::HashMap;

fn main() {
    let mut m = HashMap::new();
    m.insert(0, 1);
    for (_, v) in m.iter_mut() {
        *v += 1;
    }
    println!("{}", m[&0]);
}
