//! Differential fuzzing: mutates RRust programs like `fuzz_pipeline`, and
//! for every mutant that both rustc and `translate` accept, runs the two
//! executables (the translated one also in the collector's stress mode) and
//! compares stdout, stderr and exit code. A difference is a miscompilation
//! (the translator must reject what it cannot do exactly) or a GC bug.
//!
//!     cargo run --release -p translate --example fuzz_diff -- [--rounds N] FILES...
//!
//! Needs `rustc` on the PATH; files that import `rrlib` are skipped.

mod common;

use std::os::unix::process::CommandExt;
use std::path::Path;
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

fn main() {
    let (rounds, files) = common::args(40);
    let mut rng = common::Rng::new(0x1234_5678_9abc_def1);
    let dir = std::env::temp_dir().join(format!("rrust-fuzz-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let (mut compared, mut differ) = (0, 0);
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        if text.contains("rrlib") {
            continue;
        }
        for round in 0..rounds {
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            for _ in 0..(1 + rng.below(2)) {
                let i = rng.below(lines.len());
                if let Some(line) = lines.get_mut(i) {
                    common::swap_token(line, SWAPS, &mut rng);
                }
            }
            let src = lines.join("\n");
            let stem = format!(
                "m{}_{round}",
                Path::new(path).file_stem().unwrap().to_string_lossy()
            );
            let rs = dir.join(format!("{stem}.rs"));
            std::fs::write(&rs, &src).unwrap();
            let native = dir.join(format!("{stem}-rustc"));
            let ok = Command::new("rustc")
                .args(["--edition", "2021", "-O", "-C", "overflow-checks=off", "-o"])
                .arg(&native)
                .arg(&rs)
                .stderr(Stdio::null())
                .status()
                .map(|s| s.success())
                .unwrap_or(false);
            if !ok {
                continue;
            }
            let mut opts = Options::new(&rs);
            opts.opt = OptLevel::O2;
            opts.output = Some(dir.join(format!("{stem}-c")));
            if translate::translate(&opts, &mut translate::pipeline::Quiet).is_err() {
                continue;
            }
            // Both builds were given the same path, so panic locations agree.
            let translated = dir.join(format!("{stem}-c"));
            let Some(a) = run(&native, &[]) else {
                continue;
            };
            let stress = [("RRUST_GC_STRESS", "1"), ("RRUST_GC_NURSERY", "16384")];
            for env in [&[][..], &stress[..]] {
                let Some(b) = run(&translated, env) else {
                    continue;
                };
                compared += 1;
                if a != b {
                    differ += 1;
                    eprintln!(
                        "DIFFERENT: {} {env:?} (rustc exit {:?}, translated exit {:?})",
                        rs.display(),
                        a.2,
                        b.2
                    );
                }
            }
        }
    }
    println!("{compared} runs of mutants compared, {differ} behave differently");
    if differ > 0 {
        std::process::exit(1);
    }
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
        if start.elapsed() > Duration::from_secs(3) {
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
