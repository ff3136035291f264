const fn size() -> usize {
    16
}

const SIZE: usize = size();

fn main() {
    println!("{}", SIZE);
}
