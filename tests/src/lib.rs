//! Helpers for rrust's differential tests: translate a target with the
//! pipeline (in process, through the `translate` library), run it and its
//! untranslated build (built by cargo as a bin of this package) on the same
//! input, and compare bytes.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};
use translate::{OptLevel, Options};

/// The workspace root. Tests run with it as the current directory, so that
/// targets are named by workspace-relative paths, exactly as cargo passes
/// them to rustc (panic messages print that path).
pub fn workspace_root() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("tests/ has a parent")
            .to_path_buf();
        // Every test of a test binary wants the same directory, so setting
        // it once per process is race-free.
        std::env::set_current_dir(&root).expect("cd to the workspace root");
        root
    })
}

/// A directory for this test process's translated executables.
pub fn out_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = workspace_root()
            .join("target")
            .join("rrtests-out")
            .join(std::process::id().to_string());
        std::fs::create_dir_all(&d).expect("create test output dir");
        d
    })
}

/// Translates `target` (workspace-relative) at `opt`, once per process, and
/// returns the executable's path. Panics with the rendered diagnostics if
/// the translator rejects it (a test failure).
pub fn translated(target: &str, opt: OptLevel) -> PathBuf {
    static CACHE: OnceLock<Mutex<HashMap<(String, &'static str), PathBuf>>> = OnceLock::new();
    workspace_root();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let key = (target.to_string(), opt.name());
    // Hold the lock while translating: the same target is asked for by
    // many tests at once, and translating it twice would be wasted work.
    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(p) = map.get(&key) {
        return p.clone();
    }
    let stem = Path::new(target)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let out = out_dir().join(format!("{stem}-O{}-c", opt.name()));
    let mut opts = Options::new(target);
    opts.opt = opt;
    opts.output = Some(out.clone());
    match translate::translate(&opts, &mut translate::pipeline::Quiet) {
        Ok(_) => {}
        Err(e) => panic!("translating {target} failed:\n{e}"),
    }
    map.insert(key, out.clone());
    out
}

/// Translates `target` and returns the error text (for rejection tests).
pub fn translate_error(target: &str) -> Option<String> {
    workspace_root();
    let mut opts = Options::new(target);
    opts.output = Some(out_dir().join("rejected-c"));
    match translate::translate(&opts, &mut translate::pipeline::Quiet) {
        Ok(_) => None,
        Err(e) => Some(e.to_string()),
    }
}

/// What a run of a program gave.
#[derive(Debug, PartialEq, Eq)]
pub struct Outcome {
    pub stdout: Vec<u8>,
    /// With the thread id of Rust's panic header taken out (it is the
    /// process id, different on every run).
    pub stderr: String,
    pub code: Option<i32>,
}

/// Runs `exe args` with `stdin` as its input; kills it after `limit`.
pub fn run(exe: &Path, args: &[&str], stdin: &[u8], limit: Duration) -> Outcome {
    run_env(exe, args, stdin, &[], limit)
}

/// The environment of the collector's stress mode: a collection at every
/// allocation, in a tiny nursery, so that a missing root or write barrier
/// shows up at once.
pub const GC_STRESS: &[(&str, &str)] = &[("RRUST_GC_STRESS", "1"), ("RRUST_GC_NURSERY", "4096")];

/// The settings every `--opt=jit` build runs under in the differential
/// tests: thresholds so low that tracing, compiled loops, guard failures
/// and the blackhole interpreter all run, also together with GC stress.
pub const JIT_RUNS: &[(&str, &[(&str, &str)])] = &[
    (
        "JIT threshold 1, bridges at the first guard failure",
        &[("RRUST_JIT", "threshold=1,trace_eagerness=1")],
    ),
    ("JIT threshold 3", &[("RRUST_JIT", "threshold=3")]),
    (
        "JIT threshold 2, bridges, in GC stress mode",
        &[
            ("RRUST_JIT", "threshold=2,trace_eagerness=2"),
            ("RRUST_GC_STRESS", "1"),
            ("RRUST_GC_NURSERY", "4096"),
        ],
    ),
];

/// `run` with extra environment variables.
pub fn run_env(
    exe: &Path,
    args: &[&str],
    stdin: &[u8],
    env: &[(&str, &str)],
    limit: Duration,
) -> Outcome {
    workspace_root();
    let mut child = Command::new(exe)
        .args(args)
        .envs(env.iter().copied())
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", exe.display()));
    let mut input = child.stdin.take().expect("piped stdin");
    let data = stdin.to_vec();
    let feeder = std::thread::spawn(move || {
        // The program may exit without reading everything.
        let _ = input.write_all(&data);
    });
    let out_reader = read_in_thread(child.stdout.take().expect("piped stdout"));
    let err_reader = read_in_thread(child.stderr.take().expect("piped stderr"));
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break s,
            Ok(None) if start.elapsed() > limit => {
                let _ = child.kill();
                panic!("{} ran longer than {:?}", exe.display(), limit);
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => panic!("waiting for {}: {e}", exe.display()),
        }
    };
    let _ = feeder.join();
    let stdout = out_reader.join().expect("stdout reader");
    let stderr = err_reader.join().expect("stderr reader");
    Outcome {
        stdout,
        stderr: normalize_stderr(&String::from_utf8_lossy(&stderr)),
        code: status.code(),
    }
}

