//! `docs/rrust.md` stays true to the code: every example it names exists,
//! and every rejected snippet of the corpus is named in it.

use rrtests::workspace_root;

fn named_files(doc: &str) -> Vec<String> {
    doc.split('`')
        .filter(|w| w.ends_with(".rs") && w.len() > 3 && !w.contains(' ') && !w.contains('/'))
        .map(|w| w.to_string())
        .collect()
}

#[test]
fn every_example_named_in_the_subset_doc_exists() {
    let root = workspace_root();
    let doc = std::fs::read_to_string(root.join("docs/rrust.md")).unwrap();
    let names = named_files(&doc);
    assert!(
        names.len() > 40,
        "the doc names only {} examples",
        names.len()
    );
    for n in &names {
        let found = ["tests/programs", "tests/reject"]
            .iter()
            .any(|d| root.join(d).join(n).exists());
        assert!(
            found,
            "docs/rrust.md names {n}, which is in neither tests/programs nor tests/reject"
        );
    }
}

#[test]
fn every_rejected_snippet_is_named_in_the_subset_doc() {
    let root = workspace_root();
    let doc = std::fs::read_to_string(root.join("docs/rrust.md")).unwrap();
    let names = named_files(&doc);
    for e in std::fs::read_dir(root.join("tests/reject")).unwrap() {
        let n = e.unwrap().file_name().to_string_lossy().into_owned();
        if n.ends_with(".rs") {
            assert!(
                names.contains(&n),
                "tests/reject/{n} is not named in docs/rrust.md"
            );
        }
    }
}
