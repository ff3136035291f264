#[derive(PartialEq, PartialOrd)]
enum Value {
    Int(i64),
    Nil,
}

fn main() {
    let a = Value::Int(1);
    println!("{}", a < Value::Nil);
}
