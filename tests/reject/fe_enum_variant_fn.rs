enum Tok {
    Num(i64),
}

fn main() {
    let make = Tok::Num;
    let Tok::Num(n) = make(4);
    println!("{}", n);
}
