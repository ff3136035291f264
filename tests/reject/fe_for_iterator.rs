fn main() {
    let v = vec![1, 2, 3];
    let w = vec![4, 5, 6];
    for (a, b) in v.iter().zip(w.iter()) {
        println!("{} {}", a, b);
    }
}
