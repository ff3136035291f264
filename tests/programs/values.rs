//! Options, tuples and small structs built and taken apart: what the
//! backend optimisations turn into plain values (inlining, malloc
//! removal), next to the cases that must stay heap objects (stored in a
//! Vec, returned from a recursive function, shared, compared).

// The subset has no `?` and no closures yet (issue 7), and the unwrap after
// `is_some` is the shape under test.
#![allow(
    clippy::question_mark,
    clippy::manual_map,
    clippy::unnecessary_unwrap,
    clippy::manual_flatten,
    clippy::manual_unwrap_or,
    clippy::useless_vec
)]

struct Point {
    x: i64,
    y: i64,
}

struct Counter {
    hits: i64,
    last: Option<i64>,
}

fn half(n: i64) -> Option<i64> {
    if n % 2 == 0 {
        Some(n / 2)
    } else {
        None
    }
}

/// An Option of an Option.
fn nested(n: i64) -> Option<Option<i64>> {
    if n < 0 {
        None
    } else if n == 0 {
        Some(half(1))
    } else {
        Some(Some(n * 10))
    }
}

/// A tuple returned from a recursive function: (fib(n), fib(n + 1)).
fn fib_pair(n: u32) -> (u64, u64) {
    if n == 0 {
        return (0, 1);
    }
    let (a, b) = fib_pair(n - 1);
    (b, a + b)
}

fn divmod(a: i64, b: i64) -> (i64, i64) {
    (a / b, a % b)
}

fn add(p: Point, q: &Point) -> Point {
    Point {
        x: p.x + q.x,
        y: p.y + q.y,
    }
}

fn pop_two(v: &mut Vec<i64>) -> Option<(i64, i64)> {
    let b = match v.pop() {
        Some(b) => b,
        None => return None,
    };
    match v.pop() {
        Some(a) => Some((a, b)),
        None => None,
    }
}

fn main() {
    // Options from pop, matched, unwrapped, in a loop.
    let mut stack: Vec<i64> = Vec::new();
    for i in 0..10 {
        stack.push(i * i);
    }
    let mut total = 0;
    loop {
        match stack.pop() {
            Some(v) if v > 50 => total += v * 2,
            Some(v) => total += v,
            None => break,
        }
    }
    println!("total {}", total);

    // An Option chosen on one path, tested after the join.
    let mut evens = 0;
    let mut halves = 0;
    for n in 0..100 {
        let h = half(n);
        if h.is_some() {
            evens += 1;
            halves += h.unwrap();
        }
    }
    println!("evens {} halves {}", evens, halves);

    for n in [-1, 0, 7] {
        match nested(n) {
            None => println!("{}: none", n),
            Some(None) => println!("{}: some(none)", n),
            Some(Some(v)) => println!("{}: some(some({}))", n, v),
        }
    }

    let (a, b) = fib_pair(40);
    println!("fib {} {}", a, b);

    let mut q = 0;
    let mut r = 0;
    for i in 1..50 {
        let (d, m) = divmod(1000 + i, i);
        q += d;
        r += m;
    }
    println!("divmod {} {}", q, r);

    // A struct built per iteration and folded into an accumulator.
    let mut acc = Point { x: 0, y: 0 };
    for i in 0..20 {
        let step = Point { x: i, y: -i * 2 };
        acc = add(step, &acc);
    }
    println!("point {} {}", acc.x, acc.y);

    // Options stored in a Vec and in a struct stay objects.
    let mut kept: Vec<Option<i64>> = Vec::new();
    for n in 0..6 {
        kept.push(half(n));
    }
    let mut c = Counter {
        hits: 0,
        last: None,
    };
    for o in kept.iter() {
        if let Some(v) = o {
            c.hits += 1;
            c.last = Some(*v);
        }
    }
    let last = match c.last {
        Some(v) => v,
        None => -1,
    };
    println!("kept {} hits {} last {}", kept.len(), c.hits, last);

    let mut v = vec![3, 4, 5];
    while let Some((a, b)) = pop_two(&mut v) {
        println!("pair {} {}", a, b);
        v.push(a + b);
        if v.len() < 2 {
            break;
        }
    }
    println!("left {} {}", v.len(), v[0]);

    // A tuple that escapes into a Vec, and one compared field by field.
    let mut pairs: Vec<(i64, i64)> = Vec::new();
    for i in 0..4 {
        pairs.push(divmod(100, i + 1));
    }
    let mut same = 0;
    for p in pairs.iter() {
        let t = divmod(100, p.1 + 1);
        if t.0 == p.0 {
            same += 1;
        }
    }
    println!("pairs {} same {}", pairs.len(), same);

    // A variable that is only None until a later path sets it (a link
    // converts the None to the joined representation).
    for words in ["a bb ccc", "a b", "dddd e"] {
        let mut long = None;
        for w in words.split_whitespace() {
            if w.len() > 2 {
                long = Some(w.to_string());
                break;
            }
        }
        match long {
            Some(w) => println!("long word {}", w),
            None => println!("no long word in {}", words),
        }
    }
    let top = stack.last().copied();
    let digits = vec![5, 6, 7];
    let second = digits.get(1).cloned();
    println!("{} {}", top.unwrap_or(-1), second.unwrap_or(0));
    let inner: Option<i64> = None;
    let deep: Option<Option<i64>> = Some(inner);
    match deep {
        Some(None) => println!("some(none)"),
        _ => println!("other"),
    }
}
