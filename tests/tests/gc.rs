//! The garbage collector seen from outside: translated programs run in
//! bounded memory when their live set is bounded, and the linked-list goal
//! target behaves as its untranslated build, normally and in stress mode.

use rrtests::{assert_same, run, run_env, run_peak_rss, translated, workspace_root, GC_STRESS};
use std::path::Path;
use std::time::Duration;
use translate::OptLevel;

const LIMIT: Duration = Duration::from_secs(120);

#[test]
fn bounded_live_set_runs_in_bounded_memory() {
    workspace_root();
    let exe = translated("tests/programs/gc_churn.rs", OptLevel::O2);
    let (out, code, peak) = run_peak_rss(&exe, &[], &[]);
    let expected = run(Path::new(env!("CARGO_BIN_EXE_gc_churn")), &[], b"", LIMIT);
    assert_eq!(code, Some(0));
    assert_eq!(out, expected.stdout);
    // About 1.5 GB is allocated over the run; the live set is a few KB.
    // Without collection the process would need all of it.
    assert!(
        peak < 64 << 20,
        "peak RSS {} MB for a program whose live set is tiny",
        peak >> 20
    );
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
    let log = std::env::temp_dir().join(format!("rrtests-gc-log-{}", std::process::id()));
    let _ = std::fs::remove_file(&log);
    let setting = format!("gc:{}", log.display());
    let out = run_env(
        &exe,
        &[],
        b"",
        &[("PYPYLOG", &setting), ("RRUST_GC_NURSERY", "65536")],
        LIMIT,
    );
    assert_eq!(out.code, Some(0));
    let text = std::fs::read_to_string(&log).expect("PYPYLOG=gc:FILE writes FILE");
    let count = |key: &str| -> u64 {
        text.lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.trim().split(' ').next().and_then(|n| n.parse().ok()))
            .unwrap_or_else(|| panic!("no `{key}` in:\n{text}"))
    };
    // gc_lists allocates several megabytes through a 64 KiB nursery.
    assert!(count("minor collections:") > 10, "{text}");
    assert!(count("bytes copied out of the nursery:") > 0, "{text}");
    assert!(count("peak heap size:") > 0, "{text}");
    assert!(
        text.contains("{gc-summary") && text.contains("gc-summary}"),
        "{text}"
    );
}
