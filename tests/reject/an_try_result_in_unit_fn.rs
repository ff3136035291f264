fn check(n: i64) -> Result<i64, String> {
    if n < 0 {
        Err(format!("{} is negative", n))
    } else {
        Ok(n)
    }
}

fn report(n: i64) {
    let v = check(n)?;
    println!("{}", v);
}

fn main() {
    report(3);
}
