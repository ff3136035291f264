//! The shape of the JIT's traces, read from its `PYPYLOG=jit-log-opt`
//! output: the Brainfuck tutorial loop `[>+<-]` (as in RPython's
//! tutorial). With `#[purefunction]` on the bracket lookup and the program
//! a `&[u8]` green, the loop keeps no call and no guard on the program's
//! text; without the hint the lookup's dictionary call stays in the loop.

use rrtests::{out_dir, run_env, translated, workspace_root};
use std::time::Duration;
use translate::OptLevel;

const TARGET: &str = "goal/bf/targetbf.rs";
const LIMIT: Duration = Duration::from_secs(60);

/// The optimised loops the JIT logged running `program`, one text each.
fn loops_of(exe: &std::path::Path, program: &str, tag: &str) -> Vec<String> {
    let prog = out_dir().join(format!("tutorial-{tag}.b"));
    std::fs::write(&prog, program).unwrap();
    let log = out_dir().join(format!("tutorial-{tag}.log"));
    let _ = std::fs::remove_file(&log);
    let pypylog = format!("jit-log-opt-loop:{}", log.display());
    let env = [("RRUST_JIT", "threshold=3"), ("PYPYLOG", pypylog.as_str())];
    let out = run_env(exe, &[prog.to_str().unwrap()], b"", &env, LIMIT);
    assert_eq!(out.code, Some(0), "{out:?}");
    // 49 `+`, then the loop moves the count to the next cell: '1'.
    assert_eq!(out.stdout, b"1");
    let text = std::fs::read_to_string(&log).expect("the JIT wrote its log");
    text.split("{jit-log-opt-loop")
        .skip(1)
        .map(|s| {
            s.split("jit-log-opt-loop}")
                .next()
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

/// Runs the JIT build of test program `name` with `PYPYLOG=jit-log-opt-loop`
/// and returns its first loop as logged, up to its short preamble.
fn first_loop_of(name: &str) -> String {
    workspace_root();
    let exe = translated(&format!("tests/programs/{name}.rs"), OptLevel::Jit);
    let log = out_dir().join(format!("{name}.log"));
    let _ = std::fs::remove_file(&log);
    let pypylog = format!("jit-log-opt-loop:{}", log.display());
    let out = run_env(&exe, &[], b"", &[("PYPYLOG", pypylog.as_str())], LIMIT);
    assert_eq!(out.code, Some(0), "{out:?}");
    let text = std::fs::read_to_string(&log).expect("the JIT wrote its log");
    text.split("{jit-log-opt-loop")
        .nth(1)
        .and_then(|s| s.split("# short preamble").next())
        .and_then(|s| s.split("jit-log-opt-loop}").next())
        .expect("a loop")
        .to_string()
}

fn tutorial() -> String {
    format!("{}[>+<-]>.", "+".repeat(49))
}

#[test]
fn tutorial_loop_has_no_call_with_purefunction() {
    workspace_root();
    let exe = translated(TARGET, OptLevel::Jit);
    let loops = loops_of(&exe, &tutorial(), "pure");
    assert_eq!(loops.len(), 1, "{loops:#?}");
    // The loop proper, after the peeled iteration (the preamble), and its
    // entry for jumps from other traces: the short preamble, which repeats
    // only the reads the loop takes from the preamble and ends by entering
    // the loop's body, a copy of the loop after its label.
    let (l, short) = loops[0]
        .split_once("# short preamble")
        .expect("a short entry");
    let (short_pre, body) = short
        .split_once("# the loop's body")
        .expect("the loop's body");
    assert!(
        !short_pre.contains("call"),
        "a call in the short preamble:\n{short}"
    );
    assert!(!short_pre.contains("setarrayitem_gc("), "{short}");
    assert!(!short_pre.contains("label("), "{short}");
    assert!(body.contains("\nlabel("), "{short}");
    let (_, l) = l.split_once("\nlabel(").expect("a peeled loop");
    assert!(!l.contains("call"), "a call is left in the loop:\n{l}");
    assert!(
        !l.contains("guard_value"),
        "the program text is guarded:\n{l}"
    );
    // `+` and `-` each store one tape cell; the tape's vector is read in
    // the preamble only.
    // (Lines only: a guard's `{...}` lists the stores its exit does.)
    let stores = l
        .lines()
        .filter(|line| line.starts_with("setarrayitem_gc("))
        .count();
    assert_eq!(stores, 2, "{l}");
    assert!(!l.contains("getfield_gc_r("), "{l}");
    assert!(l.contains("jump("), "{l}");
    // The merge points carry `get_location`'s text, as in PyPy's log:
    // the loop `[>+<-]` is at pc 50..=54 after the 49 `+`.
    let points: Vec<&str> = l
        .lines()
        .filter_map(|x| x.strip_prefix("debug_merge_point("))
        .collect();
    assert_eq!(
        points,
        [
            "'pc=51 op=+')",
            "'pc=52 op=<')",
            "'pc=53 op=-')",
            "'pc=54 op=]')"
        ],
        "{l}"
    );
}

/// `get_printable_location` is user code the untranslated program never
/// runs: at threshold 1 the first trace goes on to the merge point after
/// the program's end, where targetbf's `get_location` would index
/// `program[pc]` with `pc == len` and panic. The JIT gives up on the text
/// there, and the program's behaviour does not change.
#[test]
fn a_printable_location_that_would_panic_changes_nothing() {
    workspace_root();
    let exe = translated(TARGET, OptLevel::Jit);
    let prog = out_dir().join("tutorial-location.b");
    std::fs::write(&prog, tutorial()).unwrap();
    let log = out_dir().join("tutorial-location.log");
    let _ = std::fs::remove_file(&log);
    let pypylog = format!("jit-log-opt,jit-log-noopt,jit-abort:{}", log.display());
    let env = [
        ("RRUST_JIT", "threshold=1,trace_eagerness=1"),
        ("PYPYLOG", pypylog.as_str()),
    ];
    let out = run_env(&exe, &[prog.to_str().unwrap()], b"", &env, LIMIT);
    assert_eq!(out.code, Some(0), "{out:?}");
    assert_eq!(out.stdout, b"1");
    assert!(out.stderr.is_empty(), "{out:?}");
}

#[test]
fn tutorial_loop_keeps_the_lookup_call_without_purefunction() {
    workspace_root();
    let source = std::fs::read_to_string(TARGET).unwrap();
    assert!(source.contains("#[purefunction]\nfn get_matching_bracket"));
    let plain = source.replace(
        "#[purefunction]\nfn get_matching_bracket",
        "fn get_matching_bracket",
    );
    let plain = plain.replace(
        "use rrlib::jit::{jit_merge_point, purefunction};",
        "use rrlib::jit::jit_merge_point;",
    );
    // Translated from the workspace root like every target.
    let path = out_dir().join("targetbf_plain.rs");
    std::fs::write(&path, plain).unwrap();
    let rel = path
        .strip_prefix(workspace_root())
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let exe = translated(&rel, OptLevel::Jit);
    let loops = loops_of(&exe, &tutorial(), "plain");
    assert_eq!(loops.len(), 1, "{loops:#?}");
    assert!(
        loops[0].contains("call_i("),
        "the lookup should stay:\n{}",
        loops[0]
    );
}

/// `promote(x)` makes `x` a constant of the trace, checked once by a
/// `guard_value` in the preamble: in tests/programs/jit_promote.rs the
/// products with the promoted step fold away, leaving the loop the two
/// multiplications of the accumulator; `we_are_jitted()` is true there
/// (the count of jitted turns goes up in the loop).
#[test]
fn promote_makes_a_guarded_constant() {
    let first = first_loop_of("jit_promote");
    let (pre, l) = first.split_once("\nlabel(").expect("a peeled loop");
    assert!(pre.contains("guard_value("), "{first}");
    assert!(!l.contains("guard_value("), "{first}");
    let muls = l.lines().filter(|x| x.contains("int_mul(")).count();
    assert_eq!(muls, 2, "{first}");
    // Two adds of the folded products, and `m.jitted += 1`, which runs
    // only where `we_are_jitted()` is true.
    let adds = l.lines().filter(|x| x.contains("int_add(")).count();
    assert_eq!(adds, 3, "{first}");
}

/// A trace made too long by an inlined function aborts, and from then on
/// that function stays a call: the next trace of the loop fits the limit
/// and compiles (tests/programs/jit_long_callee.rs).
#[test]
fn a_callee_that_makes_traces_too_long_is_not_inlined() {
    workspace_root();
    let exe = translated("tests/programs/jit_long_callee.rs", OptLevel::Jit);
    let plain = run_env(&exe, &[], b"", &[("RRUST_JIT", "off")], LIMIT);
    let log = out_dir().join("jit-long-callee.log");
    let _ = std::fs::remove_file(&log);
    let pypylog = format!("jit-abort,jit-summary,jit-log-opt-loop:{}", log.display());
    let env = [
        ("RRUST_JIT", "threshold=3,trace_limit=60"),
        ("PYPYLOG", pypylog.as_str()),
    ];
    let out = run_env(&exe, &[], b"", &env, LIMIT);
    assert_eq!(out.code, Some(0), "{out:?}");
    assert_eq!(out.stdout, plain.stdout);
    let text = std::fs::read_to_string(&log).expect("the JIT wrote its log");
    assert!(
        text.contains("trace too long; `mix` is not inlined from now on"),
        "{text}"
    );
    assert!(text.contains("Loops:        \t1"), "{text}");
    let l = text.split("{jit-log-opt-loop").nth(1).expect("a loop");
    assert!(l.contains(" mix>)"), "{l}");
    assert!(!l.contains(" step>)"), "the small callee is called:\n{l}");
}

/// Allocation removal: in tests/programs/jit_virtuals.rs every loop
/// iteration builds a tuple, an `Option`, a `Span` holding a `Pair`, and
/// another `Pair`; none escapes on the hot path, so the optimised loop
/// allocates nothing, and its guards that fail while a `Span` is live
/// describe it (and the `Pair` inside) for the metainterp to build.
#[test]
fn temporaries_that_do_not_escape_are_not_allocated() {
    let first = first_loop_of("jit_virtuals");
    assert!(!first.contains("new("), "{first}");
    let nested = first.lines().any(|l| {
        l.starts_with("guard_")
            && l.contains("<Field 8 ref>=#")
            && l.matches("virtual(").count() == 2
    });
    assert!(nested, "no guard describes a Span and its Pair:\n{first}");
}

/// A location function that may panic inside a runtime call (`repeat`
/// with an overflowing length, tests/programs/jit_location.rs) is not run
/// natively by the tracer: with a trace log on, the program prints what
/// it prints without one, and exits 0.
#[test]
fn a_location_function_that_would_panic_in_the_runtime_changes_nothing() {
    workspace_root();
    let exe = translated("tests/programs/jit_location.rs", OptLevel::Jit);
    let plain = run_env(&exe, &[], b"", &[("RRUST_JIT", "off")], LIMIT);
    let log = out_dir().join("jit-location.log");
    let _ = std::fs::remove_file(&log);
    let pypylog = format!("jit-log-opt,jit-log-noopt:{}", log.display());
    let env = [
        ("RRUST_JIT", "threshold=1,trace_eagerness=1"),
        ("PYPYLOG", pypylog.as_str()),
    ];
    let out = run_env(&exe, &[], b"", &env, LIMIT);
    assert_eq!(out.code, Some(0), "{out:?}");
    assert_eq!(out.stdout, plain.stdout);
    let text = std::fs::read_to_string(&log).expect("the JIT wrote its log");
    assert!(text.contains("debug_merge_point("), "{text}");
}
