fn bump(x: &mut i32) {
    *x += 1;
}

fn main() {
    let mut n = 1;
    bump(&mut n);
    println!("{}", n);
}
