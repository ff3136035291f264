//! A calculator for integer arithmetic with `let` bindings: a tokenizer, a
//! recursive-descent parser to an AST of enums and boxes, and an evaluator
//! over a table of variables. It reads its program from a file or stdin and
//! goes on after an error, reporting each with its line, column and a caret.
//!
//!     targetcalc FILE       evaluate the program in FILE
//!     targetcalc            evaluate the program on stdin
//!     targetcalc bench N    evaluate a generated program of N statements
//!
//! The language, one statement per line or separated by `;`:
//! `let x = e`, `x = e`, `print e, e, ..`, or an expression, whose value is
//! printed. Expressions: integers (`1_000` allowed), variables, `+ - * / %`,
//! `^` (power, right-associative), unary `-`, parentheses and the functions
//! `abs`, `min`, `max`, `gcd` and `sqrt` (integer square root). Arithmetic
//! is checked: overflow and division by zero are errors, not panics.

use std::collections::HashMap;
use std::env;
use std::fmt;
use std::fs;
use std::io::{self, Read};
use std::process;

#[derive(Debug, Clone, Copy, PartialEq)]
struct Pos {
    line: usize,
    col: usize,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Num(i64),
    Ident(String),
    Let,
    Print,
    Op(char),
    LParen,
    RParen,
    Comma,
    Assign,
    Semi,
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Token::Num(n) => write!(f, "number {}", n),
            Token::Ident(name) => write!(f, "`{}`", name),
            Token::Let => write!(f, "`let`"),
            Token::Print => write!(f, "`print`"),
            Token::Op(c) => write!(f, "`{}`", c),
            Token::LParen => write!(f, "`(`"),
            Token::RParen => write!(f, "`)`"),
            Token::Comma => write!(f, "`,`"),
            Token::Assign => write!(f, "`=`"),
            Token::Semi => write!(f, "`;`"),
        }
    }
}

#[derive(Debug)]
struct Error {
    pos: Pos,
    message: String,
}

impl Error {
    fn new(pos: Pos, message: impl Into<String>) -> Error {
        Error {
            pos,
            message: message.into(),
        }
    }
}

fn tokenize(line: &str, line_no: usize) -> Result<Vec<(Token, Pos)>, Error> {
    let chars: Vec<char> = line.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let pos = Pos {
            line: line_no,
            col: i + 1,
        };
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c == '#' {
            break;
        }
        if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '_') {
                i += 1;
            }
            let text: String = chars[start..i].iter().filter(|&&d| d != '_').collect();
            let n = text
                .parse::<i64>()
                .map_err(|e| Error::new(pos, format!("bad number `{}`: {}", text, e)))?;
            tokens.push((Token::Num(n), pos));
            continue;
        }
        if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let token = match word.as_str() {
                "let" => Token::Let,
                "print" => Token::Print,
                _ => Token::Ident(word),
            };
            tokens.push((token, pos));
            continue;
        }
        let token = match c {
            '+' | '-' | '*' | '/' | '%' | '^' => Token::Op(c),
            '(' => Token::LParen,
            ')' => Token::RParen,
            ',' => Token::Comma,
            '=' => Token::Assign,
            ';' => Token::Semi,
            _ => return Err(Error::new(pos, format!("unexpected character {:?}", c))),
        };
        tokens.push((token, pos));
        i += 1;
    }
    Ok(tokens)
}

#[derive(Debug, Clone)]
enum Expr {
    Num(i64),
    Var(String, Pos),
    Neg(Box<Expr>, Pos),
    Binary(char, Box<Expr>, Box<Expr>, Pos),
    Call(String, Vec<Expr>, Pos),
}

#[derive(Debug)]
enum Stmt {
    Let(String, Expr),
    Assign(String, Expr, Pos),
    Print(Vec<Expr>),
    Expr(Expr),
}

struct Parser {
    tokens: Vec<(Token, Pos)>,
    pos: usize,
    end: Pos,
}

