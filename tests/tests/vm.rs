//! Differential tests of the bytecode VM goal/vm/targetvm.rs: the
//! untranslated build (cargo) and every translated build (`--opt=0`,
//! `--opt=2`, also under GC stress, and `--opt=jit` at low thresholds)
//! print the same bytes and exit the same way on each built-in program,
//! including its float loop, and on bad arguments.

use rrtests::{check_goal, Outcome};
use std::path::Path;

fn check(args: &[&str]) -> Outcome {
    let exe = Path::new(env!("CARGO_BIN_EXE_vm_untranslated"));
    check_goal("goal/vm/targetvm.rs", exe, "targetvm", args)
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
