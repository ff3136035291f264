type Pair<T> = (T, T);

fn main() {
    let p: Pair<i64> = (1, 2);
    println!("{}", p.0 + p.1);
}
