//! Element places: what `v.get_mut(i)`, `v.first_mut()`, `v.last_mut()`,
//! `&mut v[i]`, `m.get_mut(&k)` and `m.entry(k).or_insert(..)` give. The
//! frontend (frontend/elems.rs) lowers each to a *slot* of its container,
//! computed once, and every later read or write of the reference to a
//! hidden method on the container and the slot:
//!
//! - `c.__slot_of(key)`: a `Vec`'s slot is the index itself; a `HashMap`'s
//!   is its entry's index (`-1` when the key is absent), so the key is
//!   neither hashed again nor kept (the program may change it after);
//! - `v.__slot_last()`: `len - 1` (wrapping: `usize::MAX` when empty);
//! - `c.__slot_opt(slot)`: `Some(element)`, or `None` when there is none;
//! - `c.__slot_get(slot)`, `c.__slot_set(slot, x)`: read and write it;
//! - `m.__entry(key, default)`: the slot of `key`, inserted with `default`
//!   when absent (`entry(key).or_insert(default)`); `m.__entry_default(key)`
//!   the same with the value type's `Default`.
//!
//! While the reference lives, Rust's borrow rules keep the container from
//! being resized or rehashed, so the slot stays valid.

use crate::builtins::Builtin as B;
use crate::engine::{Annotator, OpError};
use crate::model::{IntKind, SomeValue};
use flowspace::model::IntTy;

fn usize_ann() -> SomeValue {
    SomeValue::Int {
        kind: IntKind::Ty(IntTy::Usize),
        nonneg: true,
        konst: None,
    }
}

fn i64_ann() -> SomeValue {
    SomeValue::Int {
        kind: IntKind::Ty(IntTy::I64),
        nonneg: false,
        konst: None,
    }
}

impl Annotator<'_> {
    /// The hidden slot methods (module doc); `None` for any other name.
    pub(crate) fn slot_method(
        &mut self,
        name: &str,
        recv: &SomeValue,
        args: &[SomeValue],
    ) -> Option<Result<(B, SomeValue), OpError>> {
        if !name.starts_with("__slot_") && !name.starts_with("__entry") {
            return None;
        }
        let internal = || OpError::new(format!("internal error: `{name}` on this value"));
        Some(match (recv, name, args) {
            (SomeValue::List(_), "__slot_of", [i]) => self
                .expect_int(i, IntTy::Usize)
                .map(|()| (B::SlotIdentity, usize_ann())),
            (SomeValue::List(_), "__slot_last", []) => Ok((B::ListSlotLast, usize_ann())),
            (SomeValue::List(l), "__slot_opt", [_]) => Ok((
                B::ListGet,
                SomeValue::Option(Box::new(self.list_item(*l))),
            )),
            (SomeValue::List(l), "__slot_get", [_]) => Ok((B::ListSlotGet, self.list_item(*l))),
            (SomeValue::List(l), "__slot_set", [_, x]) => {
                let l = *l;
                self.list_flags(l, false, true);
                self.list_union_item(l, x)
                    .map(|()| (B::ListSlotSet, SomeValue::Unit))
            }
            (SomeValue::Dict(d), "__slot_of", [k]) => self
                .dict_union(*d, k, &SomeValue::Impossible)
                .map(|()| (B::DictSlotOf, i64_ann())),
            (SomeValue::Dict(d), "__slot_opt", [_]) => Ok((
                B::DictSlotOpt,
                SomeValue::Option(Box::new(self.dict_value(*d))),
            )),
            (SomeValue::Dict(d), "__slot_get", [_]) => Ok((B::DictSlotGet, self.dict_value(*d))),
            (SomeValue::Dict(d), "__slot_set", [_, x]) => self
                .dict_union(*d, &SomeValue::Impossible, x)
                .map(|()| (B::DictSlotSet, SomeValue::Unit)),
            (SomeValue::Dict(d), "__entry", [k, x]) => self
                .dict_union(*d, k, x)
                .map(|()| (B::DictEntry, i64_ann())),
            (SomeValue::Dict(d), "__entry_default", [k]) => {
                let d = *d;
                match self.dict_union(d, k, &SomeValue::Impossible) {
                    Err(e) => Err(e),
                    Ok(()) => match self.dict_value(d) {
                        SomeValue::Impossible
                        | SomeValue::Int { .. }
                        | SomeValue::Float
                        | SomeValue::Bool { .. }
                        | SomeValue::Char
                        | SomeValue::Str { .. } => Ok((B::DictEntryDefault, i64_ann())),
                        other => Err(OpError::new(format!(
                            "`or_default()` of a `{}` value is not supported yet",
                            self.describe(&other)
                        ))
                        .help("give the value: `.or_insert_with(Vec::new)`, `.or_insert(0)`")),
                    },
                }
            }
            (SomeValue::List(_) | SomeValue::Dict(_), _, _) => Err(internal()),
            (other, _, _) => Err(OpError::new(format!(
                "a `{}` has no elements to borrow mutably",
                self.describe(other)
            ))
            .help("`get_mut`, `first_mut`, `last_mut` and `&mut v[i]` work on a `Vec`; `get_mut` and `entry` on a `HashMap`")),
        })
    }
}
