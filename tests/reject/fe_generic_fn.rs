fn first<T: Copy>(v: &[T]) -> T {
    v[0]
}

fn main() {
    println!("{}", first(&[1, 2, 3]));
}
