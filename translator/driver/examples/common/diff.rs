//! The differential fuzzer's core (`fuzz_diff` and the CI round in
//! `tests/fuzz_round.rs`): mutate a program, build the mutant with rustc
//! and with `translate`, run both, compare stdout, stderr and exit code.
//!
//! A program that imports `rrlib` (the JIT hints) is built by rustc with
//! the hints taken out: they do nothing in an untranslated build.

use super::{swap_token, Rng};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use translate::{OptLevel, Options};

const SWAPS: &[(&str, &str)] = &[
    ("u8", "i32"),
    ("usize", "u64"),
    ("i64", "u32"),
    (" + ", " - "),
    (" * ", " / "),
    (" < ", " <= "),
    ("0", "7"),
    ("1", "255"),
    ("2", "-3"),
    ("wrapping_add", "wrapping_sub"),
    (" % ", " / "),
    (">> ", "<< "),
];

/// The environments a translated mutant runs in.
const O2_RUNS: &[&[(&str, &str)]] = &[
    &[],
    &[("RRUST_GC_STRESS", "1"), ("RRUST_GC_NURSERY", "16384")],
];
const JIT_RUNS: &[&[(&str, &str)]] = &[
    &[("RRUST_JIT", "threshold=1,trace_eagerness=1")],
    &[("RRUST_JIT", "threshold=3,trace_eagerness=2")],
    &[
        ("RRUST_JIT", "threshold=2,trace_eagerness=1"),
        ("RRUST_GC_STRESS", "1"),
        ("RRUST_GC_NURSERY", "16384"),
    ],
];

pub struct Config {
    pub rounds: usize,
    /// Translate at `--opt=jit` and run with the JIT at low thresholds.
    pub jit: bool,
    pub seed: u64,
    /// Where mutants and their executables go.
    pub dir: PathBuf,
}

#[derive(Default)]
pub struct Outcome {
    /// Runs of a translated mutant compared with rustc's build.
    pub compared: usize,
    /// The mutants (and environments) that behaved differently.
    pub differ: Vec<String>,
}

/// `src` without the `rrlib` import and JIT hint attributes, for rustc.
pub fn without_hints(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let mut rest = src;
    while let Some(i) = rest.find("#[") {
        let (head, tail) = rest.split_at(i);
        out.push_str(head);
        let name_end = tail[2..]
            .find(|c: char| !c.is_alphanumeric() && c != '_')
            .map(|k| k + 2)
            .unwrap_or(tail.len());
        let name = &tail[2..name_end];
        if matches!(
            name,
            "jit_merge_point" | "purefunction" | "elidable" | "dont_look_inside" | "unroll_safe"
        ) {
            // Skip to the attribute's closing bracket (they nest).
            let mut depth = 0;
            let mut end = tail.len();
            for (k, c) in tail.char_indices() {
                match c {
                    '[' | '(' => depth += 1,
                    ']' | ')' => {
                        depth -= 1;
                        if depth == 0 {
                            end = k + 1;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            // Keep its line breaks, so that line numbers (in panic
            // messages) stay the same.
            out.extend(tail[..end].chars().filter(|&c| c == '\n'));
            rest = &tail[end..];
        } else {
            out.push_str("#[");
            rest = &tail[2..];
        }
    }
    out.push_str(rest);
    out.lines()
        .map(|l| {
            if l.trim_start().starts_with("use rrlib") {
                ""
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Mutates each file `cfg.rounds` times and compares the builds.
pub fn run_files(files: &[String], cfg: &Config) -> Outcome {
    let mut rng = Rng::new(cfg.seed);
    std::fs::create_dir_all(&cfg.dir).expect("fuzz dir");
    let mut result = Outcome::default();
    for path in files {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        for round in 0..cfg.rounds {
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            for _ in 0..(1 + rng.below(2)) {
                let i = rng.below(lines.len());
                if let Some(line) = lines.get_mut(i) {
                    swap_token(line, SWAPS, &mut rng);
                }
            }
            let src = lines.join("\n");
            let stem = format!(
                "m{}_{round}",
                Path::new(path).file_stem().unwrap().to_string_lossy()
            );
            let rs = cfg.dir.join(format!("{stem}.rs"));
            std::fs::write(&rs, &src).unwrap();
            // rustc builds the same path (so panic locations agree), from
            // the hint-free text, which is put back afterwards.
            let native = cfg.dir.join(format!("{stem}-rustc"));
            std::fs::write(&rs, without_hints(&src)).unwrap();
            let ok = Command::new("rustc")
                .args(["--edition", "2021", "-O", "-C", "overflow-checks=off", "-o"])
                .arg(&native)
                .arg(&rs)
                .stderr(Stdio::null())
                .status()
                .map(|s| s.success())
                .unwrap_or(false);
            std::fs::write(&rs, &src).unwrap();
            if !ok {
                continue;
            }
            let mut opts = Options::new(&rs);
            opts.opt = if cfg.jit { OptLevel::Jit } else { OptLevel::O2 };
            opts.output = Some(cfg.dir.join(format!("{stem}-c")));
            if translate::translate(&opts, &mut translate::pipeline::Quiet).is_err() {
                continue;
            }
            let translated = cfg.dir.join(format!("{stem}-c"));
            let Some(a) = run(&native, &[]) else {
                continue;
            };
            for env in if cfg.jit { JIT_RUNS } else { O2_RUNS } {
                let Some(b) = run(&translated, env) else {
                    continue;
                };
                result.compared += 1;
                if a != b {
                    result.differ.push(format!(
                        "{} {env:?} (rustc exit {:?}, translated exit {:?})",
                        rs.display(),
                        a.2,
                        b.2
                    ));
                }
            }
        }
    }
    result
}

/// stdout, stderr without the thread id, exit code; None on a time-out.
fn run(exe: &Path, env: &[(&str, &str)]) -> Option<(Vec<u8>, String, Option<i32>)> {
    // The same argv[0] for both builds: usage messages print it.
    let mut child = Command::new(exe)
        .arg0("program")
        .envs(env.iter().copied())
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    let start = Instant::now();
    loop {
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        if start.elapsed() > Duration::from_secs(5) {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let out = child.wait_with_output().ok()?;
    let err = String::from_utf8_lossy(&out.stderr);
    let err: String = err
        .lines()
        .map(|l| match (l.find("' ("), l.find(") panicked")) {
            (Some(a), Some(b)) if a < b => format!("{}{}", &l[..a + 1], &l[b + 1..]),
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    Some((out.stdout, err, out.status.code()))
}
