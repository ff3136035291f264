//! Errors of the backends. The backend never panics on a malformed
//! low-level program: every problem becomes a `BackendError` naming the
//! graph it was found in.

use std::fmt;

#[derive(Debug)]
pub enum BackendError {
    /// The host ISA could not be set up.
    Isa(String),
    /// A graph uses something the backend cannot lower (or a malformed op).
    Unsupported {
        graph: String,
        message: String,
    },
    /// The Cranelift verifier rejected the IR built for a graph.
    Verifier {
        graph: String,
        errors: String,
    },
    /// Cranelift failed to compile a graph.
    Codegen {
        graph: String,
        message: String,
    },
    /// Declaring or defining a symbol or data object failed, or the object
    /// file could not be written.
    Module(String),
    /// Running `cc` failed or it reported an error.
    Link(String),
    Io(std::io::Error),
}

impl BackendError {
    pub(crate) fn unsupported(graph: &str, message: impl Into<String>) -> BackendError {
        BackendError::Unsupported {
            graph: graph.to_string(),
            message: message.into(),
        }
    }
}

impl fmt::Display for BackendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BackendError::Isa(m) => write!(f, "cannot set up the target ISA: {m}"),
            BackendError::Unsupported { graph, message } => {
                write!(f, "in `{graph}`: cannot lower: {message}")
            }
            BackendError::Verifier { graph, errors } => {
                write!(f, "in `{graph}`: Cranelift verifier errors:\n{errors}")
            }
            BackendError::Codegen { graph, message } => {
                write!(f, "in `{graph}`: code generation failed: {message}")
            }
            BackendError::Module(m) => write!(f, "object file: {m}"),
            BackendError::Link(m) => write!(f, "linking failed: {m}"),
            BackendError::Io(e) => write!(f, "I/O error: {e}"),
        }
    }
}

impl std::error::Error for BackendError {}

impl From<std::io::Error> for BackendError {
    fn from(e: std::io::Error) -> Self {
        BackendError::Io(e)
    }
}
