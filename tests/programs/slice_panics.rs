//! One failing sub-slice per case number read from stdin: each must panic
//! with std's message at the `[...]` of the slice (tests/tests/slices.rs
//! runs every case).

#![allow(dead_code, clippy::all)]

fn main() {
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).unwrap();
    let case: usize = line.trim().parse().unwrap();
    let v = vec![1u8, 2, 3, 4];
    let arr = [10i64, 20, 30];
    let s = String::from("aéb");
    let long = format!("{}é{}", "a".repeat(255), "z");
    let k = case % 2; // 0 or 1, unknown to the translator
    let m = usize::MAX - k;
    match case / 2 {
        0 => println!("{:?}", &v[1..5 + k]),
        1 => println!("{:?}", &v[5 + k..]),
        2 => println!("{:?}", &v[3 + k..2]),
        3 => println!("{:?}", &v[..=m]),
        4 => println!("{:?}", &v[k..=4]),
        5 => println!("{:?}", &arr[1..4 + k]),
        6 => {
            let sl: &[u8] = &v[1..];
            println!("{:?}", &sl[1..7 + k]);
        }
        7 => println!("{}", &s[2 + k * 4..]),
        8 => println!("{}", &s[..9 + k]),
        9 => println!("{}", &s[3..1 + k]),
        10 => println!("{}", &s[k..=m]),
        11 => println!("{}", &s[k..2]),
        12 => println!("{}", &s[..=1 + k * 3]),
        13 => println!("{}", &long[256..257 + k * 100]),
        14 => println!("{}", &long[3..1000 + k]),
        _ => println!("{}", &"x\n'"[1 + k..9]),
    }
}
