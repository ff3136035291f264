//! The goal program and the lead's test programs rtype into graphs the
//! verifier accepts.

mod common;

#[test]
fn targetbf_rtypes_with_every_reachable_graph() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../goal/bf/targetbf.rs");
    let src = std::fs::read_to_string(path).expect("goal program");
    let (_sm, _p, ll) = common::rtype_src("targetbf.rs", &src).unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<&str> = ll.graphs.values().map(|g| g.name.as_str()).collect();
    for want in [
        "main",
        "parse",
        "mainloop",
        "get_matching_bracket",
        "get_location",
        "Tape::new",
        "Tape::get",
        "Tape::set",
        "Tape::inc",
        "Tape::dec",
        "Tape::advance",
        "Tape::devance",
    ] {
        assert!(names.contains(&want), "{want} missing from {names:?}");
    }
    assert_eq!(ll.graphs[ll.entry].name, "main");
    assert!(ll.graphs[ll.entry].params().is_empty());
    // The merge point's hints survive.
    assert!(ll.graphs.values().any(|g| g.hints.merge_point.is_some()));
}

#[test]
fn test_programs_rtype() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/programs");
    let mut failures = vec![];
    let mut checked = 0;
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("programs dir")
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let path = e.path();
        if path.extension().and_then(|x| x.to_str()) != Some("rs") {
            continue;
        }
        let src = std::fs::read_to_string(&path).expect("read");
        let mut sm = flowspace::SourceMap::default();
        if flowspace::frontend::build_program(&mut sm, "x.rs", &src).is_err() {
            continue; // the frontend's business
        }
        checked += 1;
        if let Err(e) = common::rtype_src(&path.display().to_string(), &src) {
            failures.push(format!("{}: {e}", path.display()));
        }
    }
    // The frontend accepts most of them; make sure this test is not vacuous.
    assert!(
        checked >= 10,
        "only {checked} programs got past the frontend"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
