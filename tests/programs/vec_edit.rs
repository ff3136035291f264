//! `Vec::insert`, `remove`, `reverse`, `truncate` and `sort` on numbers,
//! chars, strings and structs, with std's panics for a bad index.
#![allow(dead_code, clippy::all)]

#[derive(Debug, Clone)]
struct Task {
    name: String,
    prio: u8,
}

fn insert_sorted(v: &mut Vec<i64>, x: i64) {
    let mut i = 0;
    while i < v.len() && v[i] < x {
        i += 1;
    }
    v.insert(i, x);
}

fn main() {
    let mut v: Vec<i64> = Vec::new();
    for x in [5, 1, 4, 1, 5, 9, 2, 6, 5, 3] {
        insert_sorted(&mut v, x);
    }
    println!("{:?}", v);
    let first = v.remove(0);
    let last = v.remove(v.len() - 1);
    println!("{} {} {:?}", first, last, v);
    v.reverse();
    v.truncate(4);
    v.truncate(10);
    println!("{:?}", v);
    let mut words: Vec<String> = "the quick brown fox jumps over the lazy dog"
        .split_whitespace()
        .map(|w| w.to_string())
        .collect();
    words.sort();
    words.insert(1, "a".to_string());
    let w = words.remove(3);
    println!("{} {:?}", w, words);
    let mut tasks = vec![Task {
        name: "b".into(),
        prio: 2,
    }];
    tasks.insert(
        0,
        Task {
            name: "a".into(),
            prio: 1,
        },
    );
    tasks.insert(
        2,
        Task {
            name: "c".into(),
            prio: 3,
        },
    );
    let t = tasks.remove(1);
    tasks.reverse();
    println!("{:?} {:?}", t, tasks);
    let mut cs: Vec<char> = "héllo".chars().collect();
    cs.insert(0, 'ü');
    cs.reverse();
    let c = cs.remove(2);
    println!("{} {:?}", c, cs);
    let mut big: Vec<u64> = Vec::new();
    for i in 0..2000u64 {
        big.insert(big.len() / 2, i);
    }
    let mut s = 0u64;
    for i in 0..1000 {
        s = s.wrapping_mul(31).wrapping_add(big.remove(i % big.len()));
    }
    println!("{} {}", big.len(), s);
    let mut nested: Vec<Vec<i64>> = Vec::new();
    for i in 0..50 {
        nested.insert(0, vec![i; 3]);
    }
    nested.reverse();
    let r = nested.remove(10);
    println!("{:?} {:?} {}", r, nested[0], nested.len());
    let n = v.len();
    v.insert(n + 2, 7);
}
