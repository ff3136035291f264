//! Unicode classes of `char` (`is_whitespace`, `is_alphabetic`, `is_numeric`,
//! ..), `to_ascii_uppercase`/`lowercase` and `to_digit`, in loops and chains.

#![allow(dead_code, clippy::all)]

fn main() {
    let s = "Héllo, Wörld 42\t٣ x\u{2003}y";
    let mut out = String::new();
    for c in s.chars() {
        if c.is_whitespace() {
            out.push('_');
        } else if c.is_alphabetic() {
            out.push(c.to_ascii_uppercase());
        } else if c.is_numeric() {
            out.push('#');
        } else {
            out.push(c);
        }
    }
    println!("{}", out);
    let digits: Vec<Option<u32>> = "7fz".chars().map(|c| c.to_digit(16)).collect();
    println!("{:?}", digits);
    let n: u32 = "1234".chars().filter_map(|c| c.to_digit(10)).sum();
    println!("{} {} {}", n, 'Q'.to_ascii_lowercase(), 'a'.is_uppercase());
    println!(
        "{} {}",
        s.chars().filter(|c| c.is_alphanumeric()).count(),
        '\n'.is_control()
    );
}
