// User enums: fieldless ones with discriminants and casts, tuple and struct
// variants, recursion through `Box`, methods, nested patterns.

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Debug)]
enum Op {
    Push = 1,
    Add,
    Mul = 10,
    Neg,
    Jump = -3,
    Halt,
}

impl Op {
    fn from_byte(b: u8) -> Option<Op> {
        match b {
            1 => Some(Op::Push),
            2 => Some(Op::Add),
            10 => Some(Op::Mul),
            11 => Some(Op::Neg),
            253 => Some(Op::Jump),
            254 => Some(Self::Halt),
            _ => None,
        }
    }

    fn arity(self) -> usize {
        match self {
            Op::Push | Op::Jump => 1,
            Op::Add | Op::Mul => 2,
            Op::Neg => 1,
            Op::Halt => 0,
        }
    }

    fn is_arith(&self) -> bool {
        *self == Op::Add || *self == Op::Mul || matches!(self, Op::Neg)
    }
}

#[repr(u8)]
#[derive(PartialEq)]
enum Small {
    A = 200,
    B,
}

enum Expr {
    Num(i64),
    Var { name: String, depth: u32 },
    Add(Box<Expr>, Box<Expr>),
    Mul(Box<Expr>, Box<Expr>),
    Neg(Box<Expr>),
    Nil,
}

impl Expr {
    fn num(n: i64) -> Expr {
        Expr::Num(n)
    }

    fn add(a: Expr, b: Expr) -> Expr {
        Expr::Add(Box::new(a), Box::new(b))
    }

    fn eval(&self, x: i64) -> i64 {
        match self {
            Expr::Num(n) => *n,
            Expr::Var { depth, .. } if *depth > 3 => 0,
            Expr::Var { name, depth } => {
                if name == "x" {
                    x + *depth as i64
                } else {
                    -1
                }
            }
            Expr::Add(a, b) => a.eval(x) + b.eval(x),
            Expr::Mul(a, b) => a.eval(x) * b.eval(x),
            Expr::Neg(e) => -e.eval(x),
            Self::Nil => 0,
        }
    }

    fn show(&self) -> String {
        match self {
            Expr::Num(n) if *n < 0 => format!("({})", n),
            Expr::Num(n) => n.to_string(),
            Expr::Var { name, .. } => name.clone(),
            Expr::Add(a, b) => format!("({} + {})", a.show(), b.show()),
            Expr::Mul(a, b) => format!("{} * {}", a.show(), b.show()),
            Expr::Neg(e) => format!("-{}", e.show()),
            Expr::Nil => String::from("nil"),
        }
    }

    /// Folds `0 + e`, `e * 1` and double negation one level deep.
    fn simplify(self) -> Expr {
        match self {
            Expr::Add(a, b) => match (*a, *b) {
                (Expr::Num(0), e) | (e, Expr::Num(0)) => e.simplify(),
                (a, b) => Expr::add(a.simplify(), b.simplify()),
            },
            Expr::Mul(a, b) => match *b {
                Expr::Num(1) => a.simplify(),
                other => Expr::Mul(Box::new(a.simplify()), Box::new(other.simplify())),
            },
            Expr::Neg(inner) => match *inner {
                Expr::Neg(e) => e.simplify(),
                e => Expr::Neg(Box::new(e.simplify())),
            },
            e => e,
        }
    }
}

enum Value {
    Int(i64),
    Float(f64),
    Pair(i64, i64, i64),
}

struct Machine {
    last: Option<Op>,
    acc: Value,
    history: Vec<Op>,
}

