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
mod generics;
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
use std::collections::HashMap;

/// The graphs annotation reached, the entry first (the ones to lower).
pub fn reachable_graphs(a: &Annotations) -> Vec<flowspace::model::GraphId> {
    a.reachable.clone()
}

/// Annotates every graph reachable from `prog.entry`. Instances of generic
/// functions are added to `prog` (`generics.rs`): annotation reruns until
/// every instance it needs exists.
pub fn annotate(prog: &mut Program) -> Result<Annotations, Vec<Diagnostic>> {
    let mut diags = result::check_structs(prog);
    let mut instances = HashMap::new();
    for _ in 0..generics::MAX_ROUNDS {
        let mut a = engine::Annotator::new(prog, instances.clone());
        a.run();
        let wanted = std::mem::take(&mut a.wanted);
        if wanted.is_empty() {
            let (anns, mut more) = result::finish(a);
            diags.append(&mut more);
            return if diags.is_empty() {
                Ok(anns)
            } else {
                Err(diags)
            };
        }
        drop(a);
        // Errors of this run may come from calls whose instance was
        // missing; the next run reports the real ones.
        for (template, key) in wanted {
            let mut inst = prog.graphs[template].clone();
            inst.name = format!("{}::<{}>", inst.name, key.join(", "));
            inst.generics.clear();
            let id = prog.graphs.push(inst);
            instances.insert((template, key), id);
        }
    }
    diags.push(Diagnostic::global(
        "generic functions keep calling new instances of themselves (a type that grows \
         with each call): the translator stops instantiating them",
    ));
    Err(diags)
}
