//! What the user asked for on the command line.

use std::path::{Path, PathBuf};

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum OptLevel {
    /// `--opt=0`: no optimisation in the backend (fast translation).
    O0,
    /// `--opt=2`: the optimising backend, no JIT.
    O2,
    /// `--opt=jit`: `--opt=2` plus a generated tracing JIT.
    Jit,
}

impl OptLevel {
    pub fn parse(s: &str) -> Option<OptLevel> {
        match s {
            "0" => Some(OptLevel::O0),
            "2" => Some(OptLevel::O2),
            "jit" => Some(OptLevel::Jit),
            _ => None,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            OptLevel::O0 => "0",
            OptLevel::O2 => "2",
            OptLevel::Jit => "jit",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Options {
    /// The RRust target, as the user wrote it (panic messages and
    /// diagnostics print this path, as rustc prints the path it was given).
    pub input: PathBuf,
    pub opt: OptLevel,
    /// Where the executable goes; default `<file stem>-c` in the current
    /// directory.
    pub output: Option<PathBuf>,
    /// Write each graph at each stage as Graphviz dot into this directory.
    pub dot_dir: Option<PathBuf>,
}

impl Options {
    pub fn new(input: impl Into<PathBuf>) -> Options {
        Options {
            input: input.into(),
            opt: OptLevel::O2,
            output: None,
            dot_dir: None,
        }
    }
    pub fn output_path(&self) -> PathBuf {
        match &self.output {
            Some(p) => p.clone(),
            None => default_output(&self.input),
        }
    }
}

/// `dir/targetbf.rs` -> `./targetbf-c`.
pub fn default_output(input: &Path) -> PathBuf {
    let stem = input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "target".to_string());
    PathBuf::from(format!("{stem}-c"))
}
