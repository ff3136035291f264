// `#[derive(Debug)]` on enums (fieldless, tuple and struct variants) and
// structs (named, tuple, unit, empty): `{:?}` and `{:#?}` byte for byte,
// through `Box`, `Option`, `Vec`, strings with escapes, floats and chars.

#![allow(dead_code)]

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Add,
    Sub,
    Halt,
}

#[derive(Debug)]
enum Tok {
    Num(i64),
    Float(f64),
    Ident(String),
    Ch(char),
    Op(Op),
    Pair {
        left: Box<Tok>,
        right: Option<Box<Tok>>,
    },
    List(Vec<i64>),
    Flag(bool),
    Nothing,
}

#[derive(Debug)]
struct Point {
    x: i64,
    y: f64,
}

#[derive(Debug)]
struct Wrap(Point, Vec<Op>);

#[derive(Debug)]
struct Unit;

#[derive(Debug)]
struct Empty {}

fn main() {
    println!("{:?} {:?}", Op::Add, Op::Halt);
    let toks = vec![
        Tok::Num(-3),
        Tok::Float(1.0),
        Tok::Float(0.1),
        Tok::Ident("a\"b\n".to_string()),
        Tok::Ch('\''),
        Tok::Op(Op::Sub),
        Tok::Pair {
            left: Box::new(Tok::Num(1)),
            right: None,
        },
        Tok::Pair {
            left: Box::new(Tok::Nothing),
            right: Some(Box::new(Tok::List(vec![1, 2]))),
        },
        Tok::List(vec![]),
        Tok::Flag(true),
        Tok::Nothing,
    ];
    for t in &toks {
        println!("{:?}", t);
    }
    for t in &toks {
        println!("{:#?}", t);
    }
    let p = Point { x: 1, y: -2.5 };
    println!("{:?}", p);
    println!("{:#?}", p);
    let w = Wrap(Point { x: 0, y: 0.0 }, vec![Op::Add, Op::Halt]);
    println!("{:?}", w);
    println!("{:#?}", w);
    println!("{:?} {:#?} {:?} {:#?}", Unit, Unit, Empty {}, Empty {});
    let s = format!("[{:?}]", Op::Sub);
    println!("{}", s);
}
