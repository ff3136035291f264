//! Programs using much of the supported surface rtype into graphs the
//! verifier accepts (SSA scoping, link and operand types).

mod common;

fn ok(src: &str) {
    if let Err(e) = common::rtype_src("test.rs", src) {
        panic!("{e}");
    }
}

#[test]
fn options_of_heap_and_plain_values() {
    ok(r#"
fn main() {
    let mut names: Vec<String> = Vec::new();
    names.push(String::from("a"));
    names.push("b".to_string());
    while let Some(n) = names.pop() {
        println!("{}", n);
    }
    let v = vec![1i64, 2, 3];
    let first = v.get(0);
    match first {
        Some(x) => println!("{}", x),
        None => println!("none"),
    }
    let missing: Option<i64> = None;
    println!("{} {}", missing.unwrap_or(7), missing.is_none());
}
"#);
}

#[test]
fn dicts_with_string_keys_and_values() {
    ok(r#"
use std::collections::HashMap;
fn main() {
    let mut m: HashMap<String, String> = HashMap::new();
    m.insert("k".to_string(), "v".to_string());
    if m.contains_key("k") {
        println!("{}", m["k"]);
    }
    match m.get("x") {
        Some(v) => println!("{}", v),
        None => println!("no x"),
    }
    let mut c: HashMap<char, bool> = HashMap::new();
    c.insert('a', true);
    if let Some(b) = c.get(&'a') {
        println!("{}", b);
    }
    m.remove("k");
    println!("{}", m.len());
}
"#);
}

#[test]
fn structs_tuples_recursion_and_floats() {
    ok(r#"
struct Node {
    value: i32,
    next: Option<Box<Node>>,
}

fn sum(n: &Node) -> i32 {
    match &n.next {
        Some(rest) => n.value + sum(rest),
        None => n.value,
    }
}

fn split(x: f64) -> (i64, f64) {
    let whole = x as i64;
    (whole, x - whole as f64)
}

fn main() {
    let list = Node { value: 1, next: Some(Box::new(Node { value: 2, next: None })) };
    println!("{}", sum(&list));
    let (w, f) = split(3.25);
    println!("{} {:.2}", w, f);
    let c = 'x';
    let code = c as u32;
    let back = (code as u8) as char;
    println!("{} {}", code, back);
    println!("{}", (-7i32).abs().max(3).min(100));
}
"#);
}

#[test]
fn strings_compare_concatenate_and_read() {
    ok(r#"
use std::io::Read;
fn main() {
    let a = String::from("abc");
    let b = "abd";
    if a.as_str() < b && a != b {
        println!("less");
    }
    let c = a.clone() + "!";
    let mut d = String::new();
    d.push('x');
    d.push_str(&c);
    println!("{} {} {}", d, d.len(), d.is_empty());
    let bytes = d.as_bytes();
    println!("{}", bytes[0]);
    let mut buf = vec![0u8; 16];
    let n = std::io::stdin().read(&mut buf).expect("read");
    println!("{}", n);
    let text = std::fs::read_to_string("nope").is_ok();
    println!("{}", text);
}
"#);
}

#[test]
fn integer_ops_of_every_width() {
    ok(r#"
fn main() {
    let a: i8 = -128;
    let b: u16 = 65535;
    let c: i64 = i64::MIN;
    let d: u64 = 18446744073709551615;
    let e: usize = 3;
    println!("{} {} {} {}", a.wrapping_sub(1), b.wrapping_add(1), c / -1i64.max(2), d >> 60);
    println!("{} {} {}", e << 2, (e as i32) % 2, !e);
    println!("{:x} {:X} {:b} {:o} {:#x} {:+}", 255, 255, 5, 8, 255, 3);
    let flag = e > 2 || b == 0;
    println!("{} {}", flag, flag ^ true);
}
"#);
}

#[test]
fn panics_and_exit() {
    ok(r#"
fn check(x: i32) -> i32 {
    if x < 0 {
        panic!("negative: {}", x);
    }
    assert!(x != 5, "five");
    x
}
fn main() {
    println!("{}", check(3));
    let v: Vec<u8> = Vec::new();
    if v.is_empty() {
        std::process::exit(0);
    }
    unreachable!();
}
"#);
}

#[test]
fn char_and_byte_classes_to_string_last_and_swap() {
    ok(r#"
fn main() {
    let s = String::from("a1 B");
    let b = s.as_bytes();
    let mut count = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() || b[i].is_ascii_whitespace() {
            count += 1;
        }
        i += 1;
    }
    let c = 'Z';
    println!("{} {} {}", count, c.is_ascii_uppercase(), c.is_ascii_alphanumeric());
    let mut v = vec![1u16, 2, 3];
    v.swap(0, 2);
    let last = v.last();
    println!("{:?} {}", last.is_some(), 42i64.to_string() + &c.to_string());
}
"#);
}
