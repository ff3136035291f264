//! `Rc<RefCell<..>>` and `Cell` state inside a traced dispatch loop: the
//! borrow flag checks run in the trace, and the last instruction borrows
//! a cell that is already mutably borrowed, so the trace itself must
//! panic with std's message at that borrow.

#![allow(dead_code, clippy::all)]

use rrlib::jit::jit_merge_point;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

struct Machine {
    stack: Rc<RefCell<Vec<i64>>>,
    steps: Rc<Cell<i64>>,
}

fn top(m: &Machine) -> i64 {
    let s = m.stack.borrow();
    s[s.len() - 1]
}

#[jit_merge_point(greens(pc, code), reds(m, rounds))]
fn run(code: &[u8], m: &Machine, mut rounds: i64) -> i64 {
    let mut pc: usize = 0;
    while pc < code.len() {
        m.steps.set(m.steps.get() + 1);
        match code[pc] {
            b'd' => {
                let t = top(m);
                m.stack.borrow_mut().push(t);
            }
            b'a' => {
                let mut s = m.stack.borrow_mut();
                let x = s.pop().unwrap_or(0);
                let y = s.pop().unwrap_or(0);
                s.push((x + y) % 1000003);
            }
            b'j' => {
                rounds -= 1;
                if rounds > 0 {
                    pc = 0;
                    continue;
                }
            }
            b'x' => {
                let g = m.stack.borrow_mut();
                println!("{}", m.stack.borrow().len() + g.len());
            }
            _ => {}
        }
        pc += 1;
    }
    top(m)
}

fn main() {
    let m = Machine {
        stack: Rc::new(RefCell::new(vec![1, 1])),
        steps: Rc::new(Cell::new(0)),
    };
    println!("{}", run(b"da.daj", &m, 4000));
    println!("{} {}", m.steps.get(), m.stack.borrow().len());
    println!("{}", run(b"dajx", &m, 300));
}
