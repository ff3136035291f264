//! An arithmetic evaluator as a Rust programmer writes one: a tokenizer
//! returning `Result`, an enum of tokens read through `get(..).cloned()`, a
//! parser building a tree of `Box<dyn Eval>`, a `Display` impl on a struct
//! with a lifetime, and iterator chains over the results.

#![allow(dead_code, clippy::all)]

use std::collections::HashMap;
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Num(f64),
    Op(char),
    LParen,
    RParen,
}

fn tokenize(src: &str) -> Result<Vec<Token>, String> {
    let mut out = Vec::new();
    let chars: Vec<char> = src.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == ' ' {
            i += 1;
        } else if c.is_ascii_digit() || c == '.' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let text: String = (start..i).map(|k| chars[k]).collect();
            let n = text
                .parse::<f64>()
                .map_err(|e| format!("bad number {}: {:?}", text, e))?;
            out.push(Token::Num(n));
        } else if "+-*/".contains(c) {
            out.push(Token::Op(c));
            i += 1;
        } else if c == '(' {
            out.push(Token::LParen);
            i += 1;
        } else if c == ')' {
            out.push(Token::RParen);
            i += 1;
        } else {
            return Err(format!("unexpected {:?} at {}", c, i));
        }
    }
    Ok(out)
}

trait Eval {
    fn eval(&self, vars: &HashMap<String, f64>) -> f64;
}

struct Lit(f64);
struct BinOp {
    op: char,
    l: Box<dyn Eval>,
    r: Box<dyn Eval>,
}

impl Eval for Lit {
    fn eval(&self, _: &HashMap<String, f64>) -> f64 {
        self.0
    }
}

impl Eval for BinOp {
    fn eval(&self, vars: &HashMap<String, f64>) -> f64 {
        let (a, b) = (self.l.eval(vars), self.r.eval(vars));
        match self.op {
            '+' => a + b,
            '-' => a - b,
            '*' => a * b,
            _ => a / b,
        }
    }
}

struct Parser {
    toks: Vec<Token>,
    pos: usize,
}

impl Parser {
    fn expr(&mut self) -> Box<dyn Eval> {
        let mut l = self.term();
        while let Some(Token::Op(c)) = self.toks.get(self.pos).cloned() {
            if c != '+' && c != '-' {
                break;
            }
            self.pos += 1;
            let r = self.term();
            l = Box::new(BinOp { op: c, l, r });
        }
        l
    }
    fn term(&mut self) -> Box<dyn Eval> {
        let mut l = self.atom();
        while let Some(Token::Op(c)) = self.toks.get(self.pos).cloned() {
            if c != '*' && c != '/' {
                break;
            }
            self.pos += 1;
            let r = self.atom();
            l = Box::new(BinOp { op: c, l, r });
        }
        l
    }
    fn atom(&mut self) -> Box<dyn Eval> {
        let t = self.toks[self.pos].clone();
        self.pos += 1;
        match t {
            Token::Num(n) => Box::new(Lit(n)),
            Token::LParen => {
                let e = self.expr();
                self.pos += 1;
                e
            }
            _ => Box::new(Lit(0.0)),
        }
    }
}

struct Report<'a> {
    name: &'a str,
    value: f64,
}

impl<'a> fmt::Display for Report<'a> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{:>8} = {:.3}", self.name, self.value)
    }
}

fn main() {
    let vars = HashMap::new();
    let sources = [
        "1 + 2 * 3",
        "(1 + 2) * 3",
        "10 / 4 - 0.5",
        "2 * (3 + 4) * 5",
        "7 $ 2",
    ];
    let mut results = Vec::new();
    for (i, s) in sources.iter().enumerate() {
        match tokenize(s) {
            Ok(toks) => {
                let n_ops = toks.iter().filter(|t| matches!(t, Token::Op(_))).count();
                let mut p = Parser { toks, pos: 0 };
                let e = p.expr();
                let v = e.eval(&vars);
                results.push(v);
                let name = format!("e{}", i);
                println!(
                    "{} ({} ops)",
                    Report {
                        name: &name,
                        value: v
                    },
                    n_ops
                );
            }
            Err(msg) => println!("error: {}", msg),
        }
    }
    let total: f64 = results.iter().sum();
    let best = results
        .iter()
        .cloned()
        .fold(f64::MIN, |a, b| if b > a { b } else { a });
    println!("total {:.2} best {}", total, best);
}
