//! The goal program and every test program build, pass the verifier and
//! render as dot.

use flowspace::SourceMap;
use std::path::Path;

fn check(path: &str) {
    let full = Path::new("../..").join(path);
    let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut sources = SourceMap::default();
    let p = match flowspace::frontend::build_program(&mut sources, path, &text) {
        Ok(p) => p,
        Err(d) => panic!("{}", flowspace::diag::render(&sources, &d)),
    };
    if let Err(e) = flowspace::verify::verify_program(&p) {
        panic!("{path}: verifier failed:\n{}", e.join("\n"));
    }
    for (id, _) in p.graphs.iter() {
        let dot = flowspace::dot::flow_graph_to_dot(&p, id);
        assert!(dot.starts_with("digraph") && dot.ends_with("}\n"));
        render_with_graphviz(&dot);
        assert!(!flowspace::graph_to_text(&p, id).is_empty());
    }
}

/// Runs `dot -Tsvg` when Graphviz is installed.
fn render_with_graphviz(dot: &str) {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let Ok(mut child) = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    else {
        return;
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(dot.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "dot failed: {}\n{dot}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("<svg"));
}

/// The `.rs` files of `dir` (relative to the workspace root), sorted.
fn rs_files(dir: &str) -> Vec<String> {
    let full = Path::new("../..").join(dir);
    let rd = std::fs::read_dir(&full).unwrap_or_else(|e| panic!("{dir}: {e}"));
    let mut names: Vec<String> = rd
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".rs"))
        .map(|n| format!("{dir}/{n}"))
        .collect();
    names.sort();
    names
}

#[test]
fn targetbf_builds() {
    check("goal/bf/targetbf.rs");
}

/// Every goal target (`goal/*/*.rs`) builds and passes the verifier.
#[test]
fn goal_programs_build() {
    let full = Path::new("../../goal");
    let rd = std::fs::read_dir(full).unwrap_or_else(|e| panic!("goal: {e}"));
    let mut dirs: Vec<String> = rd
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| format!("goal/{}", e.file_name().to_string_lossy()))
        .collect();
    dirs.sort();
    let files: Vec<String> = dirs.iter().flat_map(|d| rs_files(d)).collect();
    assert!(
        files.iter().any(|f| f == "goal/vm/targetvm.rs"),
        "goal targets not found: {files:?}"
    );
    for f in files {
        check(&f);
    }
}

/// Every program under tests/programs builds and passes the verifier.
#[test]
fn test_programs_build() {
    let files = rs_files("tests/programs");
    assert!(files.len() > 10, "test programs not found: {files:?}");
    for f in files {
        check(&f);
    }
}

#[test]
fn dot_writer_escapes() {
    let mut w = flowspace::dot::DotWriter::new("a\"b");
    w.block(
        "n1",
        "head \\ \"q\"",
        &["x = format[\"{}\\n\"]".to_string()],
    );
    w.block("n2", "h2", &[]);
    w.edge("n1", "n2", "l\"1");
    let d = w.finish();
    assert!(d.contains("digraph \"a\\\"b\""));
    assert!(d.contains("head \\\\ \\\"q\\\"\\l"));
    assert!(d.contains("[label=\"l\\\"1\"]"));
    render_with_graphviz(&d);
}
