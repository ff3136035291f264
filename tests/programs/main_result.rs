// `fn main() -> Result<(), E>`: an `Err` prints `Error: {:?}` to stderr
// and exits with status 1.

#![allow(dead_code, clippy::all)]

#[derive(Debug)]
enum AppError {
    Missing(String),
    Parse { line: usize, text: String },
}

fn lookup(names: &[&str], want: &str) -> Result<usize, AppError> {
    for (i, n) in names.iter().enumerate() {
        if *n == want {
            return Ok(i);
        }
    }
    Err(AppError::Missing(want.to_string()))
}

fn parse_line(line: usize, text: &str) -> Result<i64, AppError> {
    match text.trim().parse::<i64>() {
        Ok(v) => Ok(v),
        Err(_) => Err(AppError::Parse {
            line,
            text: text.to_string(),
        }),
    }
}

fn main() -> Result<(), AppError> {
    let names = ["ada", "bob", "cy"];
    println!("bob at {}", lookup(&names, "bob")?);
    let mut sum = 0;
    for (i, t) in [" 4", "5 ", "6"].iter().enumerate() {
        sum += parse_line(i + 1, t)?;
    }
    println!("sum {}", sum);
    if let Err(e) = parse_line(9, "x") {
        println!("handled {:?}", e);
    }
    println!("dan at {}", lookup(&names, "dan")?);
    println!("not reached");
    Ok(())
}
