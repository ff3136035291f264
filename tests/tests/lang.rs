//! Differential tests of the dynamic-language interpreter
//! goal/lang/targetlang.rs (a tokenizer over sub-slices, an AST of enums
//! and boxes, closures over `Rc<RefCell<Env>>` scopes, lists in
//! `Rc<RefCell<Vec<Value>>>`, a JIT merge point in each `while`): the
//! untranslated build and every translated build (`--opt=0`, `--opt=2`,
//! also under GC stress, `--opt=jit` at low thresholds) print the same
//! bytes and exit the same way.

use rrtests::{check_goal, Outcome};
use std::path::Path;

fn check(args: &[&str]) -> Outcome {
    let exe = Path::new(env!("CARGO_BIN_EXE_lang_untranslated"));
    check_goal("goal/lang/targetlang.rs", exe, "targetlang", args)
}

#[test]
fn built_in_programs_agree() {
    for (name, n, want) in [
        ("fib", "18", "2584\n"),
        ("loop", "20000", "670626\n"),
        ("lists", "500", "23385\n500\n0\n"),
    ] {
        let out = check(&["bench", name, n]);
        assert_eq!(out.code, Some(0), "{name}");
        assert_eq!(String::from_utf8_lossy(&out.stdout), want, "{name}");
    }
    let out = check(&["bench", "closures", "300"]);
    assert_eq!(out.code, Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("1499\n<fn <lambda>> [1, two, [3]]"));
}

#[test]
fn closures_lists_and_runtime_errors_agree() {
    let out = check(&["run", "tests/lang/objects.lang"]);
    assert_eq!(out.code, Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("refused\n120\n[50, -30]\n3\n2432902008176640000\n"),
        "{text}"
    );
    assert!(
        text.ends_with("-3\n-1\nerror: division by zero\n"),
        "{text}"
    );
}

#[test]
fn bad_programs_are_reported() {
    let out = check(&["run", "tests/lang/errors.lang"]);
    assert_eq!(out.code, Some(1));
    assert_eq!(out.stdout, b"error: undefined variable y\n");
    let out = check(&["run", "tests/lang/syntax.lang"]);
    assert_eq!(out.code, Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("error: line 1: expected `)`"));
    let out = check(&["bench", "nope", "3"]);
    assert_eq!(out.code, Some(2));
    let out = check(&["run", "tests/lang/missing.lang"]);
    assert_eq!(out.code, Some(2));
}
