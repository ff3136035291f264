//! The benchmark runner (DESIGN §5). In one run, side by side, it measures
//! - the translation time and peak memory of `translate` on each goal target
//!   (and of `--opt=jit` on the Brainfuck interpreter);
//! - the run time of the translated Brainfuck interpreter (`--opt=2`, and
//!   `--opt=jit` with the JIT's default settings) against the untranslated
//!   one built by `cargo --release` from the same source, on the Brainfuck
//!   programs given on the command line;
//! - the bytecode VM `targetvm` on its built-in programs (`VM_RUNS`) and
//!   the stack VM `targetstack` on its own (`STACK_RUNS`) and the register
//!   VM `targetregvm` over enum values (`REGVM_RUNS`) and the regular-
//!   expression VM `targetregex` (`REGEX_RUNS`) and the dynamic language
//!   `targetlang` (`LANG_RUNS`) and the calculator `targetcalc`
//!   (`CALC_RUNS`), the same three builds side by side;
//! - what the JIT did in each of these (loops, bridges, aborts, time
//!   tracing, optimising and compiling: `PYPYLOG=jit-summary`);
//! - the GC benchmark: `targetlinkedlist N` translated and untranslated,
//!   wall time, peak RSS and bytes per node (the slope of peak RSS between
//!   N/2 and N nodes);
//!
//! and prints the ratios.
//!
//!     cargo run --release -p rrtests --bin bench -- [--runs N] [--nodes N] prog.b ...
//!
//! A program's stdin is `prog.b.in` when that file exists. Outputs of both
//! builds are compared, so a wrong result cannot pass as a fast one.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const GOAL_TARGETS: &[&str] = &[
    "goal/bf/targetbf.rs",
    "goal/linkedlist/targetlinkedlist.rs",
    "goal/vm/targetvm.rs",
    "goal/stack/targetstack.rs",
    "goal/regvm/targetregvm.rs",
    "goal/regex/targetregex.rs",
    "goal/lang/targetlang.rs",
    "goal/calc/targetcalc.rs",
];

/// The calculator's generated programs (no merge point: its `--opt=jit`
/// build shows what a JIT build costs a program without one).
const CALC_RUNS: &[&[&str]] = &[&["bench", "300000"]];

/// The dynamic language's built-in programs and their sizes.
const LANG_RUNS: &[&[&str]] = &[
    &["bench", "fib", "25"],
    &["bench", "loop", "1000000"],
    &["bench", "lists", "300000"],
    &["bench", "closures", "200000"],
];

/// The regular-expression VM's runs: a pattern over generated text.
const REGEX_RUNS: &[&[&str]] = &[
    &["count", "[a-f]+[0-9]|s(t|o)+", "5000000"],
    &["count", "[^ ]+ [^ ]+", "200000"],
];

/// The register VM's built-in programs and their sizes.
const REGVM_RUNS: &[&[&str]] = &[
    &["fib", "30"],
    &["loop", "20000000"],
    &["float", "10000000"],
];

/// The stack VM's built-in programs and their sizes.
const STACK_RUNS: &[&[&str]] = &[&["fib", "32"], &["sieve", "5000000"], &["sum", "10000000"]];

