//! Sub-slices inside a traced loop: a word interpreter whose dispatch loop
//! cuts each word out of its program text (`&src[start..pc]`) and reads
//! its stack through `&stack[sp - 2..]`. The last word reads past the
//! stack's end, so the trace itself must panic with std's message.

#![allow(dead_code, clippy::all)]

use rrlib::jit::jit_merge_point;

fn top_two(s: &[i64]) -> (i64, i64) {
    (s[0], s[1])
}

#[jit_merge_point(greens(pc, src, b), reds(stack, rounds))]
fn run(src: &str, b: &[u8], mut rounds: i64) -> Vec<i64> {
    let mut stack: Vec<i64> = vec![1, 1];
    let mut pc: usize = 0;
    while pc < b.len() {
        if b[pc] == b' ' {
            pc += 1;
            continue;
        }
        let start = pc;
        while pc < b.len() && b[pc] != b' ' {
            pc += 1;
        }
        let word = &src[start..pc];
        let n = stack.len();
        if word == "add" {
            let (x, y) = top_two(&stack[n - 2..]);
            stack.push((x + y) % 1000);
        } else if word == "drop" {
            stack.pop();
        } else if word == "peek" {
            let k = stack[n - 1] as usize % 3;
            let w = &stack[n - 1 - k..n];
            stack.push(w.len() as i64 + w[0]);
        } else if word.starts_with("loop") {
            rounds -= 1;
            if rounds > 0 {
                while stack.len() > 4 {
                    stack.pop();
                }
                pc = 0;
            }
        } else if word == "far" {
            let w = &stack[n - 1..n + 1];
            stack.push(w[0]);
        }
    }
    stack
}

fn main() {
    let p = "add add peek drop add peek loop";
    let s = run(p, p.as_bytes(), 3000);
    println!("{:?}", s);
    let p = "add peek add loop far";
    let s = run(p, p.as_bytes(), 500);
    println!("{:?}", s);
}
