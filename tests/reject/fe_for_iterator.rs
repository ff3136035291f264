fn main() {
    let v = vec![1, 2, 3];
    let w = vec![4, 5, 6];
    for x in v.iter().chain(w.iter()) {
        println!("{}", x);
    }
}
