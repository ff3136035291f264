// `#[derive(PartialEq)]` on enums with fields and on structs (expanded into
// a method), `==` on `Option`s of scalars, strings and such values.

#![allow(clippy::partialeq_to_none)]

#[derive(Debug, Clone, PartialEq)]
enum Value {
    Int(i64),
    Float(f64),
    Str(String),
    Pair(Box<Value>, Box<Value>),
    Nil,
}

#[derive(PartialEq)]
struct Point {
    x: i64,
    y: i64,
    tag: Option<char>,
}

#[derive(PartialEq, Clone)]
struct Meters(f64);

#[derive(PartialEq, Eq)]
enum Tok {
    Num(i64),
    Op(char),
    End,
}

fn find(v: &[Value], x: &Value) -> Option<usize> {
    let mut i = 0;
    while i < v.len() {
        if v[i] == *x {
            return Some(i);
        }
        i += 1;
    }
    None
}

fn main() {
    let vals = vec![
        Value::Int(3),
        Value::Float(2.5),
        Value::Str("hi".to_string()),
        Value::Pair(Box::new(Value::Int(1)), Box::new(Value::Nil)),
        Value::Nil,
    ];
    let probes = vec![
        Value::Int(3),
        Value::Int(4),
        Value::Float(2.5),
        Value::Str(String::from("hi")),
        Value::Str(String::from("ho")),
        Value::Pair(Box::new(Value::Int(1)), Box::new(Value::Nil)),
        Value::Pair(Box::new(Value::Int(1)), Box::new(Value::Int(0))),
        Value::Nil,
    ];
    for p in &probes {
        match find(&vals, p) {
            Some(i) => println!("Some({})", i),
            None => println!("None"),
        }
    }
    println!("{}", Value::Nil != Value::Int(0));
    let a = Point {
        x: 1,
        y: 2,
        tag: Some('a'),
    };
    let b = Point {
        x: 1,
        y: 2,
        tag: None,
    };
    let c = Point {
        x: 1,
        y: 2,
        tag: Some('a'),
    };
    println!("{} {} {}", a == b, a == c, a != c);
    println!("{}", Meters(1.5) == Meters(1.5));
    let toks = vec![Tok::Num(1), Tok::Op('+'), Tok::Num(2), Tok::End];
    let mut n = 0;
    for t in &toks {
        if *t == Tok::Op('+') || *t == Tok::End {
            n += 1;
        }
    }
    println!("{}", n);
    let last: Option<i64> = vec![1, 2, 3].pop();
    println!("{} {} {}", last == Some(3), last == None, last != Some(2));
    let none: Option<i64> = None;
    println!("{} {}", none == None, none == Some(0));
    let s: Option<String> = Some("x".to_string());
    println!("{}", s == Some(String::from("x")));
    let t = toks.last();
    println!("{}", t == Some(&Tok::End));
}
