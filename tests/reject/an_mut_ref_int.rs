fn show(n: &mut i32) {
    println!("{}", n);
}

fn main() {
    let mut n = 1;
    show(&mut n);
}
