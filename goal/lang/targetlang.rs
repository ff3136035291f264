//! A small dynamic language, written as a Rust programmer writes one: a
//! tokenizer that cuts tokens out of the source with sub-slices, a
//! recursive-descent parser building an AST of enums and `Box`es, and a
//! tree-walking evaluator whose values are enums holding `Rc<RefCell<..>>`
//! lists and closures over `Rc<RefCell<Env>>` scopes. Each `while` loop of
//! the interpreted program is a JIT merge point.
//!
//!     targetlang run FILE          run a program
//!     targetlang bench NAME N      run a built-in program (fib, loop, lists, closures)
//!
//! The language: `let x = e;`, `x = e;`, `if e { .. } else { .. }`,
//! `while e { .. }`, `fn f(a, b) { .. return e; }`, `print(e);`, integers,
//! strings, `true`/`false`/`nil`, lists `[a, b]` with `xs[i]`, `len(xs)`,
//! `push(xs, v)`, `+ - * / % < <= > >= == != and or not`, closures.

use rrlib::jit::jit_merge_point;
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(i64),
    Str(String),
    Ident(String),
    Sym(String),
    Eof,
}

fn tokenize(src: &str) -> Result<Vec<(Tok, usize)>, String> {
    let b = src.as_bytes();
    let mut toks = Vec::new();
    let mut i = 0;
    let mut line = 1;
    while i < b.len() {
        let c = b[i] as char;
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '#' {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if c.is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let n: i64 = src[start..i]
                .parse()
                .map_err(|_| format!("line {}: number too large", line))?;
            toks.push((Tok::Num(n), line));
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            toks.push((Tok::Ident(src[start..i].to_string()), line));
        } else if c == '"' {
            let start = i + 1;
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += 1;
            }
            if i >= b.len() {
                return Err(format!("line {}: unterminated string", line));
            }
            toks.push((Tok::Str(src[start..i].to_string()), line));
            i += 1;
        } else {
            let two = if i + 1 < b.len() { &src[i..i + 2] } else { "" };
            if two == "==" || two == "!=" || two == "<=" || two == ">=" {
                toks.push((Tok::Sym(two.to_string()), line));
                i += 2;
            } else if "+-*/%<>=(){}[],;".contains(c) {
                toks.push((Tok::Sym(c.to_string()), line));
                i += 1;
            } else {
                return Err(format!("line {}: unexpected character {:?}", line, c));
            }
        }
    }
    toks.push((Tok::Eof, line));
    Ok(toks)
}

