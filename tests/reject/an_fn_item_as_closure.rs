fn double(x: i64) -> i64 {
    x * 2
}
fn main() {
    let fs: Vec<Box<dyn Fn(i64) -> i64>> = vec![Box::new(double), Box::new(|x| x + 1)];
    for f in &fs {
        println!("{}", f(4));
    }
}
