//! The host instruction set, configured for run-time code.

use crate::CompileError;
use cranelift_codegen::isa::OwnedTargetIsa;
use cranelift_codegen::settings::{self, Configurable};

/// The native ISA with opt_level=speed. Code is position independent
/// enough to be copied anywhere: it has no relocations (function and
/// table addresses are immediates, constants sit in the code's own pool).
/// Frame pointers are kept: Cranelift's tail calls rely on them (and
/// profilers can then walk through trace code).
pub fn host_isa() -> Result<OwnedTargetIsa, CompileError> {
    let mut flags = settings::builder();
    for (k, v) in [
        ("opt_level", "speed"),
        ("enable_verifier", "false"),
        ("preserve_frame_pointers", "true"),
    ] {
        flags
            .set(k, v)
            .map_err(|e| CompileError::Isa(format!("{k}={v}: {e}")))?;
    }
    let builder = cranelift_native::builder().map_err(|e| CompileError::Isa(e.to_string()))?;
    builder
        .finish(settings::Flags::new(flags))
        .map_err(|e| CompileError::Isa(e.to_string()))
}
