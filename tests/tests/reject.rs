//! The corpus of rejected snippets (tests/reject/*.rs): each program uses
//! one thing outside RRust; translating it must fail with exactly the
//! diagnostic in the matching .stderr file (file:line:col, snippet, help).

use rrtests::{translate_error, workspace_root};

#[test]
fn every_rejected_snippet_gives_its_diagnostic() {
    let dir = workspace_root().join("tests/reject");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/reject exists")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".rs"))
        .collect();
    names.sort();
    assert!(
        names.len() >= 30,
        "the corpus has only {} snippets",
        names.len()
    );
    let mut failures = Vec::new();
    for name in &names {
        let src = format!("tests/reject/{name}");
        let expected_path = dir.join(name.replace(".rs", ".stderr"));
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| panic!("{} is missing", expected_path.display()));
        match translate_error(&src) {
            None => failures.push(format!("{src}: was accepted")),
            Some(got) => {
                if !got.starts_with(expected.trim_end()) {
                    failures.push(format!(
                        "{src}:\n--- expected ---\n{expected}\n--- got ---\n{got}"
                    ));
                }
                if !got.contains(&format!("{src}:")) {
                    failures.push(format!(
                        "{src}: the message does not name file:line:col:\n{got}"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A syntax error is a diagnostic with its location too, never a crash.
#[test]
fn syntax_errors_are_diagnostics_too() {
    workspace_root();
    let dir = std::env::temp_dir().join(format!("rrtests-syntax-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("broken.rs");
    std::fs::write(&p, "fn main() { let x = ; }\n").unwrap();
    let got = translate_error(p.to_str().unwrap()).expect("a syntax error is rejected");
    assert!(got.contains("broken.rs:1:"), "{got}");
}
