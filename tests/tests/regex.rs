//! Differential tests of the regular-expression VM goal/regex/targetregex.rs
//! (instructions holding `Box<dyn Matcher>` tests, a backtracking dispatch
//! loop under a JIT merge point): the untranslated build and every
//! translated build (`--opt=0`, `--opt=2`, also under GC stress, `--opt=jit`
//! at low thresholds) print the same bytes and exit the same way.

use rrtests::{check_goal, Outcome};
use std::path::Path;

fn check(args: &[&str]) -> Outcome {
    let exe = Path::new(env!("CARGO_BIN_EXE_regex_untranslated"));
    check_goal("goal/regex/targetregex.rs", exe, "targetregex", args)
}

#[test]
fn finds_alternations_classes_and_repeats() {
    let out = check(&["find", "a(b|c)*d|[0-9]+", "xabcbd 123 ad"]);
    assert_eq!(out.code, Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.ends_with("1..6 abcbd\n7..10 123\n11..13 ad\n"),
        "{text}"
    );
    assert!(text.contains("test [0-9 ]"), "{text}");
}

#[test]
fn counts_matches_in_generated_text() {
    let out = check(&["count", "[a-f]+[0-9]|s(t|o)+", "200000"]);
    assert_eq!(out.code, Some(0));
    assert_eq!(out.stdout, b"21551 matches, longest 9\n");
    let out = check(&["count", "[^ ]+ [^ ]+", "20000"]);
    assert_eq!(out.code, Some(0));
    assert_eq!(out.stdout, b"388 matches, longest 210\n");
}

#[test]
fn bad_patterns_and_arguments_are_reported() {
    for args in [
        &["find", "(a|b", "x"][..],
        &["find", "a**", "x"][..],
        &["count", "a", "zz"][..],
        &["nope", "a", "1"][..],
        &["count"][..],
    ] {
        let out = check(args);
        assert_eq!(out.code, Some(2), "{args:?}");
        assert!(out.stderr.contains("error") || out.stderr.contains("usage"));
    }
}