#[derive(Debug)]
enum Expr {
    Num(i64),
    Str(String),
    Bool(bool),
    Nil,
    Var(String),
    List(Vec<Expr>),
    Index(Box<Expr>, Box<Expr>),
    Call(Box<Expr>, Vec<Expr>),
    Binary(String, Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Lambda(Rc<FnDef>),
}

#[derive(Debug)]
enum Stmt {
    Let(String, Expr),
    Assign(String, Expr),
    SetIndex(Expr, Expr, Expr),
    If(Expr, Vec<Stmt>, Vec<Stmt>),
    While(Expr, Vec<Stmt>),
    Return(Expr),
    Expr(Expr),
}

#[derive(Debug)]
struct FnDef {
    name: String,
    params: Vec<String>,
    body: Vec<Stmt>,
}

/// Binary operators by precedence, loosest first.
const LEVELS: usize = 5;

fn is_op_of(level: usize, s: &str) -> bool {
    match level {
        0 => s == "or",
        1 => s == "and",
        2 => matches!(s, "==" | "!=" | "<" | "<=" | ">" | ">="),
        3 => s == "+" || s == "-",
        _ => matches!(s, "*" | "/" | "%"),
    }
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos].0
    }

    fn line(&self) -> usize {
        self.toks[self.pos].1
    }

    fn next(&mut self) -> Tok {
        let t = self.toks[self.pos].0.clone();
        if self.pos + 1 < self.toks.len() {
            self.pos += 1;
        }
        t
    }

    fn is_sym(&self, s: &str) -> bool {
        matches!(self.peek(), Tok::Sym(x) if x == s)
    }

    fn is_word(&self, s: &str) -> bool {
        matches!(self.peek(), Tok::Ident(x) if x == s)
    }

    fn expect(&mut self, s: &str) -> Result<(), String> {
        if self.is_sym(s) {
            self.next();
            Ok(())
        } else {
            Err(format!(
                "line {}: expected `{}`, found {:?}",
                self.line(),
                s,
                self.peek()
            ))
        }
    }

    fn ident(&mut self) -> Result<String, String> {
        match self.next() {
            Tok::Ident(name) => Ok(name),
            other => Err(format!(
                "line {}: expected a name, found {:?}",
                self.line(),
                other
            )),
        }
    }

    fn block(&mut self) -> Result<Vec<Stmt>, String> {
        self.expect("{")?;
        let mut out = Vec::new();
        while !self.is_sym("}") {
            if *self.peek() == Tok::Eof {
                return Err(format!("line {}: unclosed block", self.line()));
            }
            out.push(self.stmt()?);
        }
        self.expect("}")?;
        Ok(out)
    }

    fn params(&mut self) -> Result<Vec<String>, String> {
        self.expect("(")?;
        let mut ps = Vec::new();
        while !self.is_sym(")") {
            ps.push(self.ident()?);
            if !self.is_sym(")") {
                self.expect(",")?;
            }
        }
        self.expect(")")?;
        Ok(ps)
    }

    fn stmt(&mut self) -> Result<Stmt, String> {
        if self.is_word("let") {
            self.next();
            let name = self.ident()?;
            self.expect("=")?;
            let e = self.expr()?;
            self.expect(";")?;
            return Ok(Stmt::Let(name, e));
        }
        if self.is_word("fn") {
            self.next();
            let name = self.ident()?;
            let params = self.params()?;
            let body = self.block()?;
            let def = Rc::new(FnDef {
                name: name.clone(),
                params,
                body,
            });
            return Ok(Stmt::Let(name, Expr::Lambda(def)));
        }
        if self.is_word("if") {
            self.next();
            let c = self.expr()?;
            let then = self.block()?;
            let els = if self.is_word("else") {
                self.next();
                if self.is_word("if") {
                    vec![self.stmt()?]
                } else {
                    self.block()?
                }
            } else {
                Vec::new()
            };
            return Ok(Stmt::If(c, then, els));
        }
        if self.is_word("while") {
            self.next();
            let c = self.expr()?;
            let body = self.block()?;
            return Ok(Stmt::While(c, body));
        }
        if self.is_word("return") {
            self.next();
            let e = self.expr()?;
            self.expect(";")?;
            return Ok(Stmt::Return(e));
        }
        let e = self.expr()?;
        if self.is_sym("=") {
            self.next();
            let v = self.expr()?;
            self.expect(";")?;
            return match e {
                Expr::Var(name) => Ok(Stmt::Assign(name, v)),
                Expr::Index(target, idx) => Ok(Stmt::SetIndex(*target, *idx, v)),
                _ => Err(format!("line {}: cannot assign to this", self.line())),
            };
        }
        self.expect(";")?;
        Ok(Stmt::Expr(e))
    }

    fn expr(&mut self) -> Result<Expr, String> {
        self.binary(0)
    }

    fn binary(&mut self, level: usize) -> Result<Expr, String> {
        if level == LEVELS {
            return self.unary();
        }
        let mut lhs = self.binary(level + 1)?;
        loop {
            let op = match self.peek() {
                Tok::Sym(s) | Tok::Ident(s) if is_op_of(level, s) => s.clone(),
                _ => break,
            };
            self.next();
            let rhs = self.binary(level + 1)?;
            lhs = Expr::Binary(op, Box::new(lhs), Box::new(rhs));
        }
        Ok(lhs)
    }

    fn unary(&mut self) -> Result<Expr, String> {
        if self.is_word("not") {
            self.next();
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        if self.is_sym("-") {
            self.next();
            let e = self.unary()?;
            return Ok(Expr::Binary(
                "-".to_string(),
                Box::new(Expr::Num(0)),
                Box::new(e),
            ));
        }
        let mut e = self.primary()?;
        loop {
            if self.is_sym("(") {
                self.next();
                let mut args = Vec::new();
                while !self.is_sym(")") {
                    args.push(self.expr()?);
                    if !self.is_sym(")") {
                        self.expect(",")?;
                    }
                }
                self.expect(")")?;
                e = Expr::Call(Box::new(e), args);
            } else if self.is_sym("[") {
                self.next();
                let i = self.expr()?;
                self.expect("]")?;
                e = Expr::Index(Box::new(e), Box::new(i));
            } else {
                return Ok(e);
            }
        }
    }

    fn primary(&mut self) -> Result<Expr, String> {
        let line = self.line();
        match self.next() {
            Tok::Num(n) => Ok(Expr::Num(n)),
            Tok::Str(s) => Ok(Expr::Str(s)),
            Tok::Ident(w) if w == "true" => Ok(Expr::Bool(true)),
            Tok::Ident(w) if w == "false" => Ok(Expr::Bool(false)),
            Tok::Ident(w) if w == "nil" => Ok(Expr::Nil),
            Tok::Ident(w) if w == "fn" => {
                let params = self.params()?;
                let body = self.block()?;
                Ok(Expr::Lambda(Rc::new(FnDef {
                    name: "<lambda>".to_string(),
                    params,
                    body,
                })))
            }
            Tok::Ident(w) => Ok(Expr::Var(w)),
            Tok::Sym(s) if s == "(" => {
                let e = self.expr()?;
                self.expect(")")?;
                Ok(e)
            }
            Tok::Sym(s) if s == "[" => {
                let mut items = Vec::new();
                while !self.is_sym("]") {
                    items.push(self.expr()?);
                    if !self.is_sym("]") {
                        self.expect(",")?;
                    }
                }
                self.expect("]")?;
                Ok(Expr::List(items))
            }
            other => Err(format!("line {}: unexpected {:?}", line, other)),
        }
    }
}

