// A lexer and a recursive-descent evaluator over a `Copy` token enum with
// data (`Option<&Tok>::copied`, `matches!` with a guard).

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok {
    Plus,
    Minus,
    Num(i64),
    LParen,
    RParen,
}

fn lex(s: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut cur: Option<i64> = None;
    for c in s.chars() {
        if c.is_ascii_digit() {
            let d = c as u8 - b'0';
            cur = Some(cur.unwrap_or(0) * 10 + d as i64);
            continue;
        }
        if let Some(n) = cur {
            out.push(Tok::Num(n));
            cur = None;
        }
        match c {
            '+' => out.push(Tok::Plus),
            '-' => out.push(Tok::Minus),
            '(' => out.push(Tok::LParen),
            ')' => out.push(Tok::RParen),
            ' ' => {}
            other => panic!("bad char {}", other),
        }
    }
    if let Some(n) = cur {
        out.push(Tok::Num(n));
    }
    out
}

struct P {
    toks: Vec<Tok>,
    pos: usize,
}
impl P {
    fn eval(&mut self) -> i64 {
        let mut acc = self.atom();
        while self.pos < self.toks.len() {
            let t = self.toks[self.pos];
            match t {
                Tok::Plus | Tok::Minus => {
                    self.pos += 1;
                    let rhs = self.atom();
                    acc = if matches!(t, Tok::Plus) {
                        acc + rhs
                    } else {
                        acc - rhs
                    };
                }
                Tok::RParen => break,
                _ => panic!("unexpected"),
            }
        }
        acc
    }

    fn atom(&mut self) -> i64 {
        let t = self.toks[self.pos];
        self.pos += 1;
        match t {
            Tok::Num(n) => n,
            Tok::Minus => -self.atom(),
            Tok::LParen => {
                let v = self.eval();
                self.pos += 1;
                v
            }
            _ => panic!("unexpected token"),
        }
    }
}
fn main() {
    for src in ["1 + 2", "10 - (3 - 4)", "-(5+5) + 100"] {
        let toks = lex(src);
        let last = toks.last().copied();
        let mut p = P { toks, pos: 0 };
        println!(
            "{} = {} (ends with num: {})",
            src,
            p.eval(),
            matches!(last, Some(Tok::Num(x)) if x > 0)
        );
    }
}
