//! `metainterp`: the run-time half of the meta-tracing JIT (DESIGN §2,
//! step 6), linked into `--opt=jit` programs.
//!
//! The AOT interpreter calls [`JitState::merge_point`] at the head of its
//! dispatch loop. The warm state (`warmstate`) counts per green key; a hot
//! key is traced by the metainterpreter (`tracer`): one interpreter over
//! the jitcodes that executes every instruction on concrete values and, in
//! tracing mode, records trace operations (`record`), folding what depends
//! only on constants. A closed loop goes through the `Backend` into a
//! `CompiledCode`; when one of its guards fails, the interpreter frames
//! are rebuilt from the guard's resume data (`resume`) and the same
//! interpreter, without recording (`blackhole`), finishes the iteration up
//! to the next merge point. `trace_interp` runs a trace on concrete values
//! (a `CompiledCode` for tests and debugging).
//!
//! Code map: `exec` (concrete semantics), `frame` (interpreter frames),
//! `record` (the recorder), `resume` (resume data), `tracer` (the
//! interpreter loop), `blackhole` (guard failure to the next merge point),
//! `warmstate` (counters, keys, compiled loops), `state` (`JitState`).

mod blackhole;
pub mod exec;
mod frame;
mod record;
mod resume;
mod state;
pub mod trace_interp;
mod tracer;
mod warmstate;

pub use state::{JitState, TraceInfo};
use std::time::Duration;

/// The runtime's functions the JIT calls (`docs/runtime-abi.md`).
#[derive(Copy, Clone)]
pub struct Host {
    /// `rr_malloc`: may collect.
    pub malloc: unsafe extern "C" fn(type_id: u64, size: u64) -> *mut u8,
    /// `rr_malloc_array`: may collect.
    pub malloc_array: unsafe extern "C" fn(type_id: u64, item_size: u64, len: u64) -> *mut u8,
    pub write_barrier: unsafe extern "C" fn(obj: *mut u8),
    pub write_barrier_array: unsafe extern "C" fn(obj: *mut u8, index: u64),
    pub panic_bounds: unsafe extern "C" fn(index: u64, len: u64, loc: *const u8, loc_len: u64) -> !,
    pub panic_msg:
        unsafe extern "C" fn(msg: *const u8, msg_len: u64, loc: *const u8, loc_len: u64) -> !,
    pub panic_expect:
        unsafe extern "C" fn(msg_string_obj: *mut u8, loc: *const u8, loc_len: u64) -> !,
}

/// A function calling a function pointer with the C signature of one
/// `CallDescr`: `(fnptr, args as u64 words) -> result word`.
pub type CallStub = Box<dyn Fn(u64, &[u64]) -> u64>;

/// How a trace being compiled links to the compiled ones.
#[derive(Copy, Clone, Debug)]
pub struct Link<'a> {
    /// Exit ids: leaving at op `i` of this trace returns `exit_base + i`.
    pub exit_base: u32,
    /// One word per op: where a failing guard continues (its bridge's
    /// `CompiledCode::entry`), 0 for back to the metainterp. The
    /// metainterp writes it when it attaches a bridge; the table lives as
    /// long as the code. A backend may ignore it (the metainterp then
    /// runs the bridge when the guard's exit id comes back).
    pub bridge_slots: *const u64,
    /// By trace number: the entry of each compiled trace, for `jump`s with
    /// `Descr::Target(n)`. A backend may instead return the jump's exit id
    /// with its args in the frame (the metainterp then enters trace `n`).
    /// A guard with `Descr::Restart(n)` (of an inlined short preamble)
    /// enters trace `n` here too when it fails.
    pub targets: &'a [u64],
    /// By trace number: the entry of each loop's compiled body, 0 for none
    /// (`jump`s with `Descr::Body(n)`).
    pub bodies: &'a [u64],
    /// The number the trace gets if it compiles (for names in profiles).
    pub number: usize,
    /// Null, or two words for the code to count its entries and its
    /// loop's iterations in (`JitParams::count`).
    pub counters: *mut u64,
}

