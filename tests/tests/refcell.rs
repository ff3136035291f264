//! Conflicting `RefCell` borrows panic as rustc's build does, at the same
//! borrow: guards must be released exactly where Rust drops them
//! (statement ends, `match`/`if let`/`while let` scrutinees, block tails,
//! loops, `drop`, calls), in every translated build.

use rrtests::{assert_same, run, run_env, translated, JIT_RUNS};
use std::path::Path;
use std::time::Duration;
use translate::OptLevel;

const LIMIT: Duration = Duration::from_secs(60);

#[test]
fn conflicting_borrows_panic_where_rustc_panics() {
    let src = "tests/programs/refcell_panics.rs";
    let untranslated = Path::new(env!("CARGO_BIN_EXE_refcell_panics"));
    let o0 = translated(src, OptLevel::O0);
    let o2 = translated(src, OptLevel::O2);
    let jit = translated(src, OptLevel::Jit);
    for case in 0..=15 {
        let stdin = format!("{case}\n");
        let expected = run(untranslated, &[], stdin.as_bytes(), LIMIT);
        // The last case releases the left operand of `&&` first: no panic.
        let code = if case == 15 { 0 } else { 101 };
        assert_eq!(
            expected.code,
            Some(code),
            "case {case}: {}",
            expected.stderr
        );
        for (what, exe) in [("--opt=0", &o0), ("--opt=2", &o2)] {
            let got = run(exe, &[], stdin.as_bytes(), LIMIT);
            assert_same(&format!("{src} case {case} at {what}"), &expected, &got);
        }
        let (what, env) = JIT_RUNS[0];
        let got = run_env(&jit, &[], stdin.as_bytes(), env, LIMIT);
        assert_same(
            &format!("{src} case {case} with the {what}"),
            &expected,
            &got,
        );
    }
}
