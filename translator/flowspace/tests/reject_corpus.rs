//! The rejected-snippet corpus: every `tests/reject/fe_*.rs` of the
//! workspace must be rejected with exactly the diagnostic in the matching
//! `.stderr`. `BLESS=1 cargo test -p flowspace --test reject_corpus`
//! rewrites the `.stderr` files.

use flowspace::SourceMap;
use std::path::Path;

#[test]
fn frontend_rejections_match_stderr_files() {
    let dir = Path::new("../../tests/reject");
    let bless = std::env::var("BLESS").is_ok_and(|v| v == "1");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("tests/reject")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("fe_") && n.ends_with(".rs"))
        .collect();
    names.sort();
    assert!(names.len() >= 25, "only {} fe_* files", names.len());
    let mut failures = Vec::new();
    for n in &names {
        let rel = format!("tests/reject/{n}");
        let text = std::fs::read_to_string(dir.join(n)).unwrap();
        let mut sources = SourceMap::default();
        let rendered = match flowspace::frontend::build_program(&mut sources, &rel, &text) {
            Ok(_) => {
                failures.push(format!("{rel}: accepted, but it should be rejected"));
                continue;
            }
            Err(d) => flowspace::diag::render(&sources, &d),
        };
        let stderr = dir.join(n.replace(".rs", ".stderr"));
        if bless {
            std::fs::write(&stderr, &rendered).unwrap();
            continue;
        }
        match std::fs::read_to_string(&stderr) {
            Ok(expected) if expected == rendered => {}
            Ok(expected) => failures.push(format!(
                "{rel}: diagnostic differs\n--- expected\n{expected}--- got\n{rendered}"
            )),
            Err(_) => failures.push(format!(
                "{rel}: no .stderr file (run with BLESS=1)\n{rendered}"
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
