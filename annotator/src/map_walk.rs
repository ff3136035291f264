//! Walking a `HashMap`: `keys()`, `values()`, `iter()` (and `into_iter()`,
//! `for (k, v) in &map`) give a new `Vec` of the keys, the values or
//! `(key, value)` pairs, which `for` and iterator chains loop over. The
//! order is the table's: fixed for a given program and input, and one of
//! the orders rustc's build may show (its `RandomState` order changes from
//! run to run), so a program whose output depends on it differs from
//! rustc's build as two runs of that build differ.
//!
//! What a `for` walks goes through `__for_seq` (`__for_seq_mut` when the
//! loop writes the elements): a `Vec` is walked itself, a map by its pairs.

use crate::builtins::Builtin as B;
use crate::engine::{Annotator, OpError};
use crate::model::SomeValue;
use flowspace::model::{GraphId, Op};

#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum Walk {
    Keys,
    Values,
    Pairs,
}

impl Annotator<'_> {
    pub(crate) fn map_walk(
        &mut self,
        g: GraphId,
        op: &Op,
        name: &str,
        recv: &SomeValue,
        args: &[SomeValue],
    ) -> Option<Result<(B, SomeValue), OpError>> {
        let walk = match (recv, name) {
            (_, "__for_seq" | "__for_seq_mut") if !matches!(recv, SomeValue::Dict(_)) => {
                return Some(match recv {
                    SomeValue::List(_) => Ok((B::Identity, recv.clone())),
                    other => Err(OpError::new(format!(
                        "a `for` loop over a value of type `{}` is not supported",
                        self.describe(other)
                    ))
                    .help("loop over a `Vec`, a slice, a range, a `HashMap` or the iterators `docs/rrust.md` lists")),
                });
            }
            (SomeValue::Dict(_), "__for_seq" | "iter" | "into_iter") => Walk::Pairs,
            (SomeValue::Dict(_), "keys" | "into_keys") => Walk::Keys,
            (SomeValue::Dict(_), "values" | "into_values") => Walk::Values,
            (SomeValue::Dict(_), "__for_seq_mut" | "iter_mut" | "values_mut") => {
                return Some(Err(OpError::new(
                    "writing a `HashMap`'s values while iterating over it is not supported yet",
                )
                .help(
                    "collect the keys first (`let keys: Vec<_> = m.keys().cloned().collect();`), \
                     then update each with `if let Some(v) = m.get_mut(&k) { .. }`",
                )))
            }
            _ => return None,
        };
        let SomeValue::Dict(d) = recv else {
            return None;
        };
        if !args.is_empty() {
            return Some(Err(OpError::new(format!("`{name}` takes no arguments"))));
        }
        let (k, v) = (self.dict_key(*d), self.dict_value(*d));
        let item = match walk {
            Walk::Keys => k,
            Walk::Values => v,
            Walk::Pairs => SomeValue::Tuple(vec![k, v]),
        };
        let l = self.site_list(g, op.result, 0, SomeValue::Impossible);
        Some(
            self.list_union_item(l, &item)
                .map(|()| (B::DictWalk(walk), SomeValue::List(l))),
        )
    }
}
