fn zero(v: &mut [i64]) {
    for i in 0..v.len() {
        v[i] = 0;
    }
}

fn main() {
    let mut v = vec![1, 2, 3, 4];
    zero(&mut v[1..3]);
    println!("{:?}", v);
}
