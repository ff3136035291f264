//! Failing sub-slices panic as rustc's build does: the same message (std's
//! wording for each of `a..b`, `a..=b`, `a..`, `..b` on slices, arrays and
//! strings, char boundaries included) at the same `[...]` location, in
//! every translated build.

use rrtests::{assert_same, run, run_env, translated, JIT_RUNS};
use std::path::Path;
use std::time::Duration;
use translate::OptLevel;

const LIMIT: Duration = Duration::from_secs(60);

#[test]
fn every_failing_slice_panics_with_std_message() {
    let src = "tests/programs/slice_panics.rs";
    let untranslated = Path::new(env!("CARGO_BIN_EXE_slice_panics"));
    let o2 = translated(src, OptLevel::O2);
    let jit = translated(src, OptLevel::Jit);
    for case in 0..32 {
        let stdin = format!("{case}\n");
        let expected = run(untranslated, &[], stdin.as_bytes(), LIMIT);
        assert_eq!(expected.code, Some(101), "case {case} must panic");
        let got = run(&o2, &[], stdin.as_bytes(), LIMIT);
        assert_same(&format!("{src} case {case} at --opt=2"), &expected, &got);
        let (what, env) = JIT_RUNS[0];
        let got = run_env(&jit, &[], stdin.as_bytes(), env, LIMIT);
        assert_same(
            &format!("{src} case {case} with the {what}"),
            &expected,
            &got,
        );
    }
}