/// What the JIT needs of a code generator (the runtime implements it with
/// `jitbackend`; tests with `trace_interp`).
pub trait Backend {
    /// Compiles a loop (`label` .. `jump`) or a bridge (inputs: the fail
    /// args of its guard; ends in a `jump` to another trace). `gcrefs` is
    /// `trace.gcrefs`'s table, which stays at that address while the code
    /// lives (the collector updates it in place): the code loads reference
    /// constants from it.
    fn compile(
        &mut self,
        trace: &traceir::Trace,
        gcrefs: *const u64,
        link: &Link,
    ) -> Result<Box<dyn CompiledCode>, String>;
    /// A function calling `fnptr` with the exact C signature of `call`
    /// (args as u64 words, floats as bits), result normalised (0 for none).
    fn call_stub(&mut self, call: &abi::CallDescr) -> Result<CallStub, String>;
    /// Compiles the body of loop `trace` (`traceir::ShortEntry::body`,
    /// entering it at its label), with the loop's own `link` and gcref
    /// table. None when the backend has no loop bodies (traces then jump
    /// to the loop's top and no short preamble is inlined).
    fn compile_body(
        &mut self,
        _trace: &traceir::Trace,
        _gcrefs: *const u64,
        _link: &Link,
    ) -> Option<Result<Box<dyn CompiledCode>, String>> {
        None
    }
}

/// A compiled trace.
pub trait CompiledCode {
    /// Runs the trace with its inputs in `frame[0..]`; returns the exit id
    /// (`Link::exit_base` of the trace that left + the index of its guard
    /// or jump), with that op's fail args (or a jump's args) in
    /// `frame[0..]`.
    ///
    /// # Safety
    /// `frame` must hold room for the inputs and for every exit's values
    /// of every trace it may chain to; the program's heap must be valid.
    unsafe fn run(&self, frame: *mut u64) -> u32;
    /// The address other traces jump to (0: none; then they return).
    fn entry(&self) -> u64 {
        0
    }
}

/// Tuning (RPython's defaults).
#[derive(Copy, Clone, Debug)]
pub struct JitParams {
    /// Merge-point passes of one green key before it is traced.
    pub threshold: u32,
    /// Maximum number of recorded operations.
    pub trace_limit: u32,
    pub enabled: bool,
    /// Run `traceir::optimize` on a loop before compiling it.
    pub optimize: bool,
    /// Failures of one guard before a bridge is traced from it.
    pub trace_eagerness: u32,
    /// Keep each trace as recorded, before optimisation (`jit-log-noopt`).
    pub keep_unoptimized: bool,
    /// Compiled code counts its entries and loop iterations
    /// (`jit-backend-counts`).
    pub count: bool,
    /// `debug_merge_point`s carry the text of the driver's
    /// `get_printable_location` (`jit-log-opt`, `jit-log-noopt`).
    pub locations: bool,
}

impl Default for JitParams {
    fn default() -> JitParams {
        JitParams {
            threshold: 1039,
            trace_limit: 6000,
            enabled: true,
            optimize: true,
            trace_eagerness: 200,
            keep_unoptimized: false,
            count: false,
            locations: false,
        }
    }
}

/// Counters for `jit-summary`.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    pub traces_started: u64,
    pub loops_compiled: u64,
    pub bridges_compiled: u64,
    pub aborts: u64,
    /// Why the last aborts happened (the newest few).
    pub abort_reasons: Vec<String>,
    /// Entries into compiled code from the metainterp.
    pub loop_entries: u64,
    /// Guards that failed back into the metainterp (no bridge yet).
    pub guard_failures: u64,
    pub time_tracing: Duration,
    /// The trace optimiser's passes.
    pub time_optimizing: Duration,
    /// The machine-code backend (Cranelift), installing included.
    pub time_compiling: Duration,
}

/// `merge_point`'s results.
pub mod exit {
    /// Continue the AOT loop with the values now in `buf`.
    pub const CONTINUE: u32 = 0;
    /// The JIT failed internally (see `JitState::take_error`); the state of
    /// the program is undefined: the runtime should abort.
    pub const ERROR: u32 = 1;
    /// The portal returned; its value is in `buf[0]`.
    pub const RETURNED: u32 = 2;
}
