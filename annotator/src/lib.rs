//! Annotation: forward-propagating type inference over the flow graphs,
//! from `fn main` to a fixpoint (DESIGN §2).
//!
//! - `model`: the lattice (`SomeValue`) and list/dict/field definitions.
//! - `engine`: union, int type variables, the worklist fixpoint.
//! - `ops`: the rule of each operation; `builtins`: the std surface.
//! - `result`: what later stages read (`Annotations`).
//! - `dot`: annotated flow graphs as Graphviz.

mod builtins;
pub mod dot;
mod engine;
pub mod model;
mod ops;
mod result;
mod tryop;
mod widen;

pub use builtins::{AsciiClass, Builtin, Resolution};
pub use model::*;
pub use result::Annotations;

use flowspace::model::Program;
use flowspace::Diagnostic;

/// The graphs annotation reached, the entry first (the ones to lower).
pub fn reachable_graphs(a: &Annotations) -> Vec<flowspace::model::GraphId> {
    a.reachable.clone()
}

/// Annotates every graph reachable from `prog.entry`.
pub fn annotate(prog: &Program) -> Result<Annotations, Vec<Diagnostic>> {
    let mut diags = result::check_structs(prog);
    let mut a = engine::Annotator::new(prog);
    a.run();
    let (anns, mut more) = result::finish(a);
    diags.append(&mut more);
    if diags.is_empty() {
        Ok(anns)
    } else {
        Err(diags)
    }
}
