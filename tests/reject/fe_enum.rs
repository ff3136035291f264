enum Op {
    Inc,
    Dec,
}

fn main() {
    let op = Op::Inc;
    match op {
        Op::Inc => println!("inc"),
        Op::Dec => println!("dec"),
    }
}