fn read_in_thread<R: std::io::Read + Send + 'static>(mut r: R) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = r.read_to_end(&mut v);
        v
    })
}

/// `thread 'main' (12345) panicked at` -> `thread 'main' (TID) panicked at`.
pub fn normalize_stderr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for line in s.split_inclusive('\n') {
        match (line.strip_prefix("thread '"), line.find(") panicked at ")) {
            (Some(rest), Some(end)) => match rest.find("' (") {
                Some(q) => {
                    out.push_str("thread '");
                    out.push_str(&rest[..q]);
                    out.push_str("' (TID");
                    out.push_str(&line[end..]);
                }
                None => out.push_str(line),
            },
            _ => out.push_str(line),
        }
    }
    out
}

/// Asserts that two outcomes are the same, with a readable message.
pub fn assert_same(what: &str, expected: &Outcome, got: &Outcome) {
    if expected.stdout != got.stdout {
        panic!(
            "{what}: stdout differs\n--- untranslated ({} bytes) ---\n{}\n--- translated ({} bytes) ---\n{}",
            expected.stdout.len(),
            String::from_utf8_lossy(&expected.stdout),
            got.stdout.len(),
            String::from_utf8_lossy(&got.stdout)
        );
    }
    assert_eq!(expected.stderr, got.stderr, "{what}: stderr differs");
    assert_eq!(expected.code, got.code, "{what}: exit code differs");
}

/// Runs `exe args` to completion (no stdin, stderr dropped) and returns its
/// stdout, exit code and the peak resident set size of the process in bytes
/// (from `wait4`). The child is started with `vfork`, so the figure is at
/// least the caller's own RSS at that moment: call it from a small process
/// (the bench runner translates in a subprocess for that reason).
// The child is reaped by `wait4`, which `Child` does not know about.
#[allow(clippy::zombie_processes)]
pub fn run_peak_rss(
    exe: &Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> (Vec<u8>, Option<i32>, u64) {
    use std::os::unix::process::ExitStatusExt;
    let child = Command::new(exe)
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", exe.display()));
    let pid = child.id() as libc::pid_t;
    let reader = read_in_thread(child.stdout.expect("piped stdout"));
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is plain data that wait4 fills in; `pid` is our own
    // child, which nothing else waits for (the Child handle was consumed).
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(r, pid, "wait4 failed");
    let out = reader.join().expect("stdout reader");
    let code = std::process::ExitStatus::from_raw(status).code();
    // ru_maxrss is in kilobytes on Linux.
    (out, code, usage.ru_maxrss as u64 * 1024)
}

/// A goal target's differential check: the untranslated build (`untranslated`,
/// a bin of this package) and every translated build (`--opt=0`, `--opt=2`,
/// `--opt=2` under GC stress, `--opt=jit` with each of `JIT_RUNS`) must print
/// the same bytes and exit the same way on `args`. `name` replaces each
/// executable's path in stderr (usage lines name argv[0]). Returns the
/// untranslated build's outcome.
pub fn check_goal(target: &str, untranslated: &Path, name: &str, args: &[&str]) -> Outcome {
    check_goal_input(target, untranslated, name, args, b"")
}

/// `check_goal` with `stdin` as every run's standard input.
pub fn check_goal_input(
    target: &str,
    untranslated: &Path,
    name: &str,
    args: &[&str],
    stdin: &[u8],
) -> Outcome {
    const LIMIT: Duration = Duration::from_secs(120);
    workspace_root();
    let named = |exe: &Path, mut o: Outcome| {
        o.stderr = o.stderr.replace(&*exe.to_string_lossy(), name);
        o
    };
    let expected = named(untranslated, run(untranslated, args, stdin, LIMIT));
    for opt in [OptLevel::O0, OptLevel::O2] {
        let exe = translated(target, opt);
        let got = named(&exe, run(&exe, args, stdin, LIMIT));
        assert_same(
            &format!("{name} {args:?} at --opt={}", opt.name()),
            &expected,
            &got,
        );
    }
    let exe = translated(target, OptLevel::O2);
    let got = named(&exe, run_env(&exe, args, stdin, GC_STRESS, LIMIT));
    assert_same(
        &format!("{name} {args:?} in GC stress mode"),
        &expected,
        &got,
    );
    let exe = translated(target, OptLevel::Jit);
    for (what, env) in JIT_RUNS {
        let got = named(&exe, run_env(&exe, args, stdin, env, LIMIT));
        assert_same(&format!("{name} {args:?} with the {what}"), &expected, &got);
    }
    expected
}

#[cfg(test)]
mod tests {
    use super::normalize_stderr;

    #[test]
    fn thread_id_is_normalised() {
        let s = "x\nthread 'main' (4242) panicked at a.rs:1:2:\nboom\n";
        assert_eq!(
            normalize_stderr(s),
            "x\nthread 'main' (TID) panicked at a.rs:1:2:\nboom\n"
        );
        assert_eq!(normalize_stderr("plain\n"), "plain\n");
    }
}
