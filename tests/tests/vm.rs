//! Differential tests of the bytecode VM goal/vm/targetvm.rs: the
//! untranslated build (cargo) and every translated build (`--opt=0`,
//! `--opt=2`, also under GC stress, and `--opt=jit` at low thresholds)
//! print the same bytes and exit the same way on each built-in program,
//! including its float loop, and on bad arguments.

use rrtests::{
    assert_same, run, run_env, translated, workspace_root, Outcome, GC_STRESS, JIT_RUNS,
};
use std::path::Path;
use std::time::Duration;
use translate::OptLevel;

const TARGET: &str = "goal/vm/targetvm.rs";
const LIMIT: Duration = Duration::from_secs(120);

fn untranslated(args: &[&str]) -> Outcome {
    let mut out = run(
        Path::new(env!("CARGO_BIN_EXE_vm_untranslated")),
        args,
        b"",
        LIMIT,
    );
    // The usage line names argv[0].
    out.stderr = out
        .stderr
        .replace(env!("CARGO_BIN_EXE_vm_untranslated"), "targetvm");
    out
}

fn check(args: &[&str]) -> Outcome {
    workspace_root();
    let expected = untranslated(args);
    let name = |exe: &Path, mut o: Outcome| {
        o.stderr = o.stderr.replace(&*exe.to_string_lossy(), "targetvm");
        o
    };
    for opt in [OptLevel::O0, OptLevel::O2] {
        let exe = translated(TARGET, opt);
        let got = name(&exe, run(&exe, args, b"", LIMIT));
        assert_same(
            &format!("targetvm {args:?} at --opt={}", opt.name()),
            &expected,
            &got,
        );
    }
    let exe = translated(TARGET, OptLevel::O2);
    let got = name(&exe, run_env(&exe, args, b"", GC_STRESS, LIMIT));
    assert_same(
        &format!("targetvm {args:?} in GC stress mode"),
        &expected,
        &got,
    );
    let exe = translated(TARGET, OptLevel::Jit);
    for (what, env) in JIT_RUNS {
        let got = name(&exe, run_env(&exe, args, b"", env, LIMIT));
        assert_same(
            &format!("targetvm {args:?} with the {what}"),
            &expected,
            &got,
        );
    }
    expected
}

#[test]
fn nested_integer_loops() {
    let out = check(&["loops", "2000"]);
    assert_eq!(out.code, Some(0));
    assert_eq!(out.stdout, b"20315\n");
}

#[test]
fn float_loop_mandelbrot_count() {
    let out = check(&["float", "120"]);
    assert_eq!(out.code, Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("3694\n-0.80208333333333"), "{text}");
}

#[test]
fn collatz_with_data_dependent_branches() {
    let out = check(&["collatz", "20000"]);
    assert_eq!(out.code, Some(0));
    assert_eq!(out.stdout, b"1834604\n");
}

#[test]
fn bad_arguments_are_reported() {
    for args in [&["loops"][..], &["loops", "x1"][..], &["nope", "3"][..]] {
        let out = check(args);
        assert_eq!(out.code, Some(2), "{args:?}");
        assert!(out.stderr.contains("error") || out.stderr.contains("usage"));
    }
}
