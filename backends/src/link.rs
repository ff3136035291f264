//! Linking: the object file of `aot::compile` plus the runtime staticlib
//! into an executable, with the system C compiler driver.

use crate::error::BackendError;
use crate::runtime_lib::{NATIVE_LIBS, RUNTIME_JIT_LIB, RUNTIME_LIB};
use std::path::Path;
use std::process::Command;

/// Links `object` with the runtime into the executable `output`. The runtime
/// archive is written to a temporary directory (removed afterwards); nothing
/// else is written besides `output`. `$CC` overrides the compiler driver.
pub fn link(object: &Path, output: &Path) -> Result<(), BackendError> {
    link_with(object, output, false)
}

/// `link`, with the runtime that holds the JIT when `jit` is set.
pub fn link_with(object: &Path, output: &Path, jit: bool) -> Result<(), BackendError> {
    let dir = tempfile::Builder::new().prefix("rrust-link").tempdir()?;
    let lib = dir.path().join("librrruntime.a");
    std::fs::write(&lib, if jit { RUNTIME_JIT_LIB } else { RUNTIME_LIB })?;
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_string());
    let mut cmd = Command::new(&cc);
    cmd.arg("-o")
        .arg(output)
        .arg(object)
        .arg(&lib)
        // Drop the runtime's unused parts (a std staticlib is large).
        .arg("-Wl,--gc-sections")
        .args(NATIVE_LIBS.split_whitespace());
    let out = cmd
        .output()
        .map_err(|e| BackendError::Link(format!("cannot run `{cc}`: {e}")))?;
    if !out.status.success() {
        return Err(BackendError::Link(format!(
            "`{cc}` exited with {}:\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    Ok(())
}

/// The size of the embedded runtime archive, for summaries.
pub fn runtime_lib_size() -> usize {
    RUNTIME_LIB.len()
}
