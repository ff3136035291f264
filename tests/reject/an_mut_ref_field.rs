struct Counter {
    hits: u32,
}

fn bump(x: &mut u32) {
    *x += 1;
}

fn main() {
    let mut c = Counter { hits: 0 };
    bump(&mut c.hits);
    println!("{}", c.hits);
}
