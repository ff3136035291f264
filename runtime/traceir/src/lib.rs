//! `traceir`: the JIT's trace IR (DESIGN §2, step 6), its text form and
//! the optimiser's passes.
//!
//! A trace is a straight line of operations on values (RPython's
//! `resoperation` model): inputs, results of earlier operations, or
//! constants. Guards carry `fail_args`, the values the interpreter's state
//! is rebuilt from when the guard fails (the metainterp keeps what each
//! position means). A loop is `label(inputs..)` ... `jump(args..)` back to
//! the last label.
//!
//! Code map: `ops` (the opcode table: one row per operation with its
//! arity, result type and properties), `trace` (values, operations,
//! traces), `text` (print and parse the PyPy-log text form), `optimize`
//! (the passes).

pub mod fasthash;
pub mod ops;
pub mod optimize;
pub mod text;
pub mod trace;

pub use ops::{OpFlags, Opcode};
pub use trace::*;
