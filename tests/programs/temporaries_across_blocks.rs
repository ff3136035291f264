//! Values evaluated before a later operand that branches (`if`, `match`,
//! `&&`, `||`, `if let`, loops, `break` with a value, `continue`, `assert!`)
//! and used after it: a method receiver, earlier call and method arguments,
//! the left operand of a binary op, earlier fields of struct, tuple and
//! array literals, an index base, the value and the place of an assignment,
//! format arguments and a range's start.

#![allow(clippy::all)]

struct P {
    x: i64,
    y: i64,
}

impl P {
    fn sum(&self) -> i64 {
        self.x * 10 + self.y
    }
    fn scaled(&self, a: i64, b: i64) -> i64 {
        self.x * a + self.y * b
    }
}

fn add3(x: i64, y: i64, z: i64) -> i64 {
    x * 100 + y * 10 + z
}

fn pick(c: bool) -> i64 {
    if c {
        1
    } else {
        2
    }
}

fn vals(n: i64) -> Vec<i64> {
    let mut v = Vec::new();
    for i in 0..n {
        v.push(i * 3 + 1);
    }
    v
}

fn show(v: &Vec<i64>) -> String {
    let mut s = String::from("[");
    for i in 0..v.len() {
        if i > 0 {
            s.push_str(", ");
        }
        s.push_str(&format!("{}", v[i]));
    }
    s.push_str("]");
    s
}

fn receivers(a: i64, b: i64) {
    let mut m = Vec::new();
    m.push(if a < b { 1 } else { 0 });
    m.push(match b {
        2 => 20,
        3 => 30,
        _ => 40,
    });
    m.push(if a < b && b < 3 { 5 } else { 6 });
    m.push(if a > b || b == 2 { 7 } else { 8 });
    m.push(loop {
        break a + b;
    });
    m.push({
        let mut s = 0;
        for i in 0..b {
            s += i;
        }
        s
    });
    m.push({
        let mut k = 0;
        while k < a {
            k += 1;
        }
        k
    });
    let last = m.pop();
    m.push(if let Some(k) = last { k * 2 } else { -1 });
    println!("receivers {}", show(&m));
}

fn arguments(a: i64, b: i64) {
    let p = P { x: a, y: b };
    println!(
        "args {} {} {}",
        add3(
            a,
            if a < b { 2 } else { 3 },
            match b {
                2 => 4,
                _ => 5,
            }
        ),
        add3(a + b, pick(a < b && b > 1), {
            let mut s = 0;
            for x in vals(b).iter() {
                s += *x;
            }
            s % 10
        }),
        p.scaled(a + 1, if a < b || b == 0 { 10 } else { 20 })
    );
}

fn operands(a: i64, b: i64) {
    let x = (a + 1) * if a < b { 2 } else { 3 };
    let y = (a * 2)
        - match b {
            7 => 1,
            _ => 2,
        };
    let z = (a < b) == (b > 6 && a > 4);
    let w = (b - a) + if a > b || a == 5 { 100 } else { 200 };
    let u = (a + b) as i32 + if let Some(k) = Some(a) { k as i32 } else { 0 };
    let s = (a << 2)
        ^ loop {
            if b > 0 {
                break b;
            }
        };
    println!("operands {} {} {} {} {} {}", x, y, z, w, u, s);
}

fn literals(a: i64, b: i64) {
    let p = P {
        x: a + 1,
        y: if a < b { 5 } else { 6 },
    };
    let q = P {
        y: a * 2,
        x: match b {
            4 => 9,
            _ => 0,
        },
    };
    let t = (a + 1, if a < b { 10 } else { 20 }, a < b && b > 3);
    let arr = [
        a * 2,
        if a > b { 1 } else { 2 },
        match a {
            3 => 30,
            _ => 0,
        },
    ];
    let v = vec![a - 1, if b == 4 || a == 0 { 40 } else { 41 }];
    let r = vec![a + 2; if a < b { 3 } else { 1 }];
    println!(
        "literals {} {} ({}, {}, {}) [{}, {}, {}] {} {}",
        p.sum(),
        q.sum(),
        t.0,
        t.1,
        t.2,
        arr[0],
        arr[1],
        arr[2],
        show(&v),
        show(&r)
    );
}

fn indexing(a: usize, b: usize) {
    let v = vals(5);
    let x = v[if a < b { 1 } else { 0 }];
    let y = vals(4)[match b {
        2 => 3,
        _ => 0,
    }];
    let z = v[(a + b) - if a == 0 && b == 2 { 1 } else { 0 }];
    println!("indexing {} {} {}", x, y, z);
}

fn assignments(a: i64, b: i64) {
    let mut v = vals(3);
    v[if a < b { 0 } else { 1 }] = a + 10;
    v[match b {
        2 => 1,
        _ => 0,
    }] += a * 5;
    v[2] += if a < b { 100 } else { 200 };
    let mut p = P { x: 0, y: 0 };
    p.x = if a == 1 || b == 0 { 3 } else { 4 };
    p.y += match a {
        1 => 6,
        _ => 7,
    };
    let mut w = vec![vals(3), vals(3)];
    w[a as usize][if b > a { 2 } else { 0 }] = b * 100;
    println!(
        "assignments {} {} {} {}",
        show(&v),
        p.sum(),
        show(&w[0]),
        show(&w[1])
    );
}

fn formatting(a: i64, b: i64) {
    println!(
        "format {} {} {}",
        a + 1,
        if a < b { "lt" } else { "ge" },
        match b {
            5 => 50,
            _ => 0,
        }
    );
    let s = format!("{}-{}", a * b, a < b && b > 4);
    println!("format {} {x}", s, x = if a > 0 { a } else { b });
}

fn loops_and_checks(a: i64, b: i64) {
    let mut s = 0;
    for i in a + 1..if a < b { 5 } else { 6 } {
        s += i;
    }
    let t = add3(
        a,
        {
            assert!(a < b);
            2
        },
        {
            assert_eq!(a + 2, b);
            3
        },
    );
    let mut n = 0;
    while n < 5 {
        n += 1;
        let k = add3(
            n,
            if n == 2 { continue } else { 1 },
            if n == 4 { break } else { 0 },
        );
        s += k;
    }
    println!("loops {} {} {}", s, t, n);
}

fn main() {
    for (a, b) in [(1, 2), (2, 3), (3, 2)] {
        receivers(a, b);
        arguments(a, b);
    }
    operands(5, 7);
    operands(6, 1);
    literals(3, 4);
    literals(5, 0);
    indexing(0, 2);
    indexing(2, 1);
    assignments(1, 2);
    assignments(0, 1);
    formatting(4, 5);
    formatting(-1, 3);
    loops_and_checks(1, 3);
}
