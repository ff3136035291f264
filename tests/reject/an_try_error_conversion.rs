fn num(s: &str) -> Result<i64, String> {
    let n = s.parse::<i64>()?;
    Ok(n)
}
fn main() {
    println!("{:?}", num("4"));
}
