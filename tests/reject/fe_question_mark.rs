fn half(n: i32) -> Option<i32> {
    if n % 2 == 0 {
        Some(n / 2)
    } else {
        None
    }
}

fn quarter(n: i32) -> Option<i32> {
    let h = half(n)?;
    half(h)
}

fn main() {
    println!("{:?}", quarter(8));
}
