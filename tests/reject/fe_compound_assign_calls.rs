fn at() -> usize {
    0
}

fn amount() -> u32 {
    2
}

fn main() {
    let mut v = vec![1u32];
    v[at()] += amount();
    println!("{}", v[0]);
}
