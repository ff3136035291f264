trait Container {
    type Item;
    fn first(&self) -> Self::Item;
}

struct Bag {
    items: Vec<i64>,
}

impl Container for Bag {
    type Item = i64;
    fn first(&self) -> i64 {
        self.items[0]
    }
}

fn main() {
    let b = Bag { items: vec![3, 4] };
    println!("{}", b.first());
}
