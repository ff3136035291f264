//! Building and running test programs in a temporary directory.

use rtyper::llgraph::LLProgram;
use std::process::Command;

pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Compiles, links and runs `program` with the default options; panics
/// (fails the test) if any step before running fails.
pub fn run(program: &LLProgram) -> Run {
    run_with(program, &crate::aot::AotOptions::default())
}

/// Runs and asserts the exit code.
pub fn assert_exit(program: &LLProgram, code: i32) {
    let r = run(program);
    assert_eq!(
        r.code,
        Some(code),
        "stdout: {}\nstderr: {}",
        r.stdout,
        r.stderr
    );
}

/// Like `run`, with explicit backend options.
pub fn run_with(program: &LLProgram, opts: &crate::aot::AotOptions) -> Run {
    run_with_args(program, opts, &[])
}

/// Like `run_with`, passing command-line arguments.
pub fn run_with_args(program: &LLProgram, opts: &crate::aot::AotOptions, args: &[&str]) -> Run {
    let dir = tempfile::tempdir().expect("temp dir");
    let obj =
        crate::aot::compile_with(program, opts).unwrap_or_else(|e| panic!("compiling failed: {e}"));
    let o = dir.path().join("prog.o");
    let exe = dir.path().join("prog");
    obj.write(&o).expect("write object");
    if let Err(e) = crate::link::link(&o, &exe) {
        panic!("linking failed: {e}");
    }
    let out = Command::new(&exe)
        .args(args)
        .output()
        .expect("run the test program");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}
