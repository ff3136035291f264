// A generic struct used at two types: one layout serves all uses today.
struct Stack<T> {
    items: Vec<T>,
}

impl<T> Stack<T> {
    fn new() -> Self {
        Stack { items: Vec::new() }
    }

    fn push(&mut self, x: T) {
        self.items.push(x);
    }
}

fn main() {
    let mut ints: Stack<i64> = Stack::new();
    let mut words: Stack<String> = Stack::new();
    ints.push(1);
    words.push(String::from("one"));
    println!("{} {}", ints.items.len(), words.items.len());
}