impl Parser {
    fn new(tokens: Vec<(Token, Pos)>, end: Pos) -> Self {
        Parser {
            tokens,
            pos: 0,
            end,
        }
    }

    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos).map(|(t, _)| t)
    }

    fn here(&self) -> Pos {
        match self.tokens.get(self.pos) {
            Some((_, p)) => *p,
            None => self.end,
        }
    }

    fn advance(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.pos).map(|(t, _)| t.clone());
        if t.is_some() {
            self.pos += 1;
        }
        t
    }

    fn expect(&mut self, want: Token) -> Result<(), Error> {
        let pos = self.here();
        match self.advance() {
            Some(t) if t == want => Ok(()),
            Some(t) => Err(Error::new(pos, format!("expected {}, found {}", want, t))),
            None => Err(Error::new(
                pos,
                format!("expected {}, found end of line", want),
            )),
        }
    }

    fn at_end(&self) -> bool {
        matches!(self.peek(), None | Some(Token::Semi))
    }

    fn statement(&mut self) -> Result<Stmt, Error> {
        match self.peek() {
            Some(Token::Let) => {
                self.advance();
                let pos = self.here();
                let name = match self.advance() {
                    Some(Token::Ident(name)) => name,
                    Some(t) => {
                        return Err(Error::new(pos, format!("expected a name, found {}", t)))
                    }
                    None => return Err(Error::new(pos, "expected a name after `let`")),
                };
                self.expect(Token::Assign)?;
                let value = self.expr()?;
                Ok(Stmt::Let(name, value))
            }
            Some(Token::Print) => {
                self.advance();
                let mut values = vec![self.expr()?];
                while self.peek() == Some(&Token::Comma) {
                    self.advance();
                    values.push(self.expr()?);
                }
                Ok(Stmt::Print(values))
            }
            Some(Token::Ident(name)) => {
                if let Some((Token::Assign, _)) = self.tokens.get(self.pos + 1) {
                    let name = name.clone();
                    let pos = self.here();
                    self.pos += 2;
                    let value = self.expr()?;
                    Ok(Stmt::Assign(name, value, pos))
                } else {
                    Ok(Stmt::Expr(self.expr()?))
                }
            }
            _ => Ok(Stmt::Expr(self.expr()?)),
        }
    }

    // expr := term (('+' | '-') term)*
    fn expr(&mut self) -> Result<Expr, Error> {
        let mut left = self.term()?;
        while let Some(Token::Op(op)) = self.peek() {
            let op = *op;
            if op != '+' && op != '-' {
                break;
            }
            let pos = self.here();
            self.advance();
            let right = self.term()?;
            left = Expr::Binary(op, Box::new(left), Box::new(right), pos);
        }
        Ok(left)
    }

    // term := unary (('*' | '/' | '%') unary)*
    fn term(&mut self) -> Result<Expr, Error> {
        let mut left = self.unary()?;
        loop {
            let op = match self.peek() {
                Some(Token::Op(c)) if "*/%".contains(*c) => *c,
                _ => break,
            };
            let pos = self.here();
            self.advance();
            let right = self.unary()?;
            left = Expr::Binary(op, Box::new(left), Box::new(right), pos);
        }
        Ok(left)
    }

    // unary := '-' unary | power
    fn unary(&mut self) -> Result<Expr, Error> {
        if self.peek() == Some(&Token::Op('-')) {
            let pos = self.here();
            self.advance();
            let inner = self.unary()?;
            return Ok(Expr::Neg(Box::new(inner), pos));
        }
        self.power()
    }

    // power := atom ('^' unary)?
    fn power(&mut self) -> Result<Expr, Error> {
        let base = self.atom()?;
        if self.peek() == Some(&Token::Op('^')) {
            let pos = self.here();
            self.advance();
            let exponent = self.unary()?;
            return Ok(Expr::Binary('^', Box::new(base), Box::new(exponent), pos));
        }
        Ok(base)
    }

    fn atom(&mut self) -> Result<Expr, Error> {
        let pos = self.here();
        match self.advance() {
            Some(Token::Num(n)) => Ok(Expr::Num(n)),
            Some(Token::Ident(name)) => {
                if self.peek() == Some(&Token::LParen) {
                    self.advance();
                    let mut args = Vec::new();
                    if self.peek() != Some(&Token::RParen) {
                        args.push(self.expr()?);
                        while self.peek() == Some(&Token::Comma) {
                            self.advance();
                            args.push(self.expr()?);
                        }
                    }
                    self.expect(Token::RParen)?;
                    Ok(Expr::Call(name, args, pos))
                } else {
                    Ok(Expr::Var(name, pos))
                }
            }
            Some(Token::LParen) => {
                let inner = self.expr()?;
                self.expect(Token::RParen)?;
                Ok(inner)
            }
            Some(t) => Err(Error::new(
                pos,
                format!("expected an expression, found {}", t),
            )),
            None => Err(Error::new(pos, "expected an expression, found end of line")),
        }
    }
}

