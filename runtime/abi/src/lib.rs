//! `abi`: what the translator and the runtime must agree on, in one place
//! with no dependencies (DESIGN §7).
//!
//! - `layout`: the object header word, GC flags, array and list offsets,
//!   well-known type ids;
//! - `jitcode`: the JIT's program description that the codewriter writes
//!   at translation time and the runtime's metainterp reads at run time:
//!   jitcodes (a register bytecode with int/ref/float banks), call
//!   descriptors with their effects, field and array descriptors, and the
//!   jit drivers (one per `#[jit_merge_point]`);
//! - `wire`: the byte encoding of a `JitProgram` (the object file holds it
//!   as data);
//! - `warm`: the hash of green keys and the counter tables that the AOT
//!   merge point and the metainterp share;
//! - `liveness`: the registers of a jitcode live before each instruction
//!   (what a guard's resume data must keep).

pub mod jitcode;
pub mod layout;
pub mod liveness;
pub mod runtime_fns;
pub mod warm;
pub mod wire;

pub use jitcode::*;