#[derive(Clone)]
enum Value {
    Nil,
    Int(i64),
    Bool(bool),
    Str(Rc<String>),
    List(Rc<RefCell<Vec<Value>>>),
    Func(Rc<Closure>),
}

struct Closure {
    def: Rc<FnDef>,
    env: Rc<RefCell<Env>>,
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Value::Nil => write!(f, "nil"),
            Value::Int(n) => write!(f, "{}", n),
            Value::Bool(b) => write!(f, "{}", b),
            Value::Str(s) => write!(f, "{}", s),
            Value::List(items) => {
                write!(f, "[")?;
                for (i, v) in items.borrow().iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{}", v)?;
                }
                write!(f, "]")
            }
            Value::Func(c) => write!(f, "<fn {}>", c.def.name),
        }
    }
}

fn truthy(v: &Value) -> bool {
    !matches!(v, Value::Nil | Value::Bool(false) | Value::Int(0))
}

struct Env {
    vars: HashMap<String, Value>,
    parent: Option<Rc<RefCell<Env>>>,
}

fn new_env(parent: Option<Rc<RefCell<Env>>>) -> Rc<RefCell<Env>> {
    Rc::new(RefCell::new(Env {
        vars: HashMap::new(),
        parent,
    }))
}

fn lookup(env: &Rc<RefCell<Env>>, name: &str) -> Option<Value> {
    let e = env.borrow();
    match e.vars.get(name) {
        Some(v) => Some(v.clone()),
        None => match &e.parent {
            Some(p) => lookup(p, name),
            None => None,
        },
    }
}

fn assign(env: &Rc<RefCell<Env>>, name: &str, v: Value) -> bool {
    if env.borrow().vars.contains_key(name) {
        env.borrow_mut().vars.insert(name.to_string(), v);
        return true;
    }
    let parent = env.borrow().parent.clone();
    match parent {
        Some(p) => assign(&p, name, v),
        None => false,
    }
}

/// How a statement ends: on to the next, or returning from the function.
enum Flow {
    Next,
    Return(Value),
}

struct Interp {
    calls: u64,
}

fn arith(op: &str, a: i64, b: i64) -> Result<Value, String> {
    Ok(match op {
        "+" => Value::Int(a.wrapping_add(b)),
        "-" => Value::Int(a.wrapping_sub(b)),
        "*" => Value::Int(a.wrapping_mul(b)),
        "/" | "%" if b == 0 => return Err("division by zero".to_string()),
        "/" => Value::Int(a.wrapping_div(b)),
        "%" => Value::Int(a.wrapping_rem(b)),
        "<" => Value::Bool(a < b),
        "<=" => Value::Bool(a <= b),
        ">" => Value::Bool(a > b),
        ">=" => Value::Bool(a >= b),
        "==" => Value::Bool(a == b),
        "!=" => Value::Bool(a != b),
        _ => return Err(format!("unknown operator {}", op)),
    })
}

