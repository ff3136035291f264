fn main() {
    let line = "3,4,5";
    let v: Vec<i64> = line.split(",").map(|x| x.parse().unwrap()).collect();
    println!("{:?}", v);
}
