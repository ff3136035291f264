// `{:?}` and `{:#?}` of Vecs, Options, tuples and their nestings, with user
// types inside, and a width passed down to the leaves as Rust does.

#![allow(dead_code)]

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Push(i64),
    Pop,
}

#[derive(Debug)]
struct Frame {
    pc: usize,
    stack: Vec<i64>,
}

fn main() {
    let v = vec![1, 2, 3];
    println!("{:?}", v);
    println!("{:#?}", v);
    let e: Vec<i64> = Vec::new();
    println!("{:?} {:#?}", e, e);
    let words = vec!["a".to_string(), "b\"c".to_string()];
    println!("{:?}", words);
    let o: Option<i64> = Some(5);
    let n: Option<i64> = None;
    println!("{:?} {:?} {:#?}", o, n, o);
    let ops = vec![Op::Push(1), Op::Pop];
    println!("{:?}", ops);
    println!("{:#?}", ops);
    let t = (1, 'x', 2.5, "s");
    println!("{:?}", t);
    println!("{:#?}", t);
    let one = (7,);
    println!("{:?}", one);
    let nested = vec![vec![1, 2], vec![], vec![3]];
    println!("{:?}", nested);
    println!("{:#?}", nested);
    let fs = vec![Frame {
        pc: 1,
        stack: vec![1, 2],
    }];
    println!("{:?}", fs);
    println!("{:#?}", fs);
    let last = ops.last();
    println!("{:?} {:?}", last, ops.get(5));
    println!("{:5?}|{:<4?}|", v, o);
    let mut st: Vec<i64> = vec![4];
    println!("{:?}", st.pop());
    println!("{:?}", st.pop());
    let chars = vec!['a', '\n'];
    println!("{:?}", chars);
    let pairs = vec![(1, true), (2, false)];
    println!("{:?}", pairs);
}
