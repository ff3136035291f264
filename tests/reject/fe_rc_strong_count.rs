use std::rc::Rc;

fn main() {
    let a = Rc::new(vec![1, 2, 3]);
    let b = Rc::clone(&a);
    println!("{} {}", b.len(), Rc::strong_count(&a));
}
