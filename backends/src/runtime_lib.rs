//! The runtime staticlib, built by `build.rs` and embedded here so that the
//! linker finds it wherever `translate` runs.

/// The bytes of `librrruntime.a`.
pub(crate) static RUNTIME_LIB: &[u8] = include_bytes!(env!("RRUST_RUNTIME_LIB"));

/// The bytes of the runtime built with its JIT (`--opt=jit`).
pub(crate) static RUNTIME_JIT_LIB: &[u8] = include_bytes!(env!("RRUST_RUNTIME_JIT_LIB"));

/// The native libraries the staticlib needs (`-lgcc_s -lpthread ...`), as
/// rustc's `--print native-static-libs` reported them.
pub(crate) const NATIVE_LIBS: &str = env!("RRUST_RUNTIME_NATIVE_LIBS");
