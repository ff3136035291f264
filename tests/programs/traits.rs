// Traits with static dispatch: required and default methods, associated
// consts, `impl Trait for` structs and enums, generic functions bounded by a
// trait (`T: Shape`, `&impl Shape`), and the std traits the translator gives
// meaning to: `Display` (`{}`, `.to_string()`, `write!` with `?`), `Debug`
// written by hand, `PartialEq`, `Clone`, `Default`, `From` and `Iterator`.

#![allow(dead_code, clippy::all)]

use std::fmt;

trait Shape {
    const SIDES: u32;

    fn area(&self) -> f64;
    fn name(&self) -> String;

    fn describe(&self) -> String {
        format!(
            "{} with {} sides and area {:.2}",
            self.name(),
            Self::SIDES,
            self.area()
        )
    }

    fn bigger_than(&self, limit: f64) -> bool {
        self.area() > limit
    }
}

struct Square {
    side: f64,
}

struct Triangle {
    base: f64,
    height: f64,
}

impl Shape for Square {
    const SIDES: u32 = 4;

    fn area(&self) -> f64 {
        self.side * self.side
    }

    fn name(&self) -> String {
        String::from("square")
    }
}

impl Shape for Triangle {
    const SIDES: u32 = 3;

    fn area(&self) -> f64 {
        0.5 * self.base * self.height
    }

    fn name(&self) -> String {
        "triangle".to_string()
    }

    fn describe(&self) -> String {
        format!("a triangle of area {}", self.area())
    }
}

fn total_area<T: Shape>(shapes: &[T]) -> f64 {
    let mut sum = 0.0;
    for s in shapes {
        sum += s.area();
    }
    sum
}

fn report(s: &impl Shape) {
    println!("{} (big: {})", s.describe(), s.bigger_than(10.0));
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Value {
    Int(i64),
    Float(f64),
    Nil,
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Value::Int(n) => write!(f, "{}", n),
            Value::Float(x) => write!(f, "{:.3}", x),
            Value::Nil => write!(f, "nil"),
        }
    }
}

struct List {
    items: Vec<Value>,
}

impl fmt::Display for List {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[")?;
        for (i, v) in self.items.iter().enumerate() {
            if i > 0 {
                write!(f, ", ")?;
            }
            write!(f, "{}", v)?;
        }
        write!(f, "]")
    }
}

struct Token {
    kind: u8,
    text: String,
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("Tok<")?;
        write!(f, "{}:{:?}", self.kind, self.text)?;
        f.write_str(">")
    }
}

#[derive(Debug)]
struct Line {
    tokens: Vec<Token>,
}

struct Version {
    major: u32,
    minor: u32,
}

impl PartialEq for Version {
    fn eq(&self, other: &Version) -> bool {
        self.major == other.major
    }
}

impl Clone for Version {
    fn clone(&self) -> Self {
        Version {
            major: self.major,
            minor: self.minor + 100,
        }
    }
}

impl Default for Version {
    fn default() -> Self {
        Version { major: 1, minor: 0 }
    }
}

struct Celsius(f64);

impl From<f64> for Celsius {
    fn from(x: f64) -> Self {
        Celsius(x)
    }
}

impl fmt::Display for Celsius {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        writeln!(f, "{:.1}C", self.0)
    }
}

struct Countdown {
    n: u32,
}

impl Iterator for Countdown {
    type Item = u32;

    fn next(&mut self) -> Option<Self::Item> {
        if self.n == 0 {
            None
        } else {
            self.n -= 1;
            Some(self.n)
        }
    }
}

trait Counter {
    fn bump(&mut self) -> u64;
    fn bump_n(&mut self, n: u64) -> u64 {
        let mut last = 0;
        for _ in 0..n {
            last = self.bump();
        }
        last
    }
}

struct Steps {
    count: u64,
    stride: u64,
}

impl Counter for Steps {
    fn bump(&mut self) -> u64 {
        self.count += self.stride;
        self.count
    }
}

fn drive<C: Counter>(c: &mut C, rounds: u64) -> u64 {
    let mut acc = 0u64;
    for i in 0..rounds {
        acc = acc.wrapping_add(c.bump_n(i % 5));
    }
    acc
}

fn main() {
    let sq = Square { side: 3.0 };
    let tr = Triangle {
        base: 4.0,
        height: 5.0,
    };
    report(&sq);
    report(&tr);
    println!(
        "squares: {}",
        total_area(&[Square { side: 1.0 }, Square { side: 2.0 }])
    );
    println!("triangles: {}", total_area(&vec![tr]));
    println!("sides: {} {}", Square::SIDES, Triangle::SIDES);

    let vals = vec![Value::Int(42), Value::Float(2.5), Value::Nil];
    for v in &vals {
        println!("{} / {:?} / {}", v, v, v.to_string().len());
    }
    let list = List {
        items: vals.clone(),
    };
    println!("list: {}", list);
    let text = format!("<{}>", list);
    println!("{} chars", text.len());
    println!("{:>8}|", Value::Nil);

    let line = Line {
        tokens: vec![
            Token {
                kind: 1,
                text: String::from("let"),
            },
            Token {
                kind: 2,
                text: String::from("x\"y"),
            },
        ],
    };
    println!("{:?}", line);
    println!("{:?}", line.tokens[0]);

    let a = Version { major: 2, minor: 1 };
    let b = Version { major: 2, minor: 7 };
    let c = a.clone();
    println!(
        "eq: {} {} clone minor: {}",
        a == b,
        a != Version::default(),
        c.minor
    );
    let d = Version::default();
    println!("default: {}.{}", d.major, d.minor);

    let t = Celsius::from(21.456);
    print!("{}", t);

    let mut cd = Countdown { n: 4 };
    while let Some(k) = cd.next() {
        print!("{} ", k);
    }
    println!();

    let mut steps = Steps {
        count: 0,
        stride: 3,
    };
    println!("drive: {} count {}", drive(&mut steps, 30000), steps.count);
    println!("{}", summary(&vals));
}

/// `write!` into a `String` through `std::fmt::Write`.
fn summary(vals: &[Value]) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for (i, v) in vals.iter().enumerate() {
        write!(out, "{}={} ", i, v).unwrap();
    }
    writeln!(out, "({} values)", vals.len()).unwrap();
    let _ = write!(&mut out, "[{:>4}]", vals.len());
    out
}
