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

/// Why the executable cannot go to `output` (checked before translating,
/// so that nothing is overwritten by mistake and the linker's own message
/// is never the first the user sees): the target's own source, a folder,
/// or a path in a folder that does not exist.
pub fn output_problem(input: &Path, output: &Path) -> Option<String> {
    let shown = output.display();
    let stem = default_output(input);
    let stem = stem.display();
    if output.is_dir() {
        return Some(format!(
            "cannot write the executable to `{shown}`: it is a folder; give a file path, \
             e.g. `-o {}`",
            output.join(stem.to_string()).display()
        ));
    }
    let parent = output.parent().filter(|p| !p.as_os_str().is_empty());
    if let Some(p) = parent {
        if !p.is_dir() {
            return Some(format!(
                "cannot write the executable to `{shown}`: the folder `{}` does not exist \
                 (create it first, or choose another path with `-o`)",
                p.display()
            ));
        }
    }
    let canonical = |p: &Path| -> Option<PathBuf> {
        if p.exists() {
            return p.canonicalize().ok();
        }
        let dir = parent.map_or_else(|| Path::new(".").to_path_buf(), |d| d.to_path_buf());
        Some(dir.canonicalize().ok()?.join(p.file_name()?))
    };
    match (input.canonicalize().ok(), canonical(output)) {
        (Some(a), Some(b)) if a == b => Some(format!(
            "the output `{shown}` is the target's own source file, which writing the \
             executable would destroy; choose another path with `-o`, e.g. `-o {stem}`"
        )),
        _ => None,
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
