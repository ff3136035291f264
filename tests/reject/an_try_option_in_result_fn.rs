fn half(n: i32) -> Option<i32> {
    if n % 2 == 0 { Some(n / 2) } else { None }
}
fn q(n: i32) -> Result<i32, String> {
    let h = half(n)?;
    Ok(h)
}
fn main() {
    println!("{:?}", q(4));
}
