//! `extend`, `extend_from_slice`, `retain` and `dedup` on `Vec`s and `String`s.
#![allow(dead_code, clippy::all)]

struct Asm {
    code: Vec<u8>,
    names: Vec<String>,
}

fn main() {
    let mut v = vec![1, 2];
    let w = vec![3, 4, 5];
    v.extend_from_slice(&w);
    v.extend(w.iter().map(|x| x * 10));
    v.extend(&w[1..]);
    v.extend(vec![7, 8]);
    v.extend(0..3);
    println!("{:?} {:?}", v, w);
    let mut a = Asm {
        code: Vec::new(),
        names: vec!["a".to_string()],
    };
    a.code.extend_from_slice(&[1u8, 2, 3]);
    a.code.extend_from_slice(b"hi");
    let more = vec!["b".to_string(), "c".to_string()];
    a.names.extend_from_slice(&more);
    a.names
        .extend(more.iter().filter(|s| s.as_str() != "b").cloned());
    a.names[1].push('!');
    println!("{:?} {:?} {:?}", a.code, a.names, more);
    let mut s = String::from("ab");
    s.extend("cd".chars());
    s.extend(['x', 'y'].iter());
    println!("{}", s);
    retain_and_dedup();
}

fn keep_even(v: &mut Vec<i64>) {
    v.retain(|x| x % 2 == 0);
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(i64),
    Op(char),
}

fn retain_and_dedup() {
    let mut v: Vec<i64> = (1..=12).collect();
    keep_even(&mut v);
    let limit = 8;
    v.retain(|&x| x <= limit);
    println!("{:?}", v);
    let mut d = vec![1, 1, 2, 3, 3, 3, 1, 4, 4];
    d.dedup();
    let mut toks = vec![
        Tok::Num(1),
        Tok::Num(1),
        Tok::Op('+'),
        Tok::Op('+'),
        Tok::Num(2),
    ];
    toks.dedup();
    toks.retain(|t| matches!(t, Tok::Num(_)));
    let mut words: Vec<String> = vec!["a".into(), "b".into(), "b".into(), "".into()];
    words.dedup();
    words.retain(|w| !w.is_empty());
    println!("{:?} {:?} {:?}", d, toks, words);
}
