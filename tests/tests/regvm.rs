//! Differential tests of the register VM goal/regvm/targetregvm.rs (an
//! `enum Value { Int, Float }`, instructions as an enum with register
//! operands, call frames): the untranslated build and every translated
//! build (`--opt=0`, `--opt=2`, also under GC stress, `--opt=jit` at low
//! thresholds) print the same bytes and exit the same way.

use rrtests::{check_goal, Outcome};
use std::path::Path;

fn check(args: &[&str]) -> Outcome {
    let exe = Path::new(env!("CARGO_BIN_EXE_regvm_untranslated"));
    check_goal("goal/regvm/targetregvm.rs", exe, "targetregvm", args)
}

#[test]
fn recursive_fibonacci_one_frame_per_call() {
    let out = check(&["fib", "16"]);
    assert_eq!(out.code, Some(0));
    assert_eq!(out.stdout, b"Int(987)\n");
    assert_eq!(out.stderr, "23947 steps\n");
}

#[test]
fn floats_and_ints_mixed() {
    let out = check(&["float", "3000"]);
    assert_eq!(out.code, Some(0));
    assert!(out.stdout.ends_with(b"Int(3000)\n"), "{:?}", out.stdout);
}

#[test]
fn counted_loop_of_ints() {
    let out = check(&["loop", "5000"]);
    assert_eq!(out.code, Some(0));
    assert_eq!(out.stdout, b"Int(37492500)\n");
}

#[test]
fn bad_arguments_are_reported() {
    for args in [
        &["fib"][..],
        &["fib", "x"][..],
        &["fib", "-2"][..],
        &["nope", "1"][..],
    ] {
        let out = check(args);
        assert_eq!(out.code, Some(2), "{args:?}");
        assert!(out.stderr.contains("error") || out.stderr.contains("usage"));
    }
}
