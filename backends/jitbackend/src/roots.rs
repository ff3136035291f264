//! GC roots of compiled traces: which references are live across each
//! operation that may collect, and the shadow-stack code that keeps them
//! (docs/runtime-abi.md, "Roots: the shadow stack").
//!
//! Liveness is a backward scan of the linear op list. Values used after
//! the last label that were defined before it (and are not label
//! arguments) are loop-invariant: they stay live through the whole loop
//! body, so the scan starts at the jump with them already live.

use crate::lower::Lower;
use crate::CompileError;
use cranelift_codegen::ir::{types, InstBuilder, MemFlagsData};
use std::collections::BTreeSet;
use traceir::ops::Type as TType;
use traceir::{Opcode, Trace, Value};

/// The numbering of trace values that have a variable: input `i` is `i`,
/// the result of op `j` is `inputs + j`.
pub fn var_index(trace: &Trace, v: Value) -> Option<usize> {
    match v {
        Value::Input(i) => Some(i as usize),
        Value::Op(j) => Some(trace.inputs.len() + j as usize),
        _ => None,
    }
}

fn is_ref_var(trace: &Trace, v: Value) -> Option<usize> {
    let idx = var_index(trace, v)?;
    (trace.type_of(v) == TType::Ref).then_some(idx)
}

/// For each op that may collect (`collects[i]`), the variables of the
/// references live after it (its own result excluded), in ascending
/// order. The trace must already be validated.
pub fn live_refs_across(trace: &Trace, collects: &[bool]) -> Vec<Option<Vec<usize>>> {
    let last_label = trace.ops.iter().rposition(|o| o.opcode == Opcode::Label);
    let (_, live_at_label) = scan(trace, collects, BTreeSet::new(), last_label);
    let mut invariant = live_at_label.unwrap_or_default();
    if let Some(l) = last_label {
        for &a in &trace.ops[l].args {
            if let Some(i) = var_index(trace, a) {
                invariant.remove(&i);
            }
        }
    } else {
        invariant.clear();
    }
    scan(trace, collects, invariant, last_label).0
}

type ScanResult = (Vec<Option<Vec<usize>>>, Option<BTreeSet<usize>>);

fn scan(
    trace: &Trace,
    collects: &[bool],
    mut live: BTreeSet<usize>,
    last_label: Option<usize>,
) -> ScanResult {
    let n = trace.ops.len();
    let mut out = vec![None; n];
    let mut at_label = None;
    for i in (0..n).rev() {
        let op = &trace.ops[i];
        let me = trace.inputs.len() + i;
        if Some(i) == last_label {
            at_label = Some(live.clone());
        }
        if collects[i] {
            out[i] = Some(live.iter().copied().filter(|&v| v != me).collect());
        }
        live.remove(&me);
        for &a in op.uses() {
            if let Some(v) = is_ref_var(trace, a) {
                live.insert(v);
            }
        }
    }
    (out, at_label)
}

impl Lower<'_, '_> {
    /// Stores the references live across op `i` into the shadow-stack
    /// slots (zeroing the others).
    pub(crate) fn spill_roots(&mut self, i: usize) -> Result<(), CompileError> {
        let Some((base, nslots)) = self.shadow else {
            return Ok(());
        };
        let live = self.spills[i].clone().unwrap_or_default();
        for k in 0..nslots {
            let v = match live.get(k) {
                Some(&var) => self.use_index(var, i)?,
                None => self.b.ins().iconst(types::I64, 0),
            };
            self.b
                .ins()
                .store(MemFlagsData::trusted(), v, base, (8 * k) as i32);
        }
        Ok(())
    }

    /// Reloads the references spilled by `spill_roots(i)` (the collector
    /// may have moved them); they are used from then on.
    pub(crate) fn reload_roots(&mut self, i: usize) -> Result<(), CompileError> {
        let Some((base, _)) = self.shadow else {
            return Ok(());
        };
        let live = self.spills[i].clone().unwrap_or_default();
        for (k, &var) in live.iter().enumerate() {
            let v = self
                .b
                .ins()
                .load(types::I64, MemFlagsData::trusted(), base, (8 * k) as i32);
            self.def_index(var, v, i)?;
        }
        Ok(())
    }

    /// Restores `*root_stack_top` before a return.
    pub(crate) fn pop_roots(&mut self) {
        if let Some((base, _)) = self.shadow {
            let top = self
                .b
                .ins()
                .iconst(types::I64, self.env.rt.root_stack_top as i64);
            self.b.ins().store(MemFlagsData::trusted(), base, top, 0);
        }
    }
}
