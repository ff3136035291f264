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
mod int_methods;
mod map_walk;
pub mod model;
mod ops;
mod result;
mod slots;
mod tryop;
mod widen;

pub use builtins::{AsciiClass, Builtin, Resolution};
pub use int_methods::IntArith;
pub use map_walk::Walk;
pub use model::*;
pub use result::Annotations;

use flowspace::model::Program;
use flowspace::Diagnostic;
use std::collections::HashMap;

/// A trait of `ts` or one of their supertraits declares method `name`.
pub fn dyn_declares(prog: &Program, ts: &[flowspace::model::TraitId], name: &str) -> bool {
    let mut seen = Vec::new();
    let mut todo = ts.to_vec();
    while let Some(t) = todo.pop() {
        if seen.contains(&t) {
            continue;
        }
        seen.push(t);
        if let Some(d) = prog.traits.get(t) {
            if d.methods.iter().any(|m| m == name) {
                return true;
            }
            todo.extend(d.supertraits.iter().copied());
        }
    }
    false
}

/// The `Display` method of each type a `dyn` value may have, when all of
/// them implement `Display`.
pub fn dyn_display_targets(
    prog: &Program,
    d: &DynSet,
) -> Option<Vec<(flowspace::model::StructId, flowspace::model::GraphId)>> {
    d.types
        .iter()
        .map(|s| Some((*s, prog.method(*s, flowspace::model::USER_DISPLAY)?)))
        .collect()
}

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
