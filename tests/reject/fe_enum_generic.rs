enum Tree<T> {
    Leaf(T),
    Node(Box<Tree<T>>, Box<Tree<T>>),
}

fn main() {
    let t = Tree::Leaf(1);
    if let Tree::Leaf(x) = t {
        println!("{}", x);
    }
}
