use std::cell::RefCell;
use std::rc::{Rc, Weak};

struct Node {
    parent: Option<Weak<RefCell<Node>>>,
    value: i64,
}

fn main() {
    let root = Rc::new(RefCell::new(Node { parent: None, value: 1 }));
    println!("{}", root.borrow().value);
}
