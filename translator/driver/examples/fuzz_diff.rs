//! Differential fuzzing: mutates RRust programs like `fuzz_pipeline`, and
//! for every mutant that both rustc and `translate` accept, runs the two
//! executables (the translated one also in the collector's stress mode) and
//! compares stdout, stderr and exit code. A difference is a miscompilation
//! (the translator must reject what it cannot do exactly) or a GC bug.
//!
//!     cargo run --release -p translate --example fuzz_diff -- [--rounds N] [--jit] FILES...
//!
//! With `--jit` the mutants are translated at `--opt=jit` and run with the
//! JIT at low thresholds (bridges at once, and with GC stress); programs
//! with JIT hints are built by rustc without them. Needs `rustc` on the
//! PATH. `tests/fuzz_round.rs` runs a short round of it in CI.

mod common;

fn main() {
    let mut argv: Vec<String> = std::env::args().collect();
    let jit = argv.iter().any(|a| a == "--jit");
    argv.retain(|a| a != "--jit");
    let (rounds, files) = common::args_from(argv, 40);
    let cfg = common::diff::Config {
        rounds,
        jit,
        seed: 0x1234_5678_9abc_def1,
        dir: std::env::temp_dir().join(format!("rrust-fuzz-diff-{}", std::process::id())),
    };
    let out = common::diff::run_files(&files, &cfg);
    for d in &out.differ {
        eprintln!("DIFFERENT: {d}");
    }
    println!(
        "{} runs of mutants compared, {} behave differently",
        out.compared,
        out.differ.len()
    );
    if !out.differ.is_empty() {
        std::process::exit(1);
    }
}