impl Interp {
    fn eval(&mut self, e: &Expr, env: &Rc<RefCell<Env>>) -> Result<Value, String> {
        match e {
            Expr::Num(n) => Ok(Value::Int(*n)),
            Expr::Str(s) => Ok(Value::Str(Rc::new(s.clone()))),
            Expr::Bool(b) => Ok(Value::Bool(*b)),
            Expr::Nil => Ok(Value::Nil),
            Expr::Var(name) => {
                lookup(env, name).ok_or_else(|| format!("undefined variable {}", name))
            }
            Expr::List(items) => {
                let mut vs = Vec::new();
                for it in items {
                    vs.push(self.eval(it, env)?);
                }
                Ok(Value::List(Rc::new(RefCell::new(vs))))
            }
            Expr::Index(target, idx) => {
                let t = self.eval(target, env)?;
                let i = self.eval(idx, env)?;
                match (&t, &i) {
                    (Value::List(items), Value::Int(k)) => {
                        let items = items.borrow();
                        if *k < 0 || *k as usize >= items.len() {
                            return Err(format!(
                                "index {} out of range for a list of {}",
                                k,
                                items.len()
                            ));
                        }
                        Ok(items[*k as usize].clone())
                    }
                    _ => Err("only lists can be indexed by integers".to_string()),
                }
            }
            Expr::Not(x) => Ok(Value::Bool(!truthy(&self.eval(x, env)?))),
            Expr::Binary(op, a, b) => {
                if op == "and" {
                    let l = self.eval(a, env)?;
                    return if truthy(&l) { self.eval(b, env) } else { Ok(l) };
                }
                if op == "or" {
                    let l = self.eval(a, env)?;
                    return if truthy(&l) { Ok(l) } else { self.eval(b, env) };
                }
                let l = self.eval(a, env)?;
                let r = self.eval(b, env)?;
                match (&l, &r) {
                    (Value::Int(x), Value::Int(y)) => arith(op, *x, *y),
                    (Value::Str(x), Value::Str(y)) if op == "+" => {
                        Ok(Value::Str(Rc::new(format!("{}{}", x, y))))
                    }
                    (Value::Str(x), Value::Str(y)) if op == "==" => Ok(Value::Bool(x == y)),
                    _ if op == "==" => Ok(Value::Bool(false)),
                    _ => Err(format!("cannot apply {} to {} and {}", op, l, r)),
                }
            }
            Expr::Lambda(def) => Ok(Value::Func(Rc::new(Closure {
                def: Rc::clone(def),
                env: Rc::clone(env),
            }))),
            Expr::Call(f, args) => {
                if let Expr::Var(name) = &**f {
                    if lookup(env, name).is_none() {
                        return self.builtin(name, args, env);
                    }
                }
                let callee = self.eval(f, env)?;
                let mut vals = Vec::new();
                for a in args {
                    vals.push(self.eval(a, env)?);
                }
                self.call(&callee, vals)
            }
        }
    }

    fn builtin(
        &mut self,
        name: &str,
        args: &[Expr],
        env: &Rc<RefCell<Env>>,
    ) -> Result<Value, String> {
        let mut vals = Vec::new();
        for a in args {
            vals.push(self.eval(a, env)?);
        }
        match (name, vals.as_slice()) {
            ("print", [v]) => {
                println!("{}", v);
                Ok(Value::Nil)
            }
            ("len", [Value::List(items)]) => Ok(Value::Int(items.borrow().len() as i64)),
            ("len", [Value::Str(s)]) => Ok(Value::Int(s.len() as i64)),
            ("push", [Value::List(items), v]) => {
                items.borrow_mut().push(v.clone());
                Ok(Value::Nil)
            }
            ("str", [v]) => Ok(Value::Str(Rc::new(v.to_string()))),
            _ => Err(format!(
                "undefined function {} of {} argument(s)",
                name,
                vals.len()
            )),
        }
    }

    fn call(&mut self, callee: &Value, args: Vec<Value>) -> Result<Value, String> {
        let Value::Func(c) = callee else {
            return Err(format!("{} is not a function", callee));
        };
        if c.def.params.len() != args.len() {
            return Err(format!(
                "{} takes {} argument(s), got {}",
                c.def.name,
                c.def.params.len(),
                args.len()
            ));
        }
        self.calls += 1;
        let frame = new_env(Some(Rc::clone(&c.env)));
        for (p, v) in c.def.params.iter().zip(args) {
            frame.borrow_mut().vars.insert(p.clone(), v);
        }
        match self.exec_block(&c.def.body, &frame)? {
            Flow::Return(v) => Ok(v),
            Flow::Next => Ok(Value::Nil),
        }
    }

    fn exec_block(&mut self, body: &[Stmt], env: &Rc<RefCell<Env>>) -> Result<Flow, String> {
        for s in body {
            if let Flow::Return(v) = self.exec(s, env)? {
                return Ok(Flow::Return(v));
            }
        }
        Ok(Flow::Next)
    }

