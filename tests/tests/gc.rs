//! The garbage collector seen from outside: translated programs run in
//! bounded memory when their live set is bounded, and the linked-list goal
//! target behaves as its untranslated build, normally and in stress mode.

use rrtests::{assert_same, run, run_env, translated, workspace_root, Outcome, GC_STRESS};
use std::path::Path;
use std::time::Duration;
use translate::OptLevel;

const LIMIT: Duration = Duration::from_secs(120);

/// Runs `exe` with `PYPYLOG=gc:FILE` (and `env`) and returns its outcome
/// and the gc-summary it wrote.
fn run_logged(exe: &Path, args: &[&str], env: &[(&str, &str)], tag: &str) -> (Outcome, String) {
    let log = std::env::temp_dir().join(format!("rrtests-gc-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_file(&log);
    let setting = format!("gc:{}", log.display());
    let mut all: Vec<(&str, &str)> = vec![("PYPYLOG", &setting)];
    all.extend_from_slice(env);
    let out = run_env(exe, args, b"", &all, LIMIT);
    let text = std::fs::read_to_string(&log).expect("PYPYLOG=gc:FILE writes FILE");
    let _ = std::fs::remove_file(&log);
    (out, text)
}

/// A number from a `key: N` line of the gc-summary.
fn summary_number(text: &str, key: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.trim().split(' ').next().and_then(|n| n.parse().ok()))
        .unwrap_or_else(|| panic!("no `{key}` in:\n{text}"))
}

#[test]
fn bounded_live_set_runs_in_bounded_memory() {
    workspace_root();
    let exe = translated("tests/programs/gc_churn.rs", OptLevel::O2);
    let (got, log) = run_logged(&exe, &[], &[], "churn");
    let expected = run(Path::new(env!("CARGO_BIN_EXE_gc_churn")), &[], b"", LIMIT);
    assert_same("gc_churn", &expected, &got);
    // About 1.5 GB is allocated over the run; the live set is a few KB.
    // Without collection the process would need all of it. The process
    // measures its own peak RSS (a parent's wait4 figure may include the
    // parent's memory when the child was started by vfork).
    let rss = summary_number(&log, "peak RSS:");
    let heap = summary_number(&log, "peak heap size:");
    assert!(
        rss > 0 && rss < 64 << 20,
        "peak RSS {} MB for a tiny live set",
        rss >> 20
    );
    assert!(
        heap < 16 << 20,
        "peak heap {} MB for a tiny live set",
        heap >> 20
    );
    assert!(summary_number(&log, "minor collections:") > 100, "{log}");
}

#[test]
fn linked_list_target_matches_untranslated() {
    workspace_root();
    let exe = translated("goal/linkedlist/targetlinkedlist.rs", OptLevel::O2);
    let untranslated = Path::new(env!("CARGO_BIN_EXE_linkedlist_untranslated"));
    for n in ["0", "1", "100000"] {
        let expected = run(untranslated, &[n], b"", LIMIT);
        assert_eq!(expected.stdout, format!("{n} nodes\n").as_bytes());
        let got = run(&exe, &[n], b"", LIMIT);
        assert_same(&format!("linked list of {n}"), &expected, &got);
        let got = run_env(&exe, &[n], b"", GC_STRESS, LIMIT);
        assert_same(
            &format!("linked list of {n} in stress mode"),
            &expected,
            &got,
        );
    }
}

#[test]
fn pypylog_gc_reports_collections_of_a_translated_program() {
    workspace_root();
    let exe = translated("tests/programs/gc_lists.rs", OptLevel::O2);
    let (out, log) = run_logged(&exe, &[], &[("RRUST_GC_NURSERY", "65536")], "lists");
    assert_eq!(out.code, Some(0));
    // gc_lists allocates several megabytes through a 64 KiB nursery.
    assert!(summary_number(&log, "minor collections:") > 10, "{log}");
    assert!(
        summary_number(&log, "bytes copied out of the nursery:") > 0,
        "{log}"
    );
    assert!(summary_number(&log, "peak heap size:") > 0, "{log}");
    assert!(
        log.contains("{gc-summary") && log.contains("gc-summary}"),
        "{log}"
    );
}
