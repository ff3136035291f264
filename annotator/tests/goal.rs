//! The goal program and the lead's test programs annotate without errors.

mod common;

#[test]
fn targetbf_annotates_with_every_graph_reachable() {
    let src = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../goal/bf/targetbf.rs"
    ))
    .expect("goal program");
    let (_sm, p, a) = common::annotate_ok(&src);
    for name in [
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
        let g = p
            .graph_by_name(name)
            .unwrap_or_else(|| panic!("no graph {name}"));
        assert!(a.is_reachable(g), "{name} not reachable");
    }
    assert_eq!(common::var_ann(&p, &a, "mainloop", "pc"), vec!["usize+"]);
    assert_eq!(
        common::var_ann(&p, &a, "mainloop", "program"),
        vec!["Vec<u8>"]
    );
}

#[test]
fn test_programs_annotate() {
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
        let mut p =
            match flowspace::frontend::build_program(&mut sm, &path.display().to_string(), &src) {
                Ok(p) => p,
                Err(_) => continue, // the frontend's business
            };
        checked += 1;
        if let Err(d) = annotator::annotate(&mut p) {
            failures.push(flowspace::diag::render(&sm, &d));
        }
    }
    // The frontend accepts most of them; make sure this test is not vacuous.
    assert!(
        checked >= 10,
        "only {checked} programs got past the frontend"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
