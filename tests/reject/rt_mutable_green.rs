// A heap green the loop could change: `code` is an owned vector.
use rrlib::jit::jit_merge_point;

#[jit_merge_point(greens(pc, code), reds(acc))]
fn run(code: Vec<i64>) -> i64 {
    let mut pc: usize = 0;
    let mut acc: i64 = 0;
    while pc < code.len() {
        acc += code[pc];
        pc += 1;
    }
    acc
}

fn main() {
    println!("{}", run(vec![1, 2, 3]));
}
