//! The rejected snippets `tests/reject/an_*.rs`: the annotator's
//! diagnostics, rendered, must equal the `.stderr` next to each file.
//! `BLESS=1 cargo test -p annotator --test reject` rewrites them.

use std::path::Path;

fn render_rejection(rel: &str, src: &str) -> Result<String, String> {
    let mut sm = flowspace::SourceMap::default();
    let mut p = flowspace::frontend::build_program(&mut sm, rel, src).map_err(|d| {
        format!(
            "frontend rejected it:\n{}",
            flowspace::diag::render(&sm, &d)
        )
    })?;
    match annotator::annotate(&mut p) {
        Ok(_) => Err("the annotator accepted it".into()),
        Err(d) => Ok(flowspace::diag::render(&sm, &d)),
    }
}

#[test]
fn annotator_rejections_match_their_stderr() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = root.join("tests/reject");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/reject")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("an_") && n.ends_with(".rs"))
        .collect();
    names.sort();
    assert!(names.len() >= 5, "expected at least 5 an_* snippets");
    let bless = std::env::var_os("BLESS").is_some();
    let mut failures = vec![];
    for n in names {
        let rel = format!("tests/reject/{n}");
        let src = std::fs::read_to_string(root.join(&rel)).expect("read snippet");
        let got = match render_rejection(&rel, &src) {
            Ok(t) => t,
            Err(e) => {
                failures.push(format!("{rel}: {e}"));
                continue;
            }
        };
        let stderr = root.join(rel.replace(".rs", ".stderr"));
        if bless {
            std::fs::write(&stderr, &got).expect("write stderr");
            continue;
        }
        let want = std::fs::read_to_string(&stderr).unwrap_or_default();
        if got != want {
            failures.push(format!("{rel}: got\n{got}\nwant\n{want}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
