//! Errors of the backend: a bad trace or environment, or a failure of
//! Cranelift or of the memory mapping.

use std::fmt;

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum CompileError {
    /// The trace is malformed or refers to missing descriptors (op index
    /// and explanation).
    BadTrace { op: usize, msg: String },
    /// A call stub's signature cannot be expressed.
    BadSignature(String),
    /// Cranelift could not be configured for the host.
    Isa(String),
    /// Cranelift failed to compile the function.
    Codegen(String),
    /// mmap/mprotect failed.
    Memory(String),
}

impl CompileError {
    pub(crate) fn bad(op: usize, msg: impl Into<String>) -> CompileError {
        CompileError::BadTrace {
            op,
            msg: msg.into(),
        }
    }
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompileError::BadTrace { op, msg } => write!(f, "bad trace at op {op}: {msg}"),
            CompileError::BadSignature(m) => write!(f, "bad call signature: {m}"),
            CompileError::Isa(m) => write!(f, "host ISA: {m}"),
            CompileError::Codegen(m) => write!(f, "code generation: {m}"),
            CompileError::Memory(m) => write!(f, "code memory: {m}"),
        }
    }
}

impl std::error::Error for CompileError {}