    fn exec(&mut self, s: &Stmt, env: &Rc<RefCell<Env>>) -> Result<Flow, String> {
        match s {
            Stmt::Let(name, e) => {
                let v = self.eval(e, env)?;
                env.borrow_mut().vars.insert(name.clone(), v);
            }
            Stmt::Assign(name, e) => {
                let v = self.eval(e, env)?;
                if !assign(env, name, v) {
                    return Err(format!("assignment to undefined variable {}", name));
                }
            }
            Stmt::SetIndex(target, idx, e) => {
                let t = self.eval(target, env)?;
                let i = self.eval(idx, env)?;
                let v = self.eval(e, env)?;
                match (&t, &i) {
                    (Value::List(items), Value::Int(k)) => {
                        let mut items = items.borrow_mut();
                        if *k < 0 || *k as usize >= items.len() {
                            return Err(format!(
                                "index {} out of range for a list of {}",
                                k,
                                items.len()
                            ));
                        }
                        items[*k as usize] = v;
                    }
                    _ => return Err("only lists can be indexed by integers".to_string()),
                }
            }
            Stmt::If(c, then, els) => {
                let inner = new_env(Some(Rc::clone(env)));
                let branch = if truthy(&self.eval(c, env)?) {
                    then
                } else {
                    els
                };
                return self.exec_block(branch, &inner);
            }
            Stmt::While(c, body) => return run_while(self, c, body, env),
            Stmt::Return(e) => return Ok(Flow::Return(self.eval(e, env)?)),
            Stmt::Expr(e) => {
                self.eval(e, env)?;
            }
        }
        Ok(Flow::Next)
    }
}

/// One `while` loop of the program: the JIT's merge point, the loop's
/// condition and body its position in the interpreted program.
#[jit_merge_point(greens(cond, body), reds(it, env))]
fn run_while(
    it: &mut Interp,
    cond: &Expr,
    body: &[Stmt],
    env: &Rc<RefCell<Env>>,
) -> Result<Flow, String> {
    while truthy(&it.eval(cond, env)?) {
        let inner = new_env(Some(Rc::clone(env)));
        if let Flow::Return(v) = it.exec_block(body, &inner)? {
            return Ok(Flow::Return(v));
        }
    }
    Ok(Flow::Next)
}

fn run(src: &str) -> Result<u64, String> {
    let toks = tokenize(src)?;
    let mut p = Parser { toks, pos: 0 };
    let mut prog = Vec::new();
    while *p.peek() != Tok::Eof {
        prog.push(p.stmt()?);
    }
    let global = new_env(None);
    let mut it = Interp { calls: 0 };
    it.exec_block(&prog, &global)?;
    Ok(it.calls)
}

const FIB: &str = "
fn fib(n) { if n < 2 { return n; } return fib(n - 1) + fib(n - 2); }
print(fib(N));
";

const LOOP: &str = "
let i = 0; let sum = 0;
while i < N { sum = (sum + i * i) % 1000003; i = i + 1; }
print(sum);
";

const LISTS: &str = "
let xs = [];
let i = 0;
while i < N { push(xs, i % 97); i = i + 1; }
let total = 0; let j = 0;
while j < len(xs) { total = total + xs[j]; xs[j] = 0; j = j + 1; }
print(total); print(len(xs)); print(xs[N - 1]);
";

const CLOSURES: &str = "
fn counter() { let n = 0; return fn() { n = n + 1; return n; }; }
let a = counter(); let b = counter();
let i = 0; let last = 0;
while i < N { last = a() + b() + b(); i = i + 1; }
print(last);
print(str(a) + \" \" + str([1, \"two\", [3]]));
";

fn usage() -> ! {
    eprintln!("usage: targetlang run FILE | targetlang bench fib|loop|lists|closures N");
    std::process::exit(2)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        usage();
    }
    let src = match args[1].as_str() {
        "run" => match std::fs::read_to_string(&args[2]) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: cannot read {}: {}", args[2], e);
                std::process::exit(2);
            }
        },
        "bench" => {
            if args.len() != 4 {
                usage();
            }
            let n: i64 = match args[3].parse() {
                Ok(n) => n,
                Err(_) => usage(),
            };
            let prog = match args[2].as_str() {
                "fib" => FIB,
                "loop" => LOOP,
                "lists" => LISTS,
                "closures" => CLOSURES,
                _ => usage(),
            };
            prog.replace("N", &n.to_string())
        }
        _ => usage(),
    };
    match run(&src) {
        Ok(calls) => eprintln!("{} calls", calls),
        Err(msg) => {
            println!("error: {}", msg);
            std::process::exit(1);
        }
    }
}
