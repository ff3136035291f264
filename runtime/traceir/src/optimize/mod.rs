//! The trace optimiser: plain passes over the straight line of a trace,
//! run in order by `optimize`, after `peel` has peeled one iteration off a
//! loop (so that what the passes learn in the preamble serves the loop).
//!
//! - `fold`: constant folding and algebraic identities of pure ops;
//! - `cse`: common subexpressions of pure ops and `call_pure_*`;
//! - `guards`: guards whose condition is already known;
//! - `strengthen`: a run of bounds guards `x + c < n` becomes one check
//!   of the largest `c` at the first guard;
//! - `heap`: cached field and array-item reads;
//! - `virtualize`: allocations that do not escape (RPython's virtuals),
//!   described in the fail args of the guards that hold them;
//! - `dse`: stores overwritten before anything could see them;
//! - `unalias` (once, then the passes again): guards in the preamble that
//!   an array the loop writes and another it reads are two objects
//!   (`alias` has what the passes know of aliasing);
//! - `carry` (once): loop-carried heap values become label arguments;
//! - `sink` (once): stores delayed past guards, whose exits do them;
//! - `short` (once, beside `sink`): the loop's entry at its label for
//!   traces that jump to it: a short preamble, which `short::inline`
//!   puts into such a trace before the passes run on it, and the loop's
//!   body as a trace of its own;
//! - `exit_constants` (once, last): a guard's condition in its own fail
//!   args is the constant it must have had for the guard to fail.
//! - `dce`: unused pure ops, heap reads and allocations.
//!
//! Every pass rewrites uses of a replaced value in later `args` and
//! `fail_args` and renumbers `Value::Op`s after removing ops (`rewrite`).
//! At a `label` every pass keeps only what holds on every iteration
//! (`boundary`): the label's arguments are the loop-carried values, which
//! the back edge redefines. Values that a label names are never replaced.

mod alias;
mod boundary;
pub mod carry;
mod effects;
pub mod exitconst;
mod rewrite;

pub mod cse;
pub mod dce;
pub mod dse;
pub mod fold;
pub mod guards;
pub mod heap;
pub mod peel;
pub mod short;
pub mod sink;
pub mod strengthen;
pub mod unalias;
pub mod virtualize;

pub use cse::cse;
pub use dce::dce;
pub use dse::dse;
pub use fold::fold;
pub use guards::guards;
pub use heap::heap;
pub use virtualize::virtualize;

use crate::trace::Trace;
use abi::CallDescr;

/// Operations removed by each pass (summed over the rounds).
#[derive(Copy, Clone, PartialEq, Eq, Debug, Default)]
pub struct OptStats {
    pub folded: usize,
    pub cse: usize,
    pub guards: usize,
    pub heap: usize,
    /// Stores overwritten before anything could see them.
    pub stores: usize,
    pub dead: usize,
    /// Allocations removed (`virtualize`).
    pub virtuals: usize,
    /// 1 when a loop was peeled.
    pub peeled: usize,
    /// Stores moved past a guard (or dropped) by `sink`.
    pub sunk: usize,
    /// Rounds of the whole pipeline run (it repeats while the trace
    /// changes, at most `MAX_ROUNDS` times).
    pub rounds: usize,
}

impl OptStats {
    /// All removed operations.
    pub fn removed(&self) -> usize {
        self.folded + self.cse + self.guards + self.heap + self.stores + self.dead + self.virtuals
    }
}

/// Upper bound on the pipeline's rounds.
pub const MAX_ROUNDS: usize = 4;

/// Peels a loop, runs the passes in order (fold, cse, guards, heap, dse,
/// dce) again while the trace changes, then carries heap values through
/// the label and sinks stores past guards. `calls` gives the effects of `<Call N>`; an unknown
/// call is assumed to write the heap and panic.
pub fn optimize(trace: &mut Trace, calls: &[CallDescr]) -> OptStats {
    let peeled = peel::peel(trace) as usize;
    let mut stats = run_passes(trace, calls);
    if unalias::unalias(trace) > 0 {
        let again = run_passes(trace, calls);
        stats = OptStats {
            folded: stats.folded + again.folded,
            cse: stats.cse + again.cse,
            guards: stats.guards + again.guards,
            heap: stats.heap + again.heap,
            stores: stats.stores + again.stores,
            dead: stats.dead + again.dead,
            virtuals: stats.virtuals + again.virtuals,
            rounds: stats.rounds + again.rounds,
            ..stats
        };
    }
    let carried = carry::carry(trace);
    let short = short::build(trace, &carried);
    let sunk = sink::sink(trace, &carried);
    exitconst::exit_constants(trace);
    trace.short = short.and_then(|(mut entry, carried)| {
        sink::sink(&mut entry.body, &carried);
        exitconst::exit_constants(&mut entry.body);
        short::align(trace, entry).map(Box::new)
    });
    OptStats {
        peeled,
        sunk,
        ..stats
    }
}

/// The passes without peeling, again while the trace changes.
pub fn run_passes(trace: &mut Trace, calls: &[CallDescr]) -> OptStats {
    let mut stats = OptStats::default();
    while stats.rounds < MAX_ROUNDS {
        let before = trace.clone();
        stats.rounds += 1;
        stats.folded += fold(trace);
        stats.cse += cse(trace, calls);
        stats.guards += guards(trace);
        stats.guards += strengthen::strengthen(trace);
        stats.heap += heap(trace, calls);
        stats.virtuals += virtualize(trace);
        stats.stores += dse(trace);
        stats.dead += dce(trace, calls);
        if *trace == before {
            break;
        }
    }
    stats
}

#[cfg(test)]
pub(crate) mod testutil;

#[cfg(test)]
mod tests;
