//! `jitbackend`: compiles JIT traces (`traceir::Trace`) to native code at
//! run time with Cranelift (DESIGN §2, step 7).
//!
//! A compiled trace is one function `tail fn(frame: *mut u64) -> u32`
//! (entered from Rust through `trampoline`): the frame holds the trace
//! inputs on entry and the values of the exit's fail args (or finish args)
//! on return; the result is the exit id (`Link::exit_base` + the index of
//! the guard or finish that left). A guard with a bridge and a jump to
//! another trace are tail calls (`Link`). The code has no relocations: runtime
//! functions and callees are called through immediate addresses, reference
//! constants are loaded from the trace's gcref table at run time (the
//! moving collector updates that table), and it follows the shadow-stack
//! and write-barrier protocols of docs/runtime-abi.md.
//!
//! Code map: `compile` (the entry point and `CompiledLoop`), `lower`
//! (trace → Cranelift IR), `heap` (loads, stores, write barrier),
//! `roots` (liveness of references and the shadow stack), `types`
//! (kinds → Cranelift types), `callstub` (calls with a signature known
//! only at run time, for the tracer and blackhole), `trampoline` (Rust →
//! `tail` code), `finish` (Cranelift
//! function → executable memory), `memory` (W^X pages), `isa`.

mod callstub;
mod compile;
mod error;
mod finish;
mod heap;
mod isa;
mod lower;
mod memory;
mod roots;
mod trampoline;
mod types;

pub use callstub::{compile_call_stub, CallStub};
pub use compile::{compile, compile_body, CompiledLoop, Env, Link, RuntimeFns};
pub use error::CompileError;
pub use memory::ExecMemory;
