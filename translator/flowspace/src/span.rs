//! Source positions. Every operation carries a `Span` so that diagnostics can
//! point at the snippet and runtime panics can print Rust's `file:line:col`.

/// An index into `SourceMap::files`.
pub type FileId = u32;

/// A source range. `line` and `col` are 1-based (col counts chars), exactly
/// as rustc prints them in panic messages; `lo..hi` are byte offsets for
/// the snippet display.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug, Default)]
pub struct Span {
    pub file: FileId,
    pub lo: u32,
    pub hi: u32,
    pub line: u32,
    pub col: u32,
}

pub struct SourceFile {
    /// The path as the user gave it (printed in messages and panics).
    pub path: String,
    pub text: String,
}

#[derive(Default)]
pub struct SourceMap {
    pub files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn add(&mut self, path: String, text: String) -> FileId {
        self.files.push(SourceFile { path, text });
        (self.files.len() - 1) as FileId
    }
    pub fn path(&self, file: FileId) -> &str {
        &self.files[file as usize].path
    }
}
