//! Differential tests of the calculator goal target goal/calc/targetcalc.rs
//! (a tokenizer, a recursive-descent parser to an enum AST, an evaluator
//! with checked arithmetic and a `HashMap` of bindings, reading its program
//! from a file or stdin): the untranslated build and every translated build
//! (`--opt=0`, `--opt=2`, GC stress, `--opt=jit` at low thresholds) print
//! the same bytes and exit the same way, malformed programs included.

use rrtests::{check_goal_input, Outcome};
use std::path::Path;

fn check(args: &[&str], stdin: &[u8]) -> Outcome {
    let exe = Path::new(env!("CARGO_BIN_EXE_calc_untranslated"));
    check_goal_input("goal/calc/targetcalc.rs", exe, "targetcalc", args, stdin)
}

#[test]
fn programs_in_files_agree() {
    let out = check(&["tests/calc/basics.calc"], b"");
    assert_eq!(out.code, Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "921600\n921\n1024 512 -4 -8\n3 -3 2 -2\n1 -4 12 12 1000 1\n640\n7\n"
    );
    let out = check(&["tests/calc/errors.calc"], b"");
    assert_eq!(out.code, Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "20\n");
    let err = &out.stderr;
    for want in [
        "error at 2:3: division by zero\n  | x / (x - 10)\n  |   ^\n",
        "error at 5:1: `y` is not defined; use `let y = ...`",
        "error at 8:12: overflow in `3037000500 * 3037000500`",
        "error at 13:11: bad number `18446744073709551616`: number too large to fit in target type",
        "error at 26:1: unknown variable `é`",
        "25 error(s)\n",
    ] {
        assert!(err.contains(want), "{want:?} not in {err}");
    }
}

#[test]
fn programs_on_stdin_agree() {
    let out = check(
        &[],
        b"let a = 6; let b = 7\nprint a * b, a - b\nb = b ^ 2\nb + c\n",
    );
    assert_eq!(out.code, Some(1));
    assert_eq!(out.stdout, b"42 -1\n");
    let out = check(&[], b"");
    assert_eq!(out.code, Some(0));
    assert_eq!(out.stdout, b"");
}

#[test]
fn generated_program_and_usage_agree() {
    let out = check(&["bench", "3000"], b"");
    assert_eq!(out.code, Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("0 errors\n"));
    let out = check(&["bench", "x"], b"");
    assert_eq!(out.code, Some(2));
    let out = check(&["tests/calc/missing.calc"], b"");
    assert_eq!(out.code, Some(2));
    let out = check(&["a", "b", "c"], b"");
    assert_eq!(out.code, Some(2));
}
