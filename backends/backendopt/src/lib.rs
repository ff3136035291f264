//! `backendopt`: optimisations on low-level graphs, between the rtyper and
//! the AOT backend (RPython's backend optimisations), and the analyses
//! several consumers share.
//!
//! [`optimize`] visits the graphs bottom-up over the call graph (callees
//! before their callers) and, in each: inlines the calls the cost model
//! picks (`inline`), removes the struct objects that do not escape
//! (`malloc`), tidies up (`cleanup`: copy propagation, constant
//! branches, jump threading, dead ops and inputs), and turns chains of
//! `==` tests against constants into switches (`switch`) and threads
//! links through small blocks whose branch they decide (`thread`), and
//! removes repeated loads and pure ops (`cse`).
//!
//! Analyses: `effects` (what calling each graph may do: collect, panic,
//! read or write the heap), `callgraph` (recursive cycles), `loops` (blocks
//! in loops), `cfg` (block orders).
//!
//! The JIT's codewriter reads the graphs as the rtyper left them (as in
//! RPython, the jitcodes are made before the backend optimisations), so
//! graph ids never change here: no graph is added or removed.

pub mod callgraph;
pub mod cfg;
mod cleanup;
mod cse;
pub mod effects;
pub mod inline;
pub mod loops;
mod malloc;
mod switch;
mod thread;
mod unionfind;

pub use inline::InlineLimits;

use rtyper::llgraph::LLProgram;

/// What to run.
#[derive(Clone, Debug)]
pub struct Options {
    /// Inline calls (None: no inlining).
    pub inline: Option<InlineLimits>,
    /// Remove non-escaping struct objects.
    pub remove_mallocs: bool,
    /// Turn chains of `==` tests against constants into switches.
    pub switches: bool,
    /// Thread links through small blocks whose branch they decide.
    pub threading: bool,
    /// Remove repeated loads and pure ops (type-based aliasing).
    pub cse: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            inline: Some(InlineLimits::default()),
            remove_mallocs: true,
            switches: true,
            threading: true,
            cse: true,
        }
    }
}

/// What the passes did, for the driver's summary.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub inlined_calls: usize,
    pub removed_mallocs: usize,
    pub switches: usize,
    pub ops_before: usize,
    pub ops_after: usize,
}

impl Stats {
    /// `12 calls inlined, 3 mallocs removed, 2 switches, 514 -> 480 ops`.
    pub fn summary(&self) -> String {
        format!(
            "{} calls inlined, {} mallocs removed, {} switches, {} -> {} ops",
            self.inlined_calls,
            self.removed_mallocs,
            self.switches,
            self.ops_before,
            self.ops_after
        )
    }
}

fn total_ops(p: &LLProgram) -> usize {
    p.graphs.values().map(|g| g.op_count()).sum()
}

/// Optimises every graph of `program` in place.
pub fn optimize(program: &mut LLProgram, opts: &Options) -> Stats {
    let mut stats = Stats {
        ops_before: total_ops(program),
        ..Stats::default()
    };
    let calls = callgraph::CallGraph::new(program);
    let graph_fx = effects::graph_effects(program);
    for &gid in &calls.bottom_up {
        if let Some(limits) = &opts.inline {
            stats.inlined_calls += inline::inline_calls(program, &calls, gid, limits);
        }
        let LLProgram {
            graphs,
            types,
            prebuilt,
            ..
        } = &mut *program;
        let g = &mut graphs[gid];
        if !malloc::well_formed(g) {
            continue;
        }
        cleanup::cleanup(g, prebuilt);
        if opts.remove_mallocs {
            let n = malloc::remove_mallocs(g, types, prebuilt);
            if n > 0 {
                stats.removed_mallocs += n;
                cleanup::cleanup(g, prebuilt);
            }
        }
        if opts.switches {
            stats.switches += switch::chains_to_switches(g);
        }
        if opts.threading {
            if thread::merge_switches(g) {
                cleanup::cleanup(g, prebuilt);
            }
            // A round per block a constant travels, and one more: a
            // copy's folded branch may decide the next block's.
            for _ in 0..thread::MAX_DEPTH + 2 {
                thread::case_constants(g);
                if !thread::duplicate(g) {
                    break;
                }
                cleanup::cleanup(g, prebuilt);
            }
            cleanup::cleanup(g, prebuilt);
        }
        if opts.cse && cse::eliminate(g, &graph_fx) {
            cleanup::cleanup(g, prebuilt);
        }
    }
    stats.ops_after = total_ops(program);
    stats
}