fn gcd(a: i64, b: i64) -> i64 {
    let (mut a, mut b) = (a.abs(), b.abs());
    while b != 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    a
}

fn isqrt(n: i64) -> i64 {
    if n < 2 {
        return n;
    }
    let mut x = (n as f64).sqrt() as i64;
    while x * x > n {
        x -= 1;
    }
    while (x + 1) * (x + 1) <= n {
        x += 1;
    }
    x
}

struct Calc {
    vars: HashMap<String, i64>,
    output: Vec<String>,
}

impl Calc {
    fn new() -> Calc {
        Calc {
            vars: HashMap::new(),
            output: Vec::new(),
        }
    }

    fn eval(&self, e: &Expr) -> Result<i64, Error> {
        match e {
            Expr::Num(n) => Ok(*n),
            Expr::Var(name, pos) => match self.vars.get(name) {
                Some(v) => Ok(*v),
                None => Err(Error::new(*pos, format!("unknown variable `{}`", name))),
            },
            Expr::Neg(inner, pos) => {
                let v = self.eval(inner)?;
                v.checked_neg()
                    .ok_or_else(|| Error::new(*pos, "overflow in negation"))
            }
            Expr::Binary(op, l, r, pos) => {
                let a = self.eval(l)?;
                let b = self.eval(r)?;
                let result = match op {
                    '+' => a.checked_add(b),
                    '-' => a.checked_sub(b),
                    '*' => a.checked_mul(b),
                    '/' | '%' if b == 0 => {
                        return Err(Error::new(*pos, "division by zero"));
                    }
                    '/' => a.checked_div(b),
                    '%' => a.checked_rem(b),
                    '^' => {
                        if b < 0 {
                            return Err(Error::new(*pos, "negative exponent"));
                        }
                        u32::try_from(b).ok().and_then(|b| a.checked_pow(b))
                    }
                    _ => unreachable!("unknown operator {}", op),
                };
                result.ok_or_else(|| Error::new(*pos, format!("overflow in `{} {} {}`", a, op, b)))
            }
            Expr::Call(name, args, pos) => {
                let mut values = Vec::with_capacity(args.len());
                for arg in args {
                    values.push(self.eval(arg)?);
                }
                let arity = |n: usize| -> Result<(), Error> {
                    if values.len() == n {
                        Ok(())
                    } else {
                        Err(Error::new(
                            *pos,
                            format!("`{}` takes {} argument(s), {} given", name, n, values.len()),
                        ))
                    }
                };
                match name.as_str() {
                    "abs" => {
                        arity(1)?;
                        values[0]
                            .checked_abs()
                            .ok_or_else(|| Error::new(*pos, "overflow in `abs`"))
                    }
                    "min" | "max" => {
                        let best = if name == "min" {
                            values.iter().min()
                        } else {
                            values.iter().max()
                        };
                        match best {
                            Some(v) => Ok(*v),
                            None => Err(Error::new(*pos, format!("`{}` needs an argument", name))),
                        }
                    }
                    "gcd" => {
                        arity(2)?;
                        Ok(gcd(values[0], values[1]))
                    }
                    "sqrt" => {
                        arity(1)?;
                        if values[0] < 0 {
                            return Err(Error::new(*pos, "square root of a negative number"));
                        }
                        Ok(isqrt(values[0]))
                    }
                    _ => Err(Error::new(*pos, format!("unknown function `{}`", name))),
                }
            }
        }
    }

