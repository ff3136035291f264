#[derive(Debug)]
enum Op {
    Push(i64),
    Pop,
}

fn main() {
    let ops = vec![Op::Push(1), Op::Pop];
    for op in &ops {
        println!("[{:>12?}]", op);
    }
}
