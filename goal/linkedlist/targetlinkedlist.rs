//! The seed's GC benchmark: `make_linked_list(n)` builds a singly linked
//! list of `n` one-field nodes. Run with n = 4,000,000 it measures what one
//! node costs: with a one-word header, 16 bytes translated.
//!
//! Untranslated: `cargo run --release -p goal --bin targetlinkedlist -- 4000000`
//! Translated:   `translate --opt=2 goal/linkedlist/targetlinkedlist.rs && ./targetlinkedlist-c 4000000`

struct X {
    next: Option<Box<X>>,
}

fn make_linked_list(n: usize) -> Option<Box<X>> {
    let mut head: Option<Box<X>> = None;
    let mut i = 0;
    while i < n {
        head = Some(Box::new(X { next: head }));
        i += 1;
    }
    head
}

fn length(list: &Option<Box<X>>) -> usize {
    let mut count = 0;
    let mut cur = list;
    while let Some(node) = cur {
        count += 1;
        cur = &node.next;
    }
    count
}

/// The decimal number in `s` (the translator has no `parse` yet).
fn parse_count(s: &str) -> usize {
    let digits = s.as_bytes();
    let mut n: usize = 0;
    for &d in digits.iter() {
        if !d.is_ascii_digit() {
            eprintln!("error: `{}` is not a number", s);
            std::process::exit(2);
        }
        n = n * 10 + (d - b'0') as usize;
    }
    n
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 2 {
        eprintln!("usage: {} N", args[0]);
        std::process::exit(2);
    }
    let n = parse_count(&args[1]);
    let list = make_linked_list(n);
    println!("{} nodes", length(&list));
    // Exit without dropping the list: Rust's drop of a long `Box` chain is
    // recursive and would overflow the stack untranslated.
    std::process::exit(0);
}
