use std::cell::RefCell;

struct View<'a> {
    name: &'a String,
}

fn main() {
    let c = RefCell::new(vec![String::from("a")]);
    let v = View { name: &c.borrow()[0] };
    println!("{}", v.name);
}
