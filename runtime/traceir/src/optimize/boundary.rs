//! What a pass may carry across a `label` (see `peel`). Facts learned
//! before the label hold in the loop after it when they hold on every
//! iteration: the values they name do not change from one iteration to
//! the next (constants, results of ops before the label that the label
//! does not name, and label arguments the jump passes back unchanged), and
//! the loop never overwrites the heap they read (the pass checks the
//! loop's writes itself).
//!
//! When the trace does not jump back to the label (it ends in a jump to
//! another trace, or in `finish`), what follows the label runs once, and
//! everything carries over. A label that is not the last one forgets all.

use crate::fasthash::FastSet;
use crate::ops::Opcode;
use crate::trace::{Descr, Trace, Value};

pub(crate) struct Boundary {
    /// The label's op index.
    pub label: usize,
    /// Whether the trace jumps back to this label.
    pub loops: bool,
    /// Whether nothing carries over (not the last label).
    forget_all: bool,
    /// Label arguments that change between iterations.
    variant: FastSet<Value>,
}

impl Boundary {
    pub fn at(trace: &Trace, label: usize) -> Boundary {
        let last_label = trace.ops.iter().rposition(|o| o.opcode == Opcode::Label);
        let forget_all = last_label != Some(label);
        let jump = trace
            .ops
            .last()
            .filter(|o| o.opcode == Opcode::Jump && o.descr == Descr::None);
        let args = &trace.ops[label].args;
        let mut variant = FastSet::default();
        if let Some(j) = jump {
            for (k, a) in args.iter().enumerate() {
                if j.args.get(k) != Some(a) {
                    variant.insert(*a);
                }
            }
        }
        Boundary {
            label,
            loops: jump.is_some(),
            forget_all,
            variant,
        }
    }

    /// Whether `v` (defined before the label) has the same value on every
    /// iteration of the loop after it.
    pub fn invariant(&self, v: Value) -> bool {
        if self.forget_all {
            return false;
        }
        if !self.loops {
            return true;
        }
        match v {
            Value::Op(i) if i as usize >= self.label => false,
            _ => !self.variant.contains(&v),
        }
    }

    /// Whether facts about the heap may carry over at all (the pass must
    /// still drop those the loop overwrites).
    pub fn keeps_heap(&self) -> bool {
        !self.forget_all
    }

    /// The ops of the loop after the label (empty when it does not loop).
    pub fn loop_ops<'t>(&self, trace: &'t Trace) -> &'t [crate::trace::Op] {
        if self.loops && !self.forget_all {
            &trace.ops[self.label + 1..]
        } else {
            &[]
        }
    }
}
