//! Replacing and removing ops during a pass, then renumbering.

use crate::ops::Opcode;
use crate::trace::{Op, Trace, Value};

/// Per op: whether a label names its result. Such a value is loop-carried:
/// after the label it holds whatever the jump passed, not what its defining
/// op computed, so no pass may look through its definition there.
pub(crate) fn pinned_ops(trace: &Trace) -> Vec<bool> {
    let mut pinned = vec![false; trace.ops.len()];
    for op in trace.ops.iter().filter(|op| op.opcode == Opcode::Label) {
        for v in &op.args {
            if let Value::Op(j) = *v {
                if let Some(p) = pinned.get_mut(j as usize) {
                    *p = true;
                }
            }
        }
    }
    pinned
}

/// The op defining `v`, unless `v` is an input, a constant or a value a
/// label names (`pinned_ops`).
pub(crate) fn definition<'t>(trace: &'t Trace, pinned: &[bool], v: Value) -> Option<&'t Op> {
    match v {
        Value::Op(j) if !pinned.get(j as usize).copied().unwrap_or(true) => {
            trace.ops.get(j as usize)
        }
        _ => None,
    }
}

/// `v` renamed by `map` (old op index → its value now); other values as
/// they are.
pub(crate) fn remap_value(v: Value, map: &[Value]) -> Value {
    match v {
        Value::Op(j) => map.get(j as usize).copied().unwrap_or(v),
        _ => v,
    }
}

/// The edits of one pass over a trace.
pub(crate) struct Rewrite {
    /// What the result of each op was replaced by.
    subst: Vec<Option<Value>>,
    removed: Vec<bool>,
    /// Results named by a `label` (loop-carried; never replaced).
    pinned: Vec<bool>,
}

impl Rewrite {
    pub(crate) fn new(trace: &Trace) -> Rewrite {
        let n = trace.ops.len();
        let pinned = pinned_ops(trace);
        Rewrite {
            subst: vec![None; n],
            removed: vec![false; n],
            pinned,
        }
    }

    /// Whether op `j`'s result is named by a label (see `pinned_ops`).
    pub(crate) fn is_pinned(&self, j: u32) -> bool {
        self.pinned.get(j as usize).copied().unwrap_or(true)
    }

    /// `v` after the replacements so far.
    pub(crate) fn resolve(&self, v: Value) -> Value {
        match v {
            Value::Op(i) => self.subst.get(i as usize).copied().flatten().unwrap_or(v),
            _ => v,
        }
    }

    /// Applies the replacements so far to `op`'s args and fail_args.
    pub(crate) fn resolve_args(&self, op: &mut Op) {
        for v in op.uses_mut() {
            *v = self.resolve(*v);
        }
    }

    /// Removes op `i`, its result becoming `v` in later ops; false (and
    /// nothing done) when the result is pinned by a label.
    pub(crate) fn replace(&mut self, i: usize, v: Value) -> bool {
        let v = self.resolve(v);
        if self.pinned.get(i).copied().unwrap_or(true) || v == Value::Op(i as u32) {
            return false;
        }
        self.subst[i] = Some(v);
        self.removed[i] = true;
        true
    }

    /// Removes op `i`, which has no result or an unused one.
    pub(crate) fn remove(&mut self, i: usize) {
        if let Some(r) = self.removed.get_mut(i) {
            *r = true;
        }
    }

    /// Drops the removed ops (keeping any still used, as a safety net),
    /// renumbers `Value::Op`s; returns how many ops went.
    pub(crate) fn finish(mut self, trace: &mut Trace) -> usize {
        if !self.removed.contains(&true) {
            return 0; // nothing to drop or renumber
        }
        let n = trace.ops.len();
        let mut used = vec![false; n];
        for i in (0..n).rev() {
            if self.removed[i] && used[i] {
                self.removed[i] = false;
            }
            if !self.removed[i] {
                for v in trace.ops[i].uses() {
                    if let Value::Op(j) = *v {
                        if let Some(u) = used.get_mut(j as usize) {
                            *u = true;
                        }
                    }
                }
            }
        }
        let mut next = 0u32;
        let new_index: Vec<u32> = self
            .removed
            .iter()
            .map(|&removed| {
                let this = next;
                if !removed {
                    next += 1;
                }
                this
            })
            .collect();
        let ops = std::mem::take(&mut trace.ops);
        let mut count = 0;
        for (i, mut op) in ops.into_iter().enumerate() {
            if self.removed[i] {
                count += 1;
                continue;
            }
            for v in op.uses_mut() {
                if let Value::Op(j) = *v {
                    if let Some(&k) = new_index.get(j as usize) {
                        *v = Value::Op(k);
                    }
                }
            }
            trace.ops.push(op);
        }
        count
    }
}
