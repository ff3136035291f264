fn show(x: &dyn std::fmt::Debug) {
    println!("{:?}", x);
}

fn main() {
    show(&1);
}
