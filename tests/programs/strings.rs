//! String building and formatting: push, push_str, format!, println! with
//! Display/Debug and width, fill, alignment, precision, hex.

#![allow(clippy::all)]

fn greet(name: &str) -> String {
    let mut s = String::from("Hello, ");
    s.push_str(name);
    s.push('!');
    s
}

fn main() {
    let g = greet("world");
    println!("{} ({} bytes)", g, g.len());
    let mut line = String::new();
    for i in 0..5 {
        line.push_str(&format!("{}-", i));
    }
    println!("{}", line);
    println!(
        "[{:5}] [{:<5}] [{:^5}] [{:>5}] [{:05}]",
        42, 42, 42, 42, -42
    );
    println!("[{:*^9}] [{:8}] [{:>8}]", "mid", "left", "right");
    println!("{:x} {:X} {:#x} {:b} {:o} {:#010b}", 255, 255, 255, 5, 8, 5);
    println!("{:?} {:?} {:?}", "quote\"d\n", 'c', 3);
    println!("{} {} {} {}", 1.5, 0.1 + 0.2, 1.0, -0.0);
    println!("{:.3} {:8.2}", 1.23456, 2.5);
    println!("{} {}", true, 'x');
    let name = "inline";
    println!("{name} capture, {0} {0} positional, {n} named", 7, n = 9);
    eprintln!("to stderr: {}", g);
    let same = g == "Hello, world!";
    println!("eq {} {}", same, "abc" < "abd");
    println!("{{braces}}");
    // `for b in s.bytes()` (the loop help suggests it), forwards, with
    // indices and backwards, over multi-byte UTF-8.
    let u = String::from("héllo, wörld");
    let mut h: u32 = 7;
    for b in u.bytes() {
        h = h.wrapping_mul(31).wrapping_add(b as u32);
    }
    let mut at = 0;
    for (i, b) in u.bytes().enumerate() {
        if b == b'l' {
            at += i;
        }
    }
    let mut last = 0;
    for b in "xyz".bytes().rev() {
        last = last * 256 + b as u32;
    }
    println!("bytes {} {} {}", h, at, last);
    // Tests, trims, case maps and words.
    let line = String::from("  Let x = 42 + Foo;\t\n");
    let t = line.trim();
    println!("[{}] [{}] [{}]", t, line.trim_start(), line.trim_end());
    println!(
        "{} {} {} {} {}",
        t.starts_with("Let"),
        t.ends_with(";"),
        t.contains("42 +"),
        t.contains(""),
        t.starts_with("let")
    );
    println!("{} {}", t.to_lowercase(), t.to_uppercase());
    println!(
        "{} {}",
        "ÄÖü straße".to_lowercase(),
        "ÄÖü straße".to_uppercase()
    );
    println!(
        "{} {}",
        "ÄbC".to_ascii_lowercase(),
        "ÄbC".to_ascii_uppercase()
    );
    let mut words = 0;
    let mut longest = String::new();
    for w in line.split_whitespace() {
        words += 1;
        if w.len() > longest.len() {
            longest = w.to_string();
        }
    }
    println!("{} words, longest {}", words, longest);
    for w in "one two  three".split_whitespace() {
        print!("<{}>", w);
    }
    for w in " \t ".split_whitespace() {
        print!("never {}", w);
    }
    println!();
    // Chars, forwards, backwards and counted, over multi-byte UTF-8.
    let mut marked = String::new();
    let mut digits = 0;
    for c in "héllo wörld ✓ 42".chars() {
        if c.is_ascii_digit() {
            digits += 1;
        }
        if c == 'ö' || c == '✓' {
            marked.push('*');
        } else {
            marked.push(c);
        }
    }
    let mut back = String::new();
    for c in "abc✓".chars().rev() {
        back.push(c);
    }
    let mut at = 0;
    for (i, c) in "xyzy".chars().enumerate() {
        if c == 'y' {
            at += i;
        }
    }
    for c in "".chars() {
        print!("never {}", c);
    }
    println!("{} {} {} {}", marked, digits, back, at);
    let csv = String::from("a,b;✓");
    println!(
        "{} {} {} {} {}",
        csv.contains(','),
        csv.contains('x'),
        csv.starts_with('a'),
        csv.ends_with('✓'),
        csv.ends_with(';')
    );
    // Lines and pieces.
    let text = "first line\nsecond\r\n\nlast";
    let mut lines = 0;
    for l in text.lines() {
        lines += 1;
        print!("({})", l);
    }
    for p in "a,b,,c,".split(",") {
        print!("[{}]", p);
    }
    for p in "x--y".split("--") {
        print!("<{}>", p);
    }
    println!(" {}", lines);
    // Trimming patterns, replacing, repeating.
    let tag = "==key==";
    println!(
        "{} {} {} {} {}",
        tag.trim_matches('='),
        tag.trim_start_matches("=="),
        tag.trim_end_matches('='),
        "abab-ab".trim_start_matches("ab").trim_end_matches("ab"),
        "xx".trim_matches('x').is_empty()
    );
    println!(
        "{} {} [{}] {}",
        "a-b-c".replace("-", "+"),
        "ööö".replace("ö", "oe"),
        "abc".replace("", "."),
        "ab".repeat(3)
    );
    let n: usize = 2;
    println!("{}|{}", "-".repeat(n), "x".repeat(0));
}