impl Machine {
    fn step(&mut self, op: Op, arg: i64) {
        self.history.push(op);
        self.acc = match (op, &self.acc) {
            (Op::Push, _) => Value::Int(arg),
            (Op::Add, Value::Int(n)) => Value::Int(n + arg),
            (Op::Add, Value::Float(f)) => Value::Float(f + arg as f64),
            (Op::Mul, Value::Int(n)) => Value::Float(*n as f64 * 1.5),
            (Op::Neg, Value::Int(n)) => Value::Int(-n),
            (Op::Neg, Value::Float(f)) => Value::Float(-f),
            (_, Value::Pair(a, .., c)) => Value::Int(a + c),
            (Op::Jump, v) => match v {
                Value::Int(n) => Value::Pair(*n, arg, 0),
                _ => Value::Pair(0, 0, arg),
            },
            (_, Value::Float(f)) => Value::Float(f * 2.0),
            (_, Value::Int(n)) => Value::Int(*n),
        };
        self.last = Some(op);
    }

    fn describe(&self) -> String {
        match self.acc {
            Value::Int(n @ 0..=9) => format!("small {}", n),
            Value::Int(n) => format!("int {}", n),
            Value::Float(f) => format!("float {}", f),
            Value::Pair(a, b, c) => format!("pair {} {} {}", a, b, c),
        }
    }
}

fn classify(v: &Value) -> &'static str {
    if let Value::Int(n) = v {
        if *n > 100 {
            return "big";
        }
    }
    match v {
        Value::Int(ref n) if *n < 0 => "negative",
        Value::Int(_) => "int",
        Value::Float(_) | Value::Pair(..) => "other",
    }
}

fn main() {
    let ops = [Op::Push, Op::Add, Op::Mul, Op::Neg, Op::Jump, Op::Halt];
    for op in ops.iter() {
        let d = *op as i64;
        let b = *op as u8;
        println!(
            "{} {} arity={} arith={} back={}",
            d,
            b,
            op.arity(),
            op.is_arith(),
            matches!(Op::from_byte(b), Some(x) if x == *op)
        );
    }
    println!("{} {}", Op::Add < Op::Mul, Op::Jump > Op::Halt);
    println!("{} {}", Small::A as u8, Small::B as i32);
    println!("{}", Small::A == Small::B);

    let e = Expr::add(
        Expr::Mul(
            Box::new(Expr::num(3)),
            Box::new(Expr::Var {
                name: "x".to_string(),
                depth: 1,
            }),
        ),
        Expr::Neg(Box::new(Expr::Num(-4))),
    );
    println!("{} = {}", e.show(), e.eval(5));
    let deep = Expr::Var {
        name: String::from("x"),
        depth: 9,
    };
    println!("{} = {}", deep.show(), deep.eval(5));
    let s = Expr::add(
        Expr::Num(0),
        Expr::Mul(
            Box::new(Expr::Neg(Box::new(Expr::Neg(Box::new(Expr::Num(7)))))),
            Box::new(Expr::Num(1)),
        ),
    )
    .simplify();
    println!("{} = {}", s.show(), s.eval(0));
    println!("{}", Expr::Nil.show());

    let mut m = Machine {
        last: None,
        acc: Value::Int(0),
        history: Vec::new(),
    };
    let prog: Vec<(u8, i64)> = vec![
        (1, 7),
        (2, 5),
        (11, 0),
        (10, 0),
        (2, 1),
        (11, 0),
        (253, 4),
        (1, 3),
        (253, 8),
        (2, 0),
        (254, 0),
    ];
    for (b, arg) in prog {
        let Some(op) = Op::from_byte(b) else {
            println!("bad opcode {}", b);
            continue;
        };
        m.step(op, arg);
        println!(
            "{:>8} -> {} ({})",
            op as i32,
            m.describe(),
            classify(&m.acc)
        );
    }
    if let Some(Op::Halt) = m.last {
        println!("halted after {} steps", m.history.len());
    }
    let mut adds = 0;
    for o in &m.history {
        if *o == Op::Add {
            adds += 1;
        }
    }
    println!("adds: {}", adds);
    let values = vec![
        Value::Int(500),
        Value::Int(-2),
        Value::Float(0.5),
        Value::Pair(1, 2, 3),
    ];
    for v in &values {
        print!("{} ", classify(v));
    }
    println!();
}
