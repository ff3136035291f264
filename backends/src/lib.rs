//! Backends of rrust: low-level graphs to native code.
//!
//! - `aot`: lowers every `LLGraph` of an `LLProgram` to Cranelift IR and
//!   writes one relocatable object (code, prebuilt constants, panic strings).
//! - `link`: links that object with the runtime staticlib (embedded in this
//!   crate by `build.rs`) into an executable with the system `cc`.

pub mod aot;
pub mod error;
pub mod link;
mod runtime_lib;

pub use aot::{
    build_executable, clif_text, compile, compile_with, AotOptions, CompiledObject, JitFn,
    JitTables, ObjectStats,
};
pub use error::BackendError;

#[cfg(test)]
mod tests;
