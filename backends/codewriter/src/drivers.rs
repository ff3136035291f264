//! `JitMergePoint` ops as `MergePoint` instructions and jit drivers.

use crate::error::CwResult;
use crate::graph::GraphWriter;
use crate::kinds::kind;
use abi::{Insn, JitDriverDescr, Kind, Opnd};
use rtyper::llgraph::{LLOp, LLValue};

/// A green or red: its name and kind.
type Named = (String, Kind);

impl GraphWriter<'_, '_> {
    /// Name of the `i`th merge-point argument: the attribute's name, else
    /// the variable's.
    fn mp_name(&self, names: &[String], i: usize, v: &LLValue) -> String {
        if let Some(n) = names.get(i) {
            return n.clone();
        }
        match v {
            LLValue::Var(v) => self
                .g
                .vars
                .get(*v)
                .and_then(|d| d.name.clone())
                .unwrap_or_else(|| format!("v{}", cranelift_entity::EntityRef::index(*v))),
            LLValue::Const(_) => format!("arg{i}"),
        }
    }

    fn mp_values(
        &mut self,
        args: &[LLValue],
        names: &[String],
    ) -> CwResult<(Vec<Opnd>, Vec<Named>)> {
        let mut opnds = Vec::new();
        let mut descr = Vec::new();
        for (i, a) in args.iter().enumerate() {
            let Some(k) = kind(self.value_type(a)?) else {
                continue;
            };
            opnds.push(self.opnd_req(a)?);
            descr.push((self.mp_name(names, i, a), k));
        }
        Ok((opnds, descr))
    }

    pub fn merge_point(&mut self, op: &LLOp, driver: u32, greens: u32) -> CwResult<Insn> {
        let ng = greens as usize;
        if ng > op.args.len() {
            return Err(self.err(format!(
                "merge point with {ng} greens but {} operands",
                op.args.len()
            )));
        }
        let hint = self.g.hints.merge_point.clone().unwrap_or_default();
        let (gops, gdescr) = self.mp_values(&op.args[..ng], &hint.greens)?;
        let (rops, rdescr) = self.mp_values(&op.args[ng..], &hint.reds)?;
        let printable = match &hint.get_printable_location {
            Some(name) => match crate::policy::graph_named(self.t.program, name) {
                Some(id) => Some(self.t.graph_call(id).map_err(|e| self.err(e.message))?),
                None => None,
            },
            None => None,
        };
        let immutable_greens = gdescr
            .iter()
            .map(|(n, k)| *k == Kind::Ref && hint.immutable_greens.contains(n))
            .collect();
        let d = JitDriverDescr {
            name: self.g.name.clone(),
            jitcode: self.jitcode,
            merge_point_pc: self.pc()?,
            greens: gdescr,
            immutable_greens,
            reds: rdescr,
            get_printable_location: printable,
        };
        let slot = driver as usize;
        if self.t.drivers.len() <= slot {
            self.t.drivers.resize(slot + 1, None);
        }
        if self.t.drivers[slot].is_some() {
            return Err(self.err(format!("jit driver {driver} has two merge points")));
        }
        self.t.drivers[slot] = Some(d);
        Ok(Insn::MergePoint {
            driver,
            greens: gops,
            reds: rops,
        })
    }
}
