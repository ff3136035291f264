//! Temporaries as Rust programmers write them: `pop` returns an
//! `Option`, decoding returns a tuple, helpers pass small structs (one
//! holding another). In the JIT's traces these objects are never
//! allocated while they do not escape (virtuals); guards that fail while
//! one is live must rebuild it exactly (data-dependent branches below),
//! bridges traced from there start from it, and a temporary that is
//! sometimes kept (pushed into `kept`) is allocated only on that path.

#![allow(clippy::all)]

use rrlib::jit::jit_merge_point;

const PUSH: i64 = 0;
const MIX: i64 = 1;
const KEEP: i64 = 2;
const LOOP: i64 = 3;

struct Pair {
    lo: i64,
    hi: i64,
}

struct Span {
    pair: Pair,
    tag: u8,
    scale: f64,
}

fn decode(code: &[i64], pc: usize) -> (i64, i64) {
    (code[pc], code[pc + 1])
}

fn split(x: i64) -> Pair {
    Pair {
        lo: x & 0xff,
        hi: x >> 8,
    }
}

fn span(x: i64, tag: u8) -> Span {
    Span {
        pair: split(x),
        tag,
        scale: x as f64 * 0.5,
    }
}

struct Vm {
    stack: Vec<i64>,
    acc: i64,
    kept: Vec<Pair>,
    fsum: f64,
}

impl Vm {
    fn pop(&mut self) -> i64 {
        match self.stack.pop() {
            Some(v) => v,
            None => -1,
        }
    }
}

#[jit_merge_point(greens(pc, code), reds(vm, n))]
fn run(code: &[i64], mut n: i64) -> Vm {
    let mut pc: usize = 0;
    let mut vm = Vm {
        stack: Vec::new(),
        acc: 0,
        kept: Vec::new(),
        fsum: 0.0,
    };
    while pc < code.len() {
        let (op, arg) = decode(code, pc);
        if op == PUSH {
            vm.stack.push(arg * n + (n % 13));
        } else if op == MIX {
            let v = vm.pop();
            let s = span(v, (v % 251) as u8);
            // Guards that fail now and then while `s` (and the pair in
            // it) is live.
            if v % 7 == 0 {
                vm.acc = vm.acc.wrapping_add(s.pair.hi);
            } else if v % 5 == 1 {
                vm.acc = vm.acc.wrapping_sub(s.tag as i64);
            }
            vm.fsum += s.scale;
            vm.acc = vm
                .acc
                .wrapping_mul(31)
                .wrapping_add(s.pair.lo ^ s.tag as i64);
        } else if op == KEEP {
            let v = vm.pop();
            let p = split(v);
            if n % 97 == 0 {
                // Escapes: allocated only here.
                vm.kept.push(p);
            } else {
                vm.acc ^= p.lo + p.hi;
            }
        } else if op == LOOP {
            n -= 1;
            if n > 0 {
                pc = 0;
                continue;
            }
        }
        pc += 2;
    }
    vm
}

fn main() {
    let code: Vec<i64> = vec![
        PUSH, 5, PUSH, 1000, MIX, 0, PUSH, 77, KEEP, 0, MIX, 0, LOOP, 0,
    ];
    let runs: Vec<i64> = vec![3, 500, 20000];
    for r in 0..runs.len() {
        let turns = runs[r];
        let vm = run(&code, turns);
        let mut kept: i64 = 0;
        for i in 0..vm.kept.len() {
            kept = kept
                .wrapping_mul(3)
                .wrapping_add(vm.kept[i].lo - vm.kept[i].hi);
        }
        println!(
            "turns {} acc {} kept {} {} fsum {}",
            turns,
            vm.acc,
            vm.kept.len(),
            kept,
            vm.fsum
        );
    }
}
