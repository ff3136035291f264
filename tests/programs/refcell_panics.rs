//! One conflicting `RefCell` borrow per case number read from stdin: each
//! panics under rustc ("RefCell already borrowed" / "already mutably
//! borrowed" at the second borrow), so the translated program must panic
//! the same way, which needs every guard released exactly where Rust drops
//! it (tests/tests/refcell.rs runs every case).

#![allow(dead_code, unused_variables, clippy::all)]

use std::cell::RefCell;
use std::rc::Rc;

fn len_of(c: &RefCell<Vec<i64>>) -> usize {
    c.borrow().len()
}

fn main() {
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).unwrap();
    let case: usize = line.trim().parse().unwrap();
    let c = RefCell::new(vec![1i64, 2, 3]);
    println!("case {case}");
    match case {
        0 => {
            let g = c.borrow_mut();
            let h = c.borrow();
        }
        1 => {
            let g = c.borrow();
            c.borrow_mut().push(4);
        }
        2 => c.borrow_mut().push(c.borrow().len() as i64),
        3 => match c.borrow().len() {
            0 => {}
            _ => c.borrow_mut().push(1),
        },
        4 => {
            if let Some(x) = c.borrow().first() {
                println!("first {x}");
                c.borrow_mut().push(*x);
            }
        }
        5 => {
            while let Some(x) = c.borrow_mut().pop() {
                println!("popped {x}");
                if x < 3 {
                    println!("{}", c.borrow().len());
                }
            }
        }
        6 => {
            let n = { c.borrow_mut().len() } + c.borrow().len();
            println!("{n}");
        }
        7 => {
            let g = c.borrow_mut();
            for i in 0..3 {
                println!("round {i}");
                if i == 2 {
                    println!("{}", c.borrow().len());
                }
            }
        }
        8 => {
            let g = c.borrow_mut();
            println!("{}", len_of(&c));
        }
        9 => {
            let a = Rc::new(RefCell::new(1));
            let b = a.clone();
            let g = a.borrow_mut();
            *b.borrow_mut() = 2;
        }
        10 => {
            let g = c.borrow();
            c.replace(vec![]);
        }
        11 => *c.borrow_mut() = vec![c.borrow().len() as i64],
        12 => {
            let g = c.borrow_mut();
            drop(g);
            let h = c.borrow_mut();
            let k = c.borrow();
        }
        13 => {
            for i in 0..3 {
                let g = c.borrow_mut();
                if i == 1 {
                    continue;
                }
                println!("{}", g.len());
            }
            let g = c.borrow();
            let h = c.borrow();
            let m = c.borrow_mut();
        }
        14 => {
            // `let` extends the guard a borrowed place projects out of.
            let first = &c.borrow()[0];
            let n = c.borrow().len();
            println!("{first} {n}");
            c.borrow_mut().push(*first);
        }
        _ => {
            let v = c.borrow().len() > 2 && c.borrow_mut().is_empty();
            println!("{v}");
        }
    }
    println!("not reached");
}
