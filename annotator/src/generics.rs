//! Generic functions, monomorphised: a function with type parameters
//! (`fn max_of<T: PartialOrd>(a: T, b: T) -> T`) is a template; each call
//! binds its parameters from the argument annotations and goes to the
//! instance for that binding (`max_of::<i64>`, `max_of::<String>`), a copy
//! of the template's flow graph annotated on its own. Instances are made
//! between annotation runs (`annotate` reruns until none is missing), so
//! the program only grows outside a run.
//!
//! Type parameters of generic structs and enums are erased instead: such a
//! type has one layout for all its uses.

use crate::engine::{Annotator, OpError};
use crate::model::SomeValue;
use flowspace::model::{GraphId, Ty};

/// More rounds than any program nests generic calls: a bound that only a
/// binding growing without end (`f::<Vec<T>>` calling `f::<Vec<Vec<T>>>`)
/// reaches.
pub(crate) const MAX_ROUNDS: usize = 64;

impl Annotator<'_> {
    /// The graph a call of `callee` with `args` runs: `callee` itself, or
    /// the instance of a generic `callee` for the binding the arguments
    /// give. `None` while that instance does not exist yet (it is wanted
    /// for the next run).
    pub(crate) fn instance_of(
        &mut self,
        callee: GraphId,
        args: &[SomeValue],
    ) -> Result<Option<GraphId>, OpError> {
        let Some(gr) = self.prog.graphs.get(callee) else {
            return Ok(Some(callee));
        };
        if gr.generics.is_empty() {
            return Ok(Some(callee));
        }
        let mut bound: Vec<Option<String>> = vec![None; gr.generics.len()];
        for (ty, a) in gr.param_tys.iter().zip(args) {
            self.bind(ty, a, &mut bound);
        }
        if let Some(k) = bound.iter().position(|b| b.is_none()) {
            return Err(OpError::new(format!(
                "the type parameter `{}` of `{}` is not given by an argument",
                gr.generics[k], gr.name
            ))
            .help(
                "the translator takes the types of a generic function from its \
                 arguments; pass a value of that type, or write the function for the \
                 type it returns",
            ));
        }
        let key: Vec<String> = bound.into_iter().flatten().collect();
        if let Some(g) = self.instances.get(&(callee, key.clone())) {
            return Ok(Some(*g));
        }
        if !self.wanted.contains(&(callee, key.clone())) {
            self.wanted.push((callee, key));
        }
        Ok(None)
    }

    /// Binds the type parameters `ty` mentions to the parts of `a`.
    fn bind(&self, ty: &Ty, a: &SomeValue, out: &mut Vec<Option<String>>) {
        use SomeValue as S;
        match (ty, a) {
            (Ty::Param(k), _) => {
                if let Some(slot @ None) = out.get_mut(*k as usize) {
                    *slot = Some(self.describe(&a.erased()));
                }
            }
            (Ty::Ref { inner, .. } | Ty::Box(inner), _) => self.bind(inner, a, out),
            (Ty::Vec(t) | Ty::Slice(t), S::List(l)) => {
                let item = self.list_item(*l);
                self.bind(t, &item, out);
            }
            (Ty::Option(t), S::Option(x)) => self.bind(t, x, out),
            (Ty::Result(o, e), S::Result(x, y)) => {
                self.bind(o, x, out);
                self.bind(e, y, out);
            }
            (Ty::Tuple(ts), S::Tuple(xs)) => {
                for (t, x) in ts.iter().zip(xs) {
                    self.bind(t, x, out);
                }
            }
            (Ty::HashMap(k, v), S::Dict(d)) => {
                let (ka, va) = crate::model::Lookup::dict_key_value(self, *d)
                    .unwrap_or((S::Impossible, S::Impossible));
                self.bind(k, &ka, out);
                self.bind(v, &va, out);
            }
            _ => {}
        }
    }
}
