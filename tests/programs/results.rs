// `Result<T, E>` in signatures and `?`: a lexer and recursive-descent
// evaluator returning `Result<_, EvalError>`, `?` on `Option` and on `Result`,
// `ok_or`, `ok`, `err`, `unwrap_or`, `{:?}` of results and std parse errors, and
// `unwrap` of an `Err` panicking with the error's `Debug`.

#![allow(dead_code, clippy::all)]

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(i64),
    Op(char),
    LParen,
    RParen,
}

#[derive(Debug)]
enum EvalError {
    BadChar(char, usize),
    Unexpected(String),
    DivZero,
}

fn lex(src: &str) -> Result<Vec<Tok>, EvalError> {
    let mut out = Vec::new();
    let bytes = src.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i] as char;
        if c == ' ' {
            i += 1;
        } else if c.is_ascii_digit() {
            let mut n: i64 = 0;
            while i < bytes.len() && (bytes[i] as char).is_ascii_digit() {
                n = n * 10 + (bytes[i] - b'0') as i64;
                i += 1;
            }
            out.push(Tok::Num(n));
        } else if c == '+' || c == '-' || c == '*' || c == '/' {
            out.push(Tok::Op(c));
            i += 1;
        } else if c == '(' {
            out.push(Tok::LParen);
            i += 1;
        } else if c == ')' {
            out.push(Tok::RParen);
            i += 1;
        } else {
            return Err(EvalError::BadChar(c, i));
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<Tok> {
        if self.pos < self.toks.len() {
            Some(self.toks[self.pos].clone())
        } else {
            None
        }
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.peek()?;
        self.pos += 1;
        Some(t)
    }

    fn atom(&mut self) -> Result<i64, EvalError> {
        match self.next() {
            Some(Tok::Num(n)) => Ok(n),
            Some(Tok::LParen) => {
                let v = self.expr()?;
                match self.next() {
                    Some(Tok::RParen) => Ok(v),
                    other => Err(EvalError::Unexpected(format!("{:?}", other))),
                }
            }
            Some(t) => Err(EvalError::Unexpected(format!("{:?}", t))),
            None => Err(EvalError::Unexpected(String::from("end of input"))),
        }
    }

    fn term(&mut self) -> Result<i64, EvalError> {
        let mut v = self.atom()?;
        while let Some(Tok::Op(c)) = self.peek() {
            if c != '*' && c != '/' {
                break;
            }
            self.pos += 1;
            let r = self.atom()?;
            if c == '*' {
                v *= r;
            } else {
                if r == 0 {
                    return Err(EvalError::DivZero);
                }
                v /= r;
            }
        }
        Ok(v)
    }

    fn expr(&mut self) -> Result<i64, EvalError> {
        let mut v = self.term()?;
        while let Some(Tok::Op(c)) = self.peek() {
            if c != '+' && c != '-' {
                break;
            }
            self.pos += 1;
            let r = self.term()?;
            v = if c == '+' { v + r } else { v - r };
        }
        Ok(v)
    }
}

fn eval(src: &str) -> Result<i64, EvalError> {
    let toks = lex(src)?;
    let mut p = Parser { toks, pos: 0 };
    let v = p.expr()?;
    if p.pos != p.toks.len() {
        return Err(EvalError::Unexpected(format!("{:?}", p.toks[p.pos])));
    }
    Ok(v)
}

fn first_even(v: &Vec<i64>) -> Option<i64> {
    let x = v.first()?;
    if *x % 2 == 0 {
        Some(*x)
    } else {
        None
    }
}

fn sum_all(srcs: &[&str]) -> Result<i64, EvalError> {
    let mut total = 0;
    for s in srcs {
        total += eval(s)?;
    }
    Ok(total)
}

#[derive(Debug, Clone, PartialEq)]
struct Frame {
    name: String,
    depth: u32,
}

fn pop2(stack: &mut Vec<i64>) -> Result<(i64, i64), String> {
    let b = stack.pop().ok_or(String::from("stack underflow"))?;
    let a = stack.pop().ok_or("stack underflow".to_string())?;
    Ok((a, b))
}

fn run(prog: &str) -> Result<i64, String> {
    let mut stack: Vec<i64> = Vec::new();
    for w in prog.split_whitespace() {
        if w == "+" {
            let (a, b) = pop2(&mut stack)?;
            stack.push(a + b);
        } else if w == "*" {
            let (a, b) = pop2(&mut stack)?;
            stack.push(a * b);
        } else {
            match w.parse::<i64>() {
                Ok(n) => stack.push(n),
                Err(e) => return Err(format!("bad word {}: {:?}", w, e)),
            }
        }
    }
    stack.pop().ok_or(String::from("empty program"))
}

fn frame(depth: u32) -> Result<Frame, Frame> {
    let f = Frame {
        name: format!("f{}", depth),
        depth,
    };
    if depth % 2 == 0 {
        Ok(f)
    } else {
        Err(f)
    }
}

fn deepest(limit: u32) -> Option<u32> {
    let mut d = 0;
    while d < limit {
        let f = frame(d).ok()?;
        d = f.depth + 2;
    }
    Some(d)
}

fn main() {
    for src in [
        "1 + 2 * 3",
        "(1 + 2) * 3",
        "8 / (3 - 3)",
        "2 $ 3",
        "(1 + 2",
        "1 2",
        "",
    ] {
        match eval(src) {
            Ok(v) => println!("{} = {}", src, v),
            Err(e) => println!("{} -> error {:?}", src, e),
        }
    }
    println!("{:?}", eval("7 * 6"));
    println!("{:#?}", eval("(("));
    println!("{:?} {:?}", first_even(&vec![4, 1]), first_even(&vec![]));
    println!("{:?}", sum_all(&["1", "2 * 5", "3"]));
    println!("{:?}", sum_all(&["1", "x"]));
    let mut total = 0;
    for i in 0..300 {
        let srcs = if i % 7 == 0 {
            ["1", "2 +"]
        } else {
            ["4", "5 * (2 - 1)"]
        };
        match sum_all(&srcs) {
            Ok(v) => total += v,
            Err(_) => total -= 1,
        }
    }
    println!("total {}", total);
    for p in ["1 2 +", "3 4 5 * +", "1 +", "", "2 x *"] {
        println!("{:?}", run(p));
    }
    println!("{:?} {:?}", frame(2), frame(3));
    println!("{:#?}", frame(4).err());
    println!("{:?}", frame(5).err());
    println!("{:?} {:?}", deepest(10), deepest(0));
    let r: Result<i64, String> = Err(String::from("boom"));
    println!(
        "{} {} {}",
        r.is_err(),
        r.unwrap_or(-1),
        eval("2 * 21").unwrap_or(0)
    );
    println!("{:?} {:?}", "12".parse::<i32>(), "1x".parse::<u8>());
    println!(
        "{:?} {:?}",
        "".parse::<i64>().err(),
        "300".parse::<u8>().ok()
    );
    println!("{:?}", "1.5e".parse::<f64>());
    let unit: Result<(), i64> = Ok(());
    println!("{:?}", unit);
    let n = eval("6 * 7").expect("a number");
    println!("{}", n);
    eval("1 + (").unwrap();
}