    fn run(&mut self, stmt: &Stmt) -> Result<(), Error> {
        match stmt {
            Stmt::Let(name, e) => {
                let v = self.eval(e)?;
                self.vars.insert(name.clone(), v);
            }
            Stmt::Assign(name, e, pos) => {
                let v = self.eval(e)?;
                match self.vars.get_mut(name) {
                    Some(slot) => *slot = v,
                    None => {
                        return Err(Error::new(
                            *pos,
                            format!("`{}` is not defined; use `let {} = ...`", name, name),
                        ))
                    }
                }
            }
            Stmt::Print(values) => {
                let mut parts = Vec::new();
                for e in values {
                    parts.push(self.eval(e)?.to_string());
                }
                self.output.push(parts.join(" "));
            }
            Stmt::Expr(e) => {
                let v = self.eval(e)?;
                self.output.push(format!("{}", v));
            }
        }
        Ok(())
    }
}

fn parse_line(line: &str, line_no: usize) -> Result<Vec<Stmt>, Error> {
    let tokens = tokenize(line, line_no)?;
    let end = Pos {
        line: line_no,
        col: line.chars().count() + 1,
    };
    let mut parser = Parser::new(tokens, end);
    let mut stmts = Vec::new();
    while parser.peek().is_some() {
        if parser.peek() == Some(&Token::Semi) {
            parser.advance();
            continue;
        }
        stmts.push(parser.statement()?);
        if !parser.at_end() {
            let pos = parser.here();
            let t = parser.advance().unwrap();
            return Err(Error::new(
                pos,
                format!("expected `;` or end of line, found {}", t),
            ));
        }
    }
    Ok(stmts)
}

fn report(source: &str, err: &Error) {
    eprintln!("error at {}: {}", err.pos, err.message);
    if let Some(line) = source.lines().nth(err.pos.line - 1) {
        eprintln!("  | {}", line);
        eprintln!("  | {}^", " ".repeat(err.pos.col - 1));
    }
}

/// Runs a whole program; returns the number of errors.
fn run_program(source: &str, calc: &mut Calc, quiet: bool) -> usize {
    let mut errors = 0;
    for (i, line) in source.lines().enumerate() {
        let result = parse_line(line, i + 1).and_then(|stmts| {
            for s in &stmts {
                calc.run(s)?;
            }
            Ok(())
        });
        if let Err(e) = result {
            errors += 1;
            if !quiet {
                report(source, &e);
            }
        }
        if !quiet {
            for out in calc.output.drain(..) {
                println!("{}", out);
            }
        }
    }
    errors
}

/// A program of `n` statements: bindings folded through every operator.
fn generated(n: usize) -> String {
    let mut s = String::from("let acc = 1\nlet k = 7\n");
    for i in 0..n {
        let line = match i % 4 {
            0 => format!("let t{} = (acc * 31 + {}) % 1_000_003\n", i % 100, i),
            1 => format!(
                "acc = (t{} ^ 2 + k * {}) % 999_983\n",
                (i - 1) % 100,
                i % 13
            ),
            2 => format!(
                "k = max(gcd(acc, {}), min(k + 1, 97), abs(-{}))\n",
                i,
                i % 50
            ),
            _ => format!("acc = acc + sqrt(acc * {}) - -{} / 3\n", i % 1000, i),
        };
        s.push_str(&line);
    }
    s.push_str("print acc, k\n");
    s
}

fn main() {
    let args: Vec<String> = env::args().collect();
    let mut calc = Calc::new();
    let source = match args.len() {
        1 => {
            let mut s = String::new();
            if let Err(e) = io::stdin().read_to_string(&mut s) {
                eprintln!("cannot read stdin: {}", e);
                process::exit(2);
            }
            s
        }
        2 => match fs::read_to_string(&args[1]) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("cannot read {}: {}", args[1], e);
                process::exit(2);
            }
        },
        3 if args[1] == "bench" => {
            let n: usize = match args[2].parse() {
                Ok(n) => n,
                Err(e) => {
                    eprintln!("bad count {:?}: {}", args[2], e);
                    process::exit(2);
                }
            };
            let source = generated(n);
            let errors = run_program(&source, &mut calc, true);
            println!("{} errors", errors);
            for out in &calc.output {
                println!("{}", out);
            }
            return;
        }
        _ => {
            eprintln!("usage: {} [FILE | bench N]", args[0]);
            process::exit(2);
        }
    };
    let errors = run_program(&source, &mut calc, false);
    if errors > 0 {
        eprintln!("{} error(s)", errors);
        process::exit(1);
    }
}
