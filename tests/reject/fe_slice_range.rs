fn sum(v: &[u8]) -> u32 {
    let mut s = 0;
    for &x in v.iter() {
        s += x as u32;
    }
    s
}

fn main() {
    let v = vec![1u8, 2, 3, 4];
    println!("{}", sum(&v[1..3]));
}
