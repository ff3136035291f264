//! `codewriter`: low-level graphs to the JIT's jitcodes and descriptor
//! tables (DESIGN §2, step 4; the format is `abi::jitcode`).
//!
//! The portals (graphs with a `JitMergePoint`) and every graph reachable
//! from them by direct calls that the JIT may look inside (not
//! `#[dont_look_inside]`) become jitcodes; every other callee is called
//! residually through a `CallDescr` without a jitcode.
//!
//! - `policy`: which graphs, their order, block order, loops;
//! - (what calls may do comes from `backendopt::effects`);
//! - `tables`: call descriptors, function addresses, reference constants,
//!   strings, drivers;
//! - `graph`: registers, block layout, links and exits;
//! - `ops`, `drivers`: each op as an instruction.

mod drivers;
mod error;
mod graph;
mod kinds;
mod ops;
mod policy;
mod tables;

pub use error::CodewriterError;
pub use policy::has_cycle;

use cranelift_entity::EntityRef;
use rtyper::llgraph::{LLGraphId, LLProgram, PrebuiltId};

/// What entry `i` of the function-address table (`rrjit_fnptrs`) holds.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum FnTarget {
    /// The AOT code of a graph.
    Graph(LLGraphId),
    /// A runtime function (`rr_*`).
    Runtime(String),
}

/// The jitcodes and the tables the backend emits with them.
#[derive(Debug)]
pub struct JitData {
    pub program: abi::JitProgram,
    /// Entry `i` of the `rrjit_refconsts` table.
    pub refconsts: Vec<PrebuiltId>,
    /// Entry `i` of the `rrjit_fnptrs` table.
    pub fnptrs: Vec<FnTarget>,
    /// By `LLGraphId` index: the graph's jitcode, if it has one.
    pub graph_jitcode: Vec<Option<u32>>,
}

/// Writes the jitcodes of the program's portals and of the graphs they
/// may inline. A program without a portal gives an empty `JitProgram`.
pub fn write_jitcodes(program: &LLProgram) -> Result<JitData, CodewriterError> {
    write_jitcodes_with_roots(program, &[])
}

/// As `write_jitcodes`, with `extra_roots` treated as graphs the JIT may
/// enter too (they get jitcodes, as do the graphs they reach; they are
/// not portals unless they hold a merge point).
pub fn write_jitcodes_with_roots(
    program: &LLProgram,
    extra_roots: &[LLGraphId],
) -> Result<JitData, CodewriterError> {
    let portals = policy::portals(program);
    let mut roots = portals.clone();
    roots.extend_from_slice(extra_roots);
    // The tracer runs each driver's `get_printable_location` from its
    // jitcode (for the logs' `debug_merge_point`s).
    for &p in &portals {
        let mp = program.graphs[p].hints.merge_point.as_ref();
        if let Some(name) = mp.and_then(|m| m.get_printable_location.as_deref()) {
            roots.extend(policy::graph_named(program, name));
        }
    }
    let order = policy::jitcode_graphs(program, &roots);
    let mut graph_jitcode = vec![None; program.graphs.len()];
    for (i, g) in order.iter().enumerate() {
        let i = u32::try_from(i).map_err(|_| CodewriterError::new(None, "too many jitcodes"))?;
        graph_jitcode[g.index()] = Some(i);
    }
    let fx = backendopt::effects::graph_effects(program);
    let mut t = tables::Tables::new(program, fx, graph_jitcode);
    let mut jitcodes = Vec::with_capacity(order.len());
    for (i, &gid) in order.iter().enumerate() {
        let g = &program.graphs[gid];
        let has_loop = policy::has_loop(g, portals.contains(&gid));
        let w = graph::GraphWriter::new(&mut t, gid, i as u32);
        jitcodes.push(w.write(has_loop)?);
    }
    let mut drivers = Vec::with_capacity(t.drivers.len());
    for (i, d) in std::mem::take(&mut t.drivers).into_iter().enumerate() {
        match d {
            Some(d) => drivers.push(d),
            None => {
                return Err(CodewriterError::new(
                    None,
                    format!("jit driver {i} has no merge point"),
                ))
            }
        }
    }
    let num_refconsts = u32::try_from(t.refconsts.len())
        .map_err(|_| CodewriterError::new(None, "too many reference constants"))?;
    let num_fnptrs = u32::try_from(t.fnptrs.len())
        .map_err(|_| CodewriterError::new(None, "too many function pointers"))?;
    Ok(JitData {
        program: abi::JitProgram {
            jitcodes,
            calls: t.calls,
            drivers,
            strings: t.strings,
            num_refconsts,
            num_fnptrs,
        },
        refconsts: t.refconsts,
        fnptrs: t.fnptrs,
        graph_jitcode: t.graph_jitcode,
    })
}
