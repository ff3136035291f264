//! Differential tests of the small RRust programs under tests/programs/:
//! each is built by cargo (untranslated, a bin of this package) and
//! translated by rrust at --opt=0 and --opt=2, and the --opt=2 build also
//! runs in the collector's stress mode; stdout bytes, stderr and the exit
//! code must be the same every time.

use rrtests::{assert_same, run, run_env, translated, GC_STRESS, JIT_RUNS};
use std::time::Duration;
use translate::OptLevel;

const LIMIT: Duration = Duration::from_secs(60);

fn check(name: &str, stdin: &[u8], untranslated: &str) {
    let src = format!("tests/programs/{name}.rs");
    let expected = run(std::path::Path::new(untranslated), &[], stdin, LIMIT);
    for opt in [OptLevel::O0, OptLevel::O2] {
        let exe = translated(&src, opt);
        let got = run(&exe, &[], stdin, LIMIT);
        assert_same(&format!("{src} at --opt={}", opt.name()), &expected, &got);
    }
    let exe = translated(&src, OptLevel::O2);
    let got = run_env(&exe, &[], stdin, GC_STRESS, LIMIT);
    assert_same(&format!("{src} in GC stress mode"), &expected, &got);
    let exe = translated(&src, OptLevel::Jit);
    for (what, env) in JIT_RUNS {
        let got = run_env(&exe, &[], stdin, env, LIMIT);
        assert_same(&format!("{src} with the {what}"), &expected, &got);
    }
}

macro_rules! programs {
    ($($name:ident $(stdin $input:expr)?;)*) => {$(
        #[test]
        fn $name() {
            #[allow(unused_mut, unused_assignments)]
            let mut stdin: &[u8] = b"";
            $(stdin = $input;)?
            check(stringify!($name), stdin, env!(concat!("CARGO_BIN_EXE_", stringify!($name))));
        }
    )*};
}

programs! {
    arith;
    casts;
    matching;
    loops;
    structs;
    vecs;
    hashmap;
    strings;
    bounds_panic;
    div_zero;
    exit_code;
    unwrap_none;
    echo_input stdin b"hello\nrrust world\nno newline at end";
    gc_lists;
    gc_trees;
    gc_vecs;
    gc_identity;
    jit_stackvm;
    jit_bounds_panic;
    jit_small_portal;
    jit_promote;
    jit_long_callee;
    jit_green_changes;
    jit_virtuals;
    jit_location;
    parse_int;
    values;
    temporaries_across_blocks;
    enums;
    enum_patterns;
    enum_lexer;
    jit_enum_vm;
    derive_eq;
    derive_clone;
    derive_debug;
    enum_imports;
    debug_containers;
    mut_refs;
    copy_structs;
    results;
    main_result;
    generics;
    traits;
    dyn_traits;
    dyn_matcher;
    closures;
    iterators;
    calc_dyn;
    char_classes;
    float_methods;
    parse_inferred;
    jit_slices;
    rc_refcell;
    jit_refcell;
    zip_patterns;
    iter_mut;
    derive_default;
    elem_refs;
    int_checked;
    pieces;
    map_iter;
    vec_edit;
    extend;
    slices stdin b"3\nhello w\xc3\xb6rld again\nlet x1 = 42 + y*(7 - f\xc3\xb6\xc3\xb6);\n";
}

/// The panicking programs must really panic, so that the comparison above
/// covers Rust's panic path and not two empty outputs.
#[test]
fn panicking_programs_exit_101_with_rusts_message() {
    for (name, msg) in [
        (
            "bounds_panic",
            "index out of bounds: the len is 3 but the index is 3",
        ),
        ("div_zero", "attempt to divide by zero"),
        ("unwrap_none", "called `Option::unwrap()` on a `None` value"),
        (
            "parse_int",
            "a number: ParseIntError { kind: InvalidDigit }",
        ),
        (
            "results",
            "called `Result::unwrap()` on an `Err` value: Unexpected(\"end of input\")",
        ),
        (
            "elem_refs",
            "index out of bounds: the len is 4 but the index is 5",
        ),
        ("vec_edit", "insertion index (is 6) should be <= len (is 4)"),
        (
            "int_checked",
            "called `Result::unwrap()` on an `Err` value: TryFromIntError(())",
        ),
    ] {
        let exe = translated(&format!("tests/programs/{name}.rs"), OptLevel::O2);
        let got = run(&exe, &[], b"", LIMIT);
        assert_eq!(got.code, Some(101), "{name}");
        assert!(
            got.stderr
                .contains(&format!("panicked at tests/programs/{name}.rs:")),
            "{name}: {}",
            got.stderr
        );
        assert!(got.stderr.contains(msg), "{name}: {}", got.stderr);
    }
}

/// `main` returning an `Err` ends the program as Rust's `Termination` does.
#[test]
fn main_returning_err_exits_1_with_its_debug() {
    let exe = translated("tests/programs/main_result.rs", OptLevel::O2);
    let got = run(&exe, &[], b"", LIMIT);
    assert_eq!(got.code, Some(1));
    assert_eq!(got.stderr, "Error: Missing(\"dan\")\n");
    assert!(got
        .stdout
        .ends_with(b"handled Parse { line: 9, text: \"x\" }\n"));
}
