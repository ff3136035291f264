//! A short, fixed-seed round of the differential fuzzer
//! (`examples/fuzz_diff.rs`) at `--opt=jit`: mutants of the JIT test
//! programs, built by rustc and translated, must behave the same with the
//! JIT at low thresholds (and under GC stress).

#[path = "../examples/common/mod.rs"]
mod common;

use std::path::Path;

#[test]
fn jit_mutants_behave_as_rustcs_builds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let files: Vec<String> = [
        "jit_stackvm.rs",
        "jit_small_portal.rs",
        "jit_bounds_panic.rs",
        "jit_virtuals.rs",
    ]
    .iter()
    .map(|f| {
        root.join("tests/programs")
            .join(f)
            .to_string_lossy()
            .into_owned()
    })
    .collect();
    let cfg = common::diff::Config {
        rounds: 4,
        jit: true,
        seed: 0x5eed_0f00_1520_26aa,
        dir: std::env::temp_dir().join(format!("rrust-fuzz-round-{}", std::process::id())),
    };
    let out = common::diff::run_files(&files, &cfg);
    assert!(
        out.differ.is_empty(),
        "mutants that differ:\n{}",
        out.differ.join("\n")
    );
    // Some mutants must have been built and compared, or this tests nothing.
    assert!(out.compared >= 6, "only {} runs compared", out.compared);
}

#[test]
fn hints_are_taken_out_for_rustc() {
    let src = "use rrlib::jit::{jit_merge_point, purefunction};\n#[purefunction]\nfn f() {}\n#[jit_merge_point(greens(pc, program),\n    reds(x))]\nfn g() {}\n#[derive(Clone)]\nstruct S;\n";
    let out = common::diff::without_hints(src);
    // Line breaks stay, so panic locations keep their line numbers.
    assert_eq!(
        out,
        "\n\nfn f() {}\n\n\nfn g() {}\n#[derive(Clone)]\nstruct S;"
    );
}
