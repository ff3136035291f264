// A type parameter that only the return type mentions: the translator
// takes a generic function's types from its arguments.
fn parse_all<T: std::str::FromStr>(words: &[&str]) -> Vec<T> {
    let mut out = Vec::new();
    for w in words {
        if let Ok(x) = w.parse() {
            out.push(x);
        }
    }
    out
}

fn main() {
    let v: Vec<i64> = parse_all(&["1", "x", "3"]);
    println!("{}", v.len());
}
