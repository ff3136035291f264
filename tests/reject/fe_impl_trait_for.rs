struct P {
    x: i64,
}

impl std::fmt::Display for P {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{}", self.x)
    }
}

fn main() {
    let p = P { x: 1 };
    println!("{}", p.x);
}
