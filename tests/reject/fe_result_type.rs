fn parse_digit(b: u8) -> Result<u8, String> {
    if b.is_ascii_digit() {
        Ok(b - b'0')
    } else {
        Err(String::from("not a digit"))
    }
}

fn main() {
    println!("{:?}", parse_digit(b'7'));
}
