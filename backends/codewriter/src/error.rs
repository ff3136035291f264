//! The codewriter's error: a malformed low-level graph. The rtyper's
//! verifier should have caught it, so it is always a bug in rrust.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodewriterError {
    /// The graph being written, when known.
    pub graph: Option<String>,
    pub message: String,
}

impl CodewriterError {
    pub fn new(graph: Option<&str>, message: impl Into<String>) -> CodewriterError {
        CodewriterError {
            graph: graph.map(str::to_string),
            message: message.into(),
        }
    }
}

impl fmt::Display for CodewriterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "internal error: this is a bug in rrust: codewriter: ")?;
        if let Some(g) = &self.graph {
            write!(f, "in `{g}`: ")?;
        }
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for CodewriterError {}

pub type CwResult<T> = Result<T, CodewriterError>;
