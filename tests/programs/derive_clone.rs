// `#[derive(Clone)]` on structs and enums with fields: deep copies (strings,
// `Vec<String>`, `Option<Box<_>>` fields), `Copy` enums, `.clone()` of scalars.

#![allow(dead_code, clippy::clone_on_copy)]

#[derive(Clone, PartialEq)]
enum Expr {
    Num(f64),
    Var(String),
    Bin(char, Box<Expr>, Box<Expr>),
    Call {
        name: String,
        arg: Option<Box<Expr>>,
    },
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    A,
    B,
}

#[derive(Clone)]
struct Env {
    names: Vec<String>,
    vals: Vec<i64>,
    depth: u32,
    kind: Kind,
    parent: Option<Box<Env>>,
    label: String,
}

impl Expr {
    fn show(&self) -> String {
        match self {
            Expr::Num(n) => format!("{}", n),
            Expr::Var(v) => v.clone(),
            Expr::Bin(op, a, b) => format!("({} {} {})", a.show(), op, b.show()),
            Expr::Call { name, arg: Some(a) } => format!("{}({})", name, a.show()),
            Expr::Call { name, arg: None } => format!("{}()", name),
        }
    }
    fn rename(&mut self) {
        if let Expr::Var(v) = self {
            v.push('!');
        }
    }
}

fn main() {
    let e = Expr::Bin(
        '+',
        Box::new(Expr::Num(1.5)),
        Box::new(Expr::Call {
            name: "f".to_string(),
            arg: Some(Box::new(Expr::Var("x".to_string()))),
        }),
    );
    let f = e.clone();
    println!("{} {}", f.show(), e == f);
    let mut v = Expr::Var("y".to_string());
    let w = v.clone();
    v.rename();
    println!("{} {} {}", v.show(), w.show(), v == w);
    let env = Env {
        names: vec!["a".to_string()],
        vals: vec![1, 2],
        depth: 3,
        kind: Kind::B,
        parent: None,
        label: String::from("top"),
    };
    let mut child = env.clone();
    child.depth += 1;
    child.label.push_str("-child");
    child.vals.push(9);
    child.parent = Some(Box::new(env.clone()));
    println!(
        "{} {} {} {}",
        env.depth, child.depth, env.label, child.label
    );
    println!("{} {}", env.vals.len(), child.vals.len());
    let k = child.kind.clone();
    println!("{}", k == Kind::B);
    let n: i64 = 5;
    println!("{}", n.clone() + 1);
    if let Some(p) = &child.parent {
        println!("parent {}", p.label);
    }
}
