//! The `translate` command line: options, outputs, messages and exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn translate(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_translate"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run translate")
}

fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("rrust-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn default_output_is_stem_dash_c_in_the_current_directory() {
    let dir = tempdir("default");
    let target = root().join("tests/programs/arith.rs");
    let out = translate(&[target.to_str().unwrap()], &dir);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let exe = dir.join("arith-c");
    assert!(exe.exists());
    let run = Command::new(&exe).output().unwrap();
    assert!(String::from_utf8_lossy(&run.stdout).contains("wrapped i32: -2147483596"));
    // The closing summary names every stage.
    let err = String::from_utf8_lossy(&out.stderr);
    for word in [
        "flow graphs:",
        "annotated:",
        "low-level graphs:",
        "object:",
        "time:",
    ] {
        assert!(err.contains(word), "summary lacks {word}:\n{err}");
    }
}

#[test]
fn output_option_and_opt_levels() {
    let dir = tempdir("output");
    let target = root().join("tests/programs/loops.rs");
    for opt in ["0", "2"] {
        let exe = dir.join(format!("loops-O{opt}"));
        let out = translate(
            &[
                &format!("--opt={opt}"),
                "--output",
                exe.to_str().unwrap(),
                target.to_str().unwrap(),
            ],
            &dir,
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let run = Command::new(&exe).output().unwrap();
        assert!(String::from_utf8_lossy(&run.stdout).contains("collatz steps: 111"));
    }
}

#[test]
fn jit_build_traces_with_jit_options_and_logs() {
    let dir = tempdir("jit");
    let target = root().join("goal/bf/targetbf.rs");
    let out = translate(&["--opt=jit", target.to_str().unwrap()], &dir);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The closing summary (on stderr) counts the jitcodes.
    let summary = String::from_utf8_lossy(&out.stderr);
    assert!(summary.contains("jitcodes:"), "{summary}");
    let exe = dir.join("targetbf-c");
    // `--jit OPTIONS` before the program's own arguments, as PyPy's.
    let run = Command::new(&exe)
        .args(["--jit", "threshold=2", "../../tests/bf/nested.b"])
        .current_dir(root().join("translator/driver"))
        .env(
            "PYPYLOG",
            "jit-log-opt,jit-log-noopt,jit-summary,jit-backend-counts:-",
        )
        .output()
        .expect("run targetbf-c");
    assert_eq!(run.status.code(), Some(0));
    assert_eq!(run.stdout, "0123456789\n".repeat(10).as_bytes());
    let log = String::from_utf8_lossy(&run.stderr);
    assert!(log.contains("{jit-log-opt-loop"), "{log}");
    assert!(log.contains("{jit-log-noopt-loop"), "{log}");
    assert!(log.contains("{jit-summary"), "{log}");
    // The recorded loop is not peeled yet; the optimised one is.
    let noopt = log.split("{jit-log-noopt-loop").nth(1).unwrap();
    let noopt = noopt.split("jit-log-noopt-loop}").next().unwrap();
    assert_eq!(noopt.matches("label(").count(), 1, "{noopt}");
    // Every loop was entered and went round (nested.b's loops run 10 times
    // each, past the threshold of 2).
    let counts = log.split("{jit-backend-counts").nth(1).unwrap();
    let counts = counts.split("jit-backend-counts}").next().unwrap();
    let passes: Vec<u64> = counts
        .lines()
        .filter_map(|l| l.strip_prefix("TargetToken("))
        .map(|l| l.rsplit(':').next().unwrap().parse().unwrap())
        .collect();
    assert!(
        !passes.is_empty() && passes.iter().any(|&n| n > 0),
        "{counts}"
    );
    // A bad option is reported and the program does not run.
    let bad = Command::new(&exe)
        .args(["--jit", "treshold=2", "x.b"])
        .output()
        .expect("run targetbf-c");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown option `treshold=2`"));
}

#[test]
fn bad_options_and_missing_files_are_errors() {
    let dir = tempdir("bad");
    let out = translate(&["--opt=3", "x.rs"], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("use 0, 2 or jit"));
    let out = translate(&["no-such-file.rs"], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read no-such-file.rs"));
}

#[test]
fn rejected_program_names_file_line_col_and_exits_1() {
    let dir = tempdir("reject");
    std::fs::write(
        dir.join("bad.rs"),
        "fn main() {\n    let f = unsafe { 1 };\n    println!(\"{}\", f);\n}\n",
    )
    .unwrap();
    let out = translate(&["bad.rs"], &dir);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.rs:2:13"), "{err}");
    assert!(err.contains("help:"), "{err}");
    assert!(!dir.join("bad-c").exists());
}

/// `--dot DIR` writes every graph at every stage, and each file parses and
/// renders.
#[test]
fn dot_files_for_every_stage_render() {
    // `.ci/run` installs Graphviz and sets RRUST_TEST_GRAPHVIZ=1, so CI also
    // renders every file with `dot` itself; elsewhere `layout-rs` checks them.
    let graphviz = std::env::var_os("RRUST_TEST_GRAPHVIZ").is_some_and(|v| v == "1");
    let dir = tempdir("dot");
    let target = root().join("goal/bf/targetbf.rs");
    let out = translate(&["--dot", "graphs", target.to_str().unwrap()], &dir);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for stage in ["flow", "annotated", "lowlevel"] {
        let sub = dir.join("graphs").join(stage);
        let files: Vec<PathBuf> = std::fs::read_dir(&sub)
            .unwrap_or_else(|e| panic!("{}: {e}", sub.display()))
            .map(|e| e.unwrap().path())
            .collect();
        assert!(
            files
                .iter()
                .any(|f| f.file_name().unwrap() == "mainloop.dot"),
            "{stage}: {files:?}"
        );
        for f in &files {
            render_with_layout_rs(f);
            if graphviz {
                render_with_graphviz(f);
            }
        }
    }
}

/// Parses and lays out a dot file with the pure-Rust `layout-rs`, so the check
/// needs nothing but cargo.
fn render_with_layout_rs(f: &Path) {
    use layout::backends::svg::SVGWriter;
    use layout::gv::{DotParser, GraphBuilder};
    let text = std::fs::read_to_string(f).unwrap();
    let mut parser = DotParser::new(&text);
    let graph = parser
        .process()
        .unwrap_or_else(|e| panic!("{}: not valid dot: {e}", f.display()));
    let mut builder = GraphBuilder::new();
    builder.visit_graph(&graph);
    let mut visual = builder.get();
    let mut svg = SVGWriter::new();
    visual.do_it(false, false, false, &mut svg);
    assert!(svg.finalize().contains("<svg"), "{}", f.display());
}

/// Renders a dot file with Graphviz's own `dot`.
fn render_with_graphviz(f: &Path) {
    let svg = Command::new("dot")
        .arg("-Tsvg")
        .arg(f)
        .output()
        .expect("RRUST_TEST_GRAPHVIZ=1 needs Graphviz `dot` on PATH");
    assert!(
        svg.status.success(),
        "{}: {}",
        f.display(),
        String::from_utf8_lossy(&svg.stderr)
    );
    assert!(String::from_utf8_lossy(&svg.stdout).contains("<svg"));
}

/// `-o` never overwrites the target's source, and a folder that does not
/// exist (or a folder as the output) is reported before anything runs.
#[test]
fn output_paths_that_would_do_harm_are_errors() {
    let dir = tempdir("harm");
    // Exit code 1; the error output.
    let rejected = |args: &[&str]| {
        let out = translate(args, &dir);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let src = std::fs::read_to_string(root().join("tests/programs/arith.rs")).unwrap();
    std::fs::write(dir.join("x.rs"), &src).unwrap();
    let err = rejected(&["-o", "x.rs", "x.rs"]);
    assert!(err.contains("is the target's own source file"), "{err}");
    assert!(err.contains("-o x-c"), "{err}");
    // The source is untouched (also when named another way).
    rejected(&["-o", "./sub/../x.rs", "x.rs"]);
    assert_eq!(std::fs::read_to_string(dir.join("x.rs")).unwrap(), src);

    let err = rejected(&["-o", "missing/x", "x.rs"]);
    assert!(err.contains("the folder `missing` does not exist"), "{err}");
    assert!(
        !err.contains("collect2") && !err.contains("linker"),
        "no linker message: {err}"
    );

    std::fs::create_dir_all(dir.join("bin")).unwrap();
    let err = rejected(&["-o", "bin", "x.rs"]);
    assert!(err.contains("it is a folder"), "{err}");
    assert!(err.contains("bin/x-c"), "{err}");

    // And a good path still works.
    let out = translate(&["-o", "bin/x", "x.rs"], &dir);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.join("bin/x").exists());
}
