//! Differential tests of the Brainfuck interpreter goal/bf/targetbf.rs:
//! the untranslated build (cargo) and the translated one must print the
//! same bytes and exit the same way on the project's own Brainfuck
//! programs (tests/bf/) and on the shared benchmark data where it is quick.

use rrtests::{
    assert_same, run, run_env, translated, workspace_root, Outcome, GC_STRESS, JIT_RUNS,
};
use std::path::Path;
use std::time::Duration;
use translate::OptLevel;

const TARGET: &str = "goal/bf/targetbf.rs";
const LIMIT: Duration = Duration::from_secs(120);

fn untranslated(args: &[&str], stdin: &[u8]) -> Outcome {
    let mut out = run(
        Path::new(env!("CARGO_BIN_EXE_bf_untranslated")),
        args,
        stdin,
        LIMIT,
    );
    // This package builds the target from `../goal/bf/targetbf.rs`, so
    // rustc names it `tests/../goal/...` in panic messages; cargo's build
    // of the goal package (and `translate` run from the root) say `goal/...`.
    out.stderr = out.stderr.replace("tests/../goal/", "goal/");
    out
}

/// Every build: `--opt=0`, `--opt=2` (also under GC stress) and
/// `--opt=jit` at low thresholds (`JIT_RUNS`).
fn check(program: &str, stdin: &[u8]) -> Outcome {
    workspace_root();
    let expected = untranslated(&[program], stdin);
    for opt in [OptLevel::O0, OptLevel::O2] {
        let exe = translated(TARGET, opt);
        let got = run(&exe, &[program], stdin, LIMIT);
        assert_same(
            &format!("{program} at --opt={}", opt.name()),
            &expected,
            &got,
        );
    }
    let exe = translated(TARGET, OptLevel::O2);
    let got = run_env(&exe, &[program], stdin, GC_STRESS, LIMIT);
    assert_same(&format!("{program} in GC stress mode"), &expected, &got);
    let exe = translated(TARGET, OptLevel::Jit);
    for (what, env) in JIT_RUNS {
        let got = run_env(&exe, &[program], stdin, env, LIMIT);
        assert_same(&format!("{program} with the {what}"), &expected, &got);
    }
    expected
}

#[test]
fn hello() {
    let out = check("tests/bf/hello.b", b"");
    assert_eq!(out.stdout, b"Hello World!\n");
}

#[test]
fn nested_loops() {
    let out = check("tests/bf/nested.b", b"");
    assert_eq!(out.stdout, "0123456789\n".repeat(10).as_bytes());
}

#[test]
fn wrap_around_both_directions() {
    let out = check("tests/bf/wrap.b", b"");
    assert_eq!(out.stdout, [255, 0, 127, 57, 0]);
}

#[test]
fn tape_growth() {
    let out = check("tests/bf/growth.b", b"");
    assert_eq!(out.stdout, b"ABA\n");
}

#[test]
fn input_echo_until_eof() {
    let input = b"echo me\x00\xff bytes\n";
    let out = check("tests/bf/echo.b", input);
    // The echo stops at the first NUL byte: the program's loop ends there.
    assert_eq!(out.stdout, b"echo me");
    let out = check("tests/bf/echo.b", b"");
    assert_eq!(out.stdout, b"");
}

#[test]
fn counting_for_a_few_seconds() {
    let out = check("tests/bf/counter.b", b"");
    assert_eq!(out.stdout, [252, b'\n']);
}

#[test]
fn moving_left_of_the_tape_panics_like_rust() {
    let out = check("tests/bf/left_edge.b", b"");
    assert_eq!(out.code, Some(101));
    assert_eq!(out.stdout, [3]);
    assert!(out
        .stderr
        .contains("index out of bounds: the len is 1 but the index is 18446744073709551615"));
}

#[test]
fn usage_and_missing_file() {
    workspace_root();
    let exe = translated(TARGET, OptLevel::O2);
    for args in [&[][..], &["tests/bf/no-such-file.b"][..]] {
        let mut expected = untranslated(args, b"");
        // The usage line names argv[0], which differs between the builds.
        expected.stderr = expected.stderr.replace(
            env!("CARGO_BIN_EXE_bf_untranslated"),
            &exe.to_string_lossy(),
        );
        let got = run(&exe, args, b"", LIMIT);
        assert_same(&format!("targetbf {args:?}"), &expected, &got);
        assert_ne!(got.code, Some(0));
    }
}

/// Shared benchmark data with a known output (../shared/bf/), when it is
/// there: bench.b runs a few seconds.
#[test]
fn shared_bench_program() {
    let path = workspace_root().join("../shared/bf/bench.b");
    if !path.exists() {
        panic!("../shared/bf/bench.b is missing: the shared folder must sit beside the project");
    }
    let out = check("../shared/bf/bench.b", b"");
    assert_eq!(out.stdout, b"ZYXWVUTSRQPONMLKJIHGFEDCBA\n");
}
