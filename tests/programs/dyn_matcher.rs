//! A regular-expression matcher written the way a Rust programmer writes one:
//! a tree of `Box<dyn Matcher>` nodes parsed from the pattern, each node
//! returning the end positions it can reach (`Vec::contains` to keep them
//! distinct), and a `Display` impl on the compiled regex.

#![allow(dead_code, clippy::all)]

use std::fmt;

trait Matcher {
    /// Tries to match at `pos`; returns the end positions reachable.
    fn matches(&self, input: &[u8], pos: usize) -> Vec<usize>;
    fn describe(&self) -> String;
}

struct Lit(u8);
struct Any;
struct Seq(Vec<Box<dyn Matcher>>);
struct Alt(Box<dyn Matcher>, Box<dyn Matcher>);
struct Star(Box<dyn Matcher>);

impl Matcher for Lit {
    fn matches(&self, input: &[u8], pos: usize) -> Vec<usize> {
        if pos < input.len() && input[pos] == self.0 {
            vec![pos + 1]
        } else {
            vec![]
        }
    }
    fn describe(&self) -> String {
        (self.0 as char).to_string()
    }
}

impl Matcher for Any {
    fn matches(&self, input: &[u8], pos: usize) -> Vec<usize> {
        if pos < input.len() {
            vec![pos + 1]
        } else {
            Vec::new()
        }
    }
    fn describe(&self) -> String {
        ".".to_string()
    }
}

impl Matcher for Seq {
    fn matches(&self, input: &[u8], pos: usize) -> Vec<usize> {
        let mut cur = vec![pos];
        for m in &self.0 {
            let mut next = Vec::new();
            for &p in &cur {
                for e in m.matches(input, p) {
                    if !next.contains(&e) {
                        next.push(e);
                    }
                }
            }
            cur = next;
        }
        cur
    }
    fn describe(&self) -> String {
        let mut s = String::new();
        for m in &self.0 {
            s.push_str(&m.describe());
        }
        s
    }
}

impl Matcher for Alt {
    fn matches(&self, input: &[u8], pos: usize) -> Vec<usize> {
        let mut v = self.0.matches(input, pos);
        for e in self.1.matches(input, pos) {
            if !v.contains(&e) {
                v.push(e);
            }
        }
        v
    }
    fn describe(&self) -> String {
        format!("({}|{})", self.0.describe(), self.1.describe())
    }
}

impl Matcher for Star {
    fn matches(&self, input: &[u8], pos: usize) -> Vec<usize> {
        let mut seen = vec![pos];
        let mut frontier = vec![pos];
        while let Some(p) = frontier.pop() {
            for e in self.0.matches(input, p) {
                if !seen.contains(&e) {
                    seen.push(e);
                    frontier.push(e);
                }
            }
        }
        seen
    }
    fn describe(&self) -> String {
        format!("{}*", self.0.describe())
    }
}

#[derive(PartialEq)]
struct Span {
    lo: usize,
    hi: usize,
}

struct Regex {
    root: Box<dyn Matcher>,
}

impl Regex {
    fn full_match(&self, s: &str) -> bool {
        let bytes = s.as_bytes();
        self.root.matches(bytes, 0).contains(&bytes.len())
    }
}

impl fmt::Display for Regex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "/{}/", self.root.describe())
    }
}

fn parse(p: &[u8], i: &mut usize) -> Box<dyn Matcher> {
    let mut items: Vec<Box<dyn Matcher>> = Vec::new();
    while *i < p.len() && p[*i] != b')' && p[*i] != b'|' {
        let c = p[*i];
        *i += 1;
        let mut m: Box<dyn Matcher> = if c == b'(' {
            let inner = parse(p, i);
            if *i < p.len() && p[*i] == b'|' {
                *i += 1;
                let right = parse(p, i);
                *i += 1;
                Box::new(Alt(inner, right))
            } else {
                *i += 1;
                inner
            }
        } else if c == b'.' {
            Box::new(Any)
        } else {
            Box::new(Lit(c))
        };
        if *i < p.len() && p[*i] == b'*' {
            *i += 1;
            m = Box::new(Star(m));
        }
        items.push(m);
    }
    Box::new(Seq(items))
}

fn main() {
    let patterns = ["ab*c", "(a|b)*c", "x.y", "(ab|cd)*"];
    let inputs = ["ac", "abbbc", "babac", "xzy", "abcdab", "abcd", ""];
    for pat in patterns.iter() {
        let mut i = 0;
        let re = Regex {
            root: parse(pat.as_bytes(), &mut i),
        };
        let mut line = format!("{:<10}", re.to_string());
        for s in inputs.iter() {
            line.push_str(if re.full_match(s) { " Y" } else { " n" });
        }
        println!("{}", line);
    }
    let words = vec![String::from("ab"), String::from("cd")];
    let keys = vec!['a', 'z'];
    let spans = vec![Span { lo: 0, hi: 2 }, Span { lo: 3, hi: 5 }];
    println!(
        "{} {} {} {} {} {}",
        words.contains(&String::from("cd")),
        words.contains(&"ef".to_string()),
        keys.contains(&'z'),
        keys.contains(&'q'),
        spans.contains(&Span { lo: 3, hi: 5 }),
        spans.contains(&Span { lo: 3, hi: 4 })
    );
}