/// The bytecode VM's built-in programs and their sizes.
const VM_RUNS: &[&[&str]] = &[
    &["loops", "300000"],
    &["float", "1000"],
    &["collatz", "1000000"],
];

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let runs = take_number(&mut args, "--runs").unwrap_or(1) as usize;
    let nodes = take_number(&mut args, "--nodes").unwrap_or(4_000_000);
    if args.is_empty() {
        eprintln!("bench: no Brainfuck program given (e.g. ../shared/bf/mandelbrot.b): only translation and the linked list are measured");
    }
    let root = rrtests::workspace_root();
    let out_dir = root.join("target/bench");
    std::fs::create_dir_all(&out_dir).unwrap_or_else(|e| fail(&format!("{e}")));

    println!("== building translate and the untranslated targets (cargo build --release)");
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--release", "-p", "translate", "-p", "goal"])
        .status()
        .unwrap_or_else(|e| fail(&format!("cannot run cargo: {e}")));
    if !status.success() {
        fail("cargo build --release -p translate -p goal failed");
    }

    println!("\n== translation (--opt=2): wall time and peak memory of `translate`");
    let translate_exe = root.join("target/release/translate");
    let mut translated = Vec::new();
    for target in GOAL_TARGETS {
        let stem = Path::new(target)
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy();
        let exe = out_dir.join(format!("{stem}-c"));
        let exe_arg = exe.to_string_lossy().into_owned();
        let t = Instant::now();
        let (_, code, peak) = rrtests::run_peak_rss(
            &translate_exe,
            &["--opt=2", "--output", &exe_arg, target],
            &[],
        );
        if code != Some(0) {
            fail(&format!(
                "translating {target} failed (run translate on it to see why)"
            ));
        }
        println!(
            "{target:<40} {:>8.2?} {:>8.1} MB",
            t.elapsed(),
            peak as f64 / (1 << 20) as f64
        );
        translated.push(exe);
    }

    // The interpreters with a JIT merge point, also at --opt=jit.
    let mut jit_exes = Vec::new();
    for target in [
        GOAL_TARGETS[0],
        GOAL_TARGETS[2],
        GOAL_TARGETS[3],
        GOAL_TARGETS[4],
        GOAL_TARGETS[5],
        GOAL_TARGETS[6],
        GOAL_TARGETS[7],
    ] {
        let stem = Path::new(target)
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy();
        let exe = out_dir.join(format!("{stem}-jit-c"));
        let arg = exe.to_string_lossy().into_owned();
        let t = Instant::now();
        let (_, code, peak) = rrtests::run_peak_rss(
            &translate_exe,
            &["--opt=jit", "--output", &arg, target],
            &[],
        );
        if code != Some(0) {
            fail(&format!("translating {target} with --opt=jit failed"));
        }
        println!(
            "{:<40} {:>8.2?} {:>8.1} MB",
            format!("{target} --opt=jit"),
            t.elapsed(),
            peak as f64 / (1 << 20) as f64
        );
        jit_exes.push(exe);
    }
    let jit_exe = jit_exes[0].clone();

    let untranslated = root.join("target/release/targetbf");

    println!("\n== run time, best of {runs} (wall seconds; ratios to the untranslated build)");
    println!(
        "{:<32} {:>12} {:>10} {:>10} {:>8} {:>8}",
        "program", "untranslated", "--opt=2", "--opt=jit", "O2", "jit"
    );
    for prog in &args {
        let input_path = PathBuf::from(format!("{prog}.in"));
        let input = std::fs::read(&input_path).unwrap_or_default();
        let (t_u, out_u) = best_of(runs, &untranslated, prog, &input);
        let (t_t, out_t) = best_of(runs, &translated[0], prog, &input);
        let (t_j, out_j) = best_of(runs, &jit_exe, prog, &input);
        for (what, out) in [("--opt=2", &out_t), ("--opt=jit", &out_j)] {
            if out_u != *out {
                fail(&format!(
                    "{prog}: the {what} interpreter printed different bytes"
                ));
            }
        }
        let u = t_u.as_secs_f64();
        println!(
            "{:<32} {:>12.3} {:>10.3} {:>10.3} {:>7.2}x {:>7.2}x",
            prog,
            u,
            t_t.as_secs_f64(),
            t_j.as_secs_f64(),
            t_t.as_secs_f64() / u,
            t_j.as_secs_f64() / u
        );
    }

    println!("\n== the JIT's work (one more --opt=jit run each, PYPYLOG=jit-summary)");
    println!(
        "{:<32} {:>6} {:>8} {:>7} {:>11} {:>11} {:>11}",
        "program", "loops", "bridges", "aborts", "tracing ms", "optimis. ms", "backend ms"
    );
    for prog in &args {
        let input = std::fs::read(format!("{prog}.in")).unwrap_or_default();
        let s = jit_summary(&out_dir, &jit_exe, &[prog.as_str()], &input);
        print_summary(prog, &s);
    }
    for args in VM_RUNS {
        let s = jit_summary(&out_dir, &jit_exes[1], args, &[]);
        print_summary(&format!("vm {}", args.join(" ")), &s);
    }
    for args in STACK_RUNS {
        let s = jit_summary(&out_dir, &jit_exes[2], args, &[]);
        print_summary(&format!("stack {}", args.join(" ")), &s);
    }
    for args in REGVM_RUNS {
        let s = jit_summary(&out_dir, &jit_exes[3], args, &[]);
        print_summary(&format!("regvm {}", args.join(" ")), &s);
    }
    for args in REGEX_RUNS {
        let s = jit_summary(&out_dir, &jit_exes[4], args, &[]);
        print_summary(&format!("regex {}", args.join(" ")), &s);
    }
    for args in LANG_RUNS {
        let s = jit_summary(&out_dir, &jit_exes[5], args, &[]);
        print_summary(&format!("lang {}", args[1..].join(" ")), &s);
    }

    vm_table(
        runs,
        "targetvm",
        VM_RUNS,
        &root.join("target/release/targetvm"),
        &translated[2],
        &jit_exes[1],
    );
    vm_table(
        runs,
        "targetstack",
        STACK_RUNS,
        &root.join("target/release/targetstack"),
        &translated[3],
        &jit_exes[2],
    );
    vm_table(
        runs,
        "targetregvm",
        REGVM_RUNS,
        &root.join("target/release/targetregvm"),
        &translated[4],
        &jit_exes[3],
    );
    vm_table(
        runs,
        "targetregex",
        REGEX_RUNS,
        &root.join("target/release/targetregex"),
        &translated[5],
        &jit_exes[4],
    );
    vm_table(
        runs,
        "targetlang",
        LANG_RUNS,
        &root.join("target/release/targetlang"),
        &translated[6],
        &jit_exes[5],
    );

    vm_table(
        runs,
        "targetcalc",
        CALC_RUNS,
        &root.join("target/release/targetcalc"),
        &translated[7],
        &jit_exes[6],
    );

    linked_list(
        runs,
        nodes,
        &root.join("target/release/targetlinkedlist"),
        &translated[1],
    );
}

