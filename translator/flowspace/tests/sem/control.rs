struct Counter {
    hits: Vec<i64>,
    total: i64,
}

impl Counter {
    fn new(n: usize) -> Counter {
        Counter { hits: vec![0; n], total: 0 }
    }
    fn hit(&mut self, i: usize) {
        self.hits[i] += 1;
        self.total += 1;
    }
}

const LIMIT: i64 = 3 * 4 - 2;

fn classify(x: i64) -> &'static str {
    match x {
        0 => "zero",
        1 | 2 | 3 => "small",
        n if n < 0 => "negative",
        n if n % 2 == 0 && n < LIMIT => "even",
        4..=9 => "odd-mid",
        _ => "big",
    }
}

fn find(v: &[i64], target: i64) -> Option<usize> {
    for (i, &x) in v.iter().enumerate() {
        if x == target {
            return Some(i);
        }
    }
    None
}

fn sc(v: &Vec<i64>, i: usize) -> bool {
    i < v.len() && v[i] > 2 || i == 99
}

fn main() {
    let mut c = Counter::new(4);
    let xs = vec![-5, 0, 1, 3, 4, 7, 8, 10, 12];
    for &x in xs.iter() {
        let k = classify(x);
        let slot = match k {
            "zero" => 0,
            "small" => 1,
            "negative" => 2,
            _ => 3,
        };
        c.hit(slot);
        print!("{}:{} ", x, k);
    }
    println!();
    println!("hits {} {} {} {} total {}", c.hits[0], c.hits[1], c.hits[2], c.hits[3], c.total);
    // shadowing and block scopes
    let a = 1;
    let b = {
        let a = a + 10;
        a * 2
    };
    let a = a + b;
    println!("a={a} b={b}");
    // while let, loop with break value, labelled continue
    let mut stack = vec![1, 2, 3];
    let mut acc = 0;
    while let Some(top) = stack.pop() {
        acc = acc * 10 + top;
    }
    let mut i = 0;
    let r = loop {
        i += 1;
        if i == 5 {
            break i * 100;
        }
    };
    let mut pairs = 0;
    'outer: for p in 0..5 {
        for q in 0..5 {
            if q > p {
                continue 'outer;
            }
            if p == 4 {
                break 'outer;
            }
            pairs += 1;
        }
    }
    println!("acc={} r={} pairs={}", acc, r, pairs);
    // ranges
    let mut s = String::new();
    for i in (1..4).rev() {
        s = format!("{}{}", s, i);
    }
    for i in (1..=3).rev() {
        s = format!("{}{}", s, i);
    }
    for i in 250..=255u8 {
        s = format!("{}.{}", s, i);
    }
    println!("{}", s);
    // Option matching, if let / else if let
    match find(&xs, 7) {
        Some(i) if i > 100 => println!("far"),
        Some(i) => println!("found at {}", i),
        None => println!("missing"),
    }
    let o = find(&xs, 99);
    if let Some(i) = o {
        println!("?? {}", i);
    } else if let Some(j) = find(&xs, 12) {
        println!("12 at {j}");
    }
    // tuples and destructuring
    let (q, mut w) = (3, 4);
    w += q;
    let t = (q, (w, 'z'));
    let (x1, (x2, ch)) = t;
    println!("{} {} {} {:?} {:>4}|{:<3}|{:^5}|{:03}", x1, x2, ch, ch, x1, x2, "ab", 7);
    // short circuit with side effects
    let v = vec![1, 5];
    println!("{} {} {}", sc(&v, 0), sc(&v, 1), sc(&v, 7));
    let mut n = 0;
    let mut calls = vec![0];
    if n > 0 && { calls[0] += 1; true } {
        n += 1;
    }
    if n == 0 || { calls[0] += 10; false } {
        n += 2;
    }
    println!("n={} calls={}", n, calls[0]);
    let bytes = b"az[";
    for &bt in bytes.iter() {
        let m = match bt {
            b'a'..=b'm' => 1,
            b'[' if n == 3 => 2,
            b'[' => 3,
            _ => 4,
        };
        print!("{}", m);
    }
    println!();
    let chars = vec!['x', 'y', '?'];
    for (i, c) in chars.iter().enumerate() {
        let kind = match c {
            'x' | 'y' => "letter",
            _ => "other",
        };
        print!("{}{} ", i, kind);
    }
    println!();
    assert!(n == 2, "n was {}", n);
    assert_eq!(pairs, 7);
    println!("done");
}
