//! Mutates RRust programs (deletes, duplicates and swaps lines, swaps
//! operators and type names) and runs every stage up to machine code on
//! each mutant: the translator must answer Ok or a diagnostic, never panic.
//!
//!     cargo run --release -p translate --example fuzz_pipeline -- [--rounds N] FILES...

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};

/// Token swaps that keep a program parsable but change its types or ops.
const SWAPS: &[(&str, &str)] = &[
    ("u8", "i32"),
    ("usize", "u8"),
    ("i64", "f64"),
    (" + ", " - "),
    (" * ", " / "),
    (" < ", " == "),
    ("&mut ", "&"),
    ("Vec<", "Option<"),
    ("String", "u64"),
    ("0", "300"),
    ("1", "-1"),
    (".len()", ".is_empty()"),
    ("Some(", "Ok("),
];

fn main() {
    let (rounds, files) = common::args(300);
    let mut rng = common::Rng::new(0x9e37_79b9_7f4a_7c15);
    // Panics are what we look for; keep the default hook from printing
    // each one, and report them ourselves.
    std::panic::set_hook(Box::new(|_| {}));
    let (mut runs, mut accepted, mut panics) = (0, 0, 0);
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        for _ in 0..rounds {
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            for _ in 0..(1 + rng.below(3)) {
                if lines.is_empty() {
                    break;
                }
                let i = rng.below(lines.len());
                let j = rng.below(lines.len());
                match rng.below(4) {
                    0 => {
                        lines.remove(i);
                    }
                    1 => {
                        let x = lines[j].clone();
                        lines.insert(i, x);
                    }
                    2 => lines.swap(i, j),
                    _ => common::swap_token(&mut lines[i], SWAPS, &mut rng),
                }
            }
            let src = lines.join("\n");
            runs += 1;
            let r = catch_unwind(AssertUnwindSafe(|| through_codegen(path, &src)));
            match r {
                Ok(true) => accepted += 1,
                Ok(false) => {}
                Err(_) => {
                    panics += 1;
                    let out = format!("/tmp/fuzz-panic-{panics}.rs");
                    let _ = std::fs::write(&out, &src);
                    eprintln!("PANIC on a mutant of {path}; saved as {out}");
                }
            }
        }
    }
    println!("{runs} mutants, {accepted} accepted through code generation, {panics} panics");
    if panics > 0 {
        std::process::exit(1);
    }
}

/// Runs flow building, annotation, rtyping and Cranelift; true if accepted.
fn through_codegen(path: &str, src: &str) -> bool {
    let mut sources = flowspace::SourceMap::default();
    let Ok(mut program) = flowspace::frontend::build_program(&mut sources, path, src) else {
        return false;
    };
    let Ok(ann) = annotator::annotate(&mut program) else {
        return false;
    };
    let Ok(ll) = rtyper::rtype(&program, &ann, &sources) else {
        return false;
    };
    backends::compile(&ll).is_ok()
}