/// One VM's programs, its three builds side by side.
fn vm_table(
    runs: usize,
    name: &str,
    programs: &[&[&str]],
    untranslated: &Path,
    o2: &Path,
    jit: &Path,
) {
    println!("\n== {name}, best of {runs} (wall seconds)");
    println!(
        "{:<32} {:>12} {:>10} {:>10} {:>8} {:>8}",
        "program", "untranslated", "--opt=2", "--opt=jit", "O2", "jit"
    );
    for args in programs {
        let (t_u, out_u) = best_of_args(runs, untranslated, args);
        let (t_t, out_t) = best_of_args(runs, o2, args);
        let (t_j, out_j) = best_of_args(runs, jit, args);
        if out_u != out_t || out_u != out_j {
            fail(&format!(
                "{name} {args:?}: a translated build printed different bytes"
            ));
        }
        let u = t_u.as_secs_f64();
        println!(
            "{:<32} {:>12.3} {:>10.3} {:>10.3} {:>7.2}x {:>7.2}x",
            args.join(" "),
            u,
            t_t.as_secs_f64(),
            t_j.as_secs_f64(),
            t_t.as_secs_f64() / u,
            t_j.as_secs_f64() / u
        );
    }
}

fn best_of_args(runs: usize, exe: &Path, args: &[&str]) -> (Duration, Vec<u8>) {
    let mut best = Duration::MAX;
    let mut output = Vec::new();
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let out = Command::new(exe)
            .args(args)
            .output()
            .unwrap_or_else(|e| fail(&format!("cannot run {}: {e}", exe.display())));
        let e = t.elapsed();
        if !out.status.success() {
            fail(&format!(
                "{} {args:?} failed: {}",
                exe.display(),
                out.status
            ));
        }
        best = best.min(e);
        output = out.stdout;
    }
    (best, output)
}

/// The seed's GC benchmark: time, peak RSS and the bytes one node costs
/// (peak RSS with `nodes` nodes minus peak RSS with none, per node).
fn linked_list(runs: usize, nodes: u64, untranslated: &Path, translated: &Path) {
    println!("\n== linked list of {nodes} nodes (targetlinkedlist), best of {runs}");
    println!(
        "{:<14} {:>9} {:>14} {:>14} {:>12}",
        "build", "seconds", "peak RSS (MB)", "bytes/node", "RSS at N=0"
    );
    let n = nodes.to_string();
    let mut rows = Vec::new();
    for (name, exe) in [("untranslated", untranslated), ("translated", translated)] {
        let mut best = (Duration::MAX, 0u64);
        for _ in 0..runs.max(1) {
            let t = Instant::now();
            let (out, code, peak) = rrtests::run_peak_rss(exe, &[&n], &[]);
            let e = t.elapsed();
            if code != Some(0) || out != format!("{nodes} nodes\n").as_bytes() {
                fail(&format!(
                    "{} {nodes} failed or printed the wrong count",
                    exe.display()
                ));
            }
            if e < best.0 {
                best = (e, peak);
            }
        }
        // The marginal cost of a node: the slope of peak RSS between N/2
        // and N nodes, so fixed costs (the binary, the nursery) drop out.
        let half = nodes / 2;
        let (_, _, at_half) = rrtests::run_peak_rss(exe, &[&half.to_string()], &[]);
        let (_, _, base) = rrtests::run_peak_rss(exe, &["0"], &[]);
        let per_node = best.1.saturating_sub(at_half) as f64 / (nodes - half).max(1) as f64;
        println!(
            "{:<14} {:>9.3} {:>14.1} {:>14.1} {:>12.1}",
            name,
            best.0.as_secs_f64(),
            best.1 as f64 / (1 << 20) as f64,
            per_node,
            base as f64 / (1 << 20) as f64
        );
        rows.push(best);
    }
    println!(
        "ratio translated/untranslated: time {:.2}x, peak RSS {:.2}x",
        rows[1].0.as_secs_f64() / rows[0].0.as_secs_f64(),
        rows[1].1 as f64 / rows[0].1 as f64
    );
}

