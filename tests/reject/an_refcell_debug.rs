use std::cell::RefCell;

fn main() {
    let c = RefCell::new(vec![1, 2]);
    c.borrow_mut().push(3);
    println!("{:?}", c);
}
