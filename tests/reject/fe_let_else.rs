fn main() {
    let v: Vec<i32> = vec![1];
    let Some(first) = v.first() else {
        return;
    };
    println!("{}", first);
}
