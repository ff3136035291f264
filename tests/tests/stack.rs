//! Differential tests of the stack VM goal/stack/targetstack.rs (Vec
//! push/pop with Option results, helper methods, calls and returns): the
//! untranslated build (cargo) and every translated build (`--opt=0`,
//! `--opt=2` with the backend optimisations, also under GC stress, and
//! `--opt=jit` at low thresholds) print the same bytes and exit the same
//! way on each built-in program and on bad arguments.

use rrtests::{check_goal, Outcome};
use std::path::Path;

fn check(args: &[&str]) -> Outcome {
    let exe = Path::new(env!("CARGO_BIN_EXE_stack_untranslated"));
    check_goal("goal/stack/targetstack.rs", exe, "targetstack", args)
}

#[test]
fn recursive_fibonacci_with_calls_and_returns() {
    let out = check(&["fib", "18"]);
    assert_eq!(out.code, Some(0));
    assert_eq!(out.stdout, b"2584\n");
    assert_eq!(out.stderr, "79429 steps\n");
}

#[test]
fn sieve_over_memory_cells() {
    let out = check(&["sieve", "30000"]);
    assert_eq!(out.code, Some(0));
    assert_eq!(out.stdout, b"3245\n");
}

#[test]
fn sum_kept_on_the_stack() {
    let out = check(&["sum", "20000"]);
    assert_eq!(out.code, Some(0));
    assert_eq!(out.stdout, b"39998\n");
}

#[test]
fn bad_arguments_are_reported() {
    for args in [
        &["fib"][..],
        &["fib", "x1"][..],
        &["fib", "-3"][..],
        &["nope", "3"][..],
    ] {
        let out = check(args);
        assert_eq!(out.code, Some(2), "{args:?}");
        assert!(out.stderr.contains("error") || out.stderr.contains("usage"));
    }
}
