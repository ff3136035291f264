//! Tests of the AOT backend: small `LLProgram`s built by hand, compiled,
//! linked with the runtime and run.

mod builder;
mod run;

mod arith;
mod bf;
mod control;
mod errors;
mod gc;
mod heap;
mod panics;
mod runtime_calls;