fn best_of(runs: usize, exe: &Path, prog: &str, input: &[u8]) -> (Duration, Vec<u8>) {
    let mut best = Duration::MAX;
    let mut output = Vec::new();
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let out = run(exe, prog, input);
        let e = t.elapsed();
        if e < best {
            best = e;
        }
        output = out;
    }
    (best, output)
}

fn run(exe: &Path, prog: &str, input: &[u8]) -> Vec<u8> {
    run_with(exe, &[prog], input, &[])
}

/// `exe args` with `input` on stdin and `env` set; its stdout (a failure
/// ends the runner).
fn run_with(exe: &Path, args: &[&str], input: &[u8], env: &[(&str, &str)]) -> Vec<u8> {
    use std::io::Write;
    let mut child = Command::new(exe)
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        // The stack VM reports its step count on stderr.
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| fail(&format!("cannot run {}: {e}", exe.display())));
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(input);
    }
    let out = child
        .wait_with_output()
        .unwrap_or_else(|e| fail(&format!("{e}")));
    if !out.status.success() {
        fail(&format!(
            "{} {args:?} failed: {}",
            exe.display(),
            out.status
        ));
    }
    out.stdout
}

/// What `PYPYLOG=jit-summary` reports: loops, bridges, aborts, and the
/// milliseconds spent tracing, optimising and compiling.
#[derive(Default)]
struct Summary {
    counts: [u64; 3],
    millis: [f64; 3],
}

/// Runs `exe args` once with the JIT's summary log on and reads it.
fn jit_summary(out_dir: &Path, exe: &Path, args: &[&str], input: &[u8]) -> Summary {
    let log = out_dir.join("jit-summary.log");
    let _ = std::fs::remove_file(&log);
    let pypylog = format!("jit-summary:{}", log.display());
    run_with(exe, args, input, &[("PYPYLOG", pypylog.as_str())]);
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    let mut s = Summary::default();
    for line in text.lines() {
        let Some((key, rest)) = line.split_once(':') else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let number = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok());
        match key.trim() {
            "Loops" => s.counts[0] = number(0).unwrap_or(0.0) as u64,
            "Bridges" => s.counts[1] = number(0).unwrap_or(0.0) as u64,
            "Aborts" => s.counts[2] = number(0).unwrap_or(0.0) as u64,
            "Tracing" => s.millis[0] = number(1).unwrap_or(0.0),
            "Optimizer" => s.millis[1] = number(1).unwrap_or(0.0),
            "Backend" => s.millis[2] = number(1).unwrap_or(0.0),
            _ => {}
        }
    }
    s
}

fn print_summary(name: &str, s: &Summary) {
    println!(
        "{:<32} {:>6} {:>8} {:>7} {:>11.1} {:>11.1} {:>11.1}",
        name, s.counts[0], s.counts[1], s.counts[2], s.millis[0], s.millis[1], s.millis[2]
    );
}

/// Removes `NAME N` from `args` and returns N.
fn take_number(args: &mut Vec<String>, name: &str) -> Option<u64> {
    let i = args.iter().position(|a| a == name)?;
    let n = args
        .get(i + 1)
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| fail(&format!("{name} needs a number")));
    args.drain(i..i + 2);
    Some(n)
}

fn fail(msg: &str) -> ! {
    eprintln!("bench: {msg}");
    std::process::exit(2)
}
