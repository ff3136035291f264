//! The program-wide tables the jitcodes index into: call descriptors,
//! function addresses, reference constants, strings, jit drivers.

use crate::error::{CodewriterError, CwResult};
use crate::kinds::kind;
use crate::FnTarget;
use abi::{CallDescr, Effects, JitDriverDescr, Kind};
use cranelift_entity::EntityRef;
use rtyper::llgraph::{LLGraphId, LLProgram, PrebuiltId};
use std::collections::HashMap;

#[derive(Clone, PartialEq, Eq, Hash)]
enum CallKey {
    Graph(LLGraphId),
    Runtime(String, Vec<Kind>, Option<Kind>),
}

pub struct Tables<'p> {
    pub program: &'p LLProgram,
    pub graph_fx: Vec<Effects>,
    pub graph_jitcode: Vec<Option<u32>>,
    pub calls: Vec<CallDescr>,
    call_index: HashMap<CallKey, u32>,
    pub fnptrs: Vec<FnTarget>,
    fnptr_index: HashMap<FnTarget, u32>,
    pub refconsts: Vec<PrebuiltId>,
    refconst_index: HashMap<PrebuiltId, u32>,
    pub strings: Vec<String>,
    string_index: HashMap<String, u32>,
    /// By driver index.
    pub drivers: Vec<Option<JitDriverDescr>>,
}

fn index_u32(n: usize, what: &str) -> CwResult<u32> {
    u32::try_from(n).map_err(|_| CodewriterError::new(None, format!("too many {what}")))
}

impl<'p> Tables<'p> {
    pub fn new(
        program: &'p LLProgram,
        graph_fx: Vec<Effects>,
        graph_jitcode: Vec<Option<u32>>,
    ) -> Tables<'p> {
        Tables {
            program,
            graph_fx,
            graph_jitcode,
            calls: Vec::new(),
            call_index: HashMap::new(),
            fnptrs: Vec::new(),
            fnptr_index: HashMap::new(),
            refconsts: Vec::new(),
            refconst_index: HashMap::new(),
            strings: Vec::new(),
            string_index: HashMap::new(),
            drivers: Vec::new(),
        }
    }

    fn fnptr(&mut self, target: FnTarget) -> CwResult<u32> {
        if let Some(&i) = self.fnptr_index.get(&target) {
            return Ok(i);
        }
        let i = index_u32(self.fnptrs.len(), "function pointers")?;
        self.fnptrs.push(target.clone());
        self.fnptr_index.insert(target, i);
        Ok(i)
    }

    /// The call descriptor of graph `id` (one per graph).
    pub fn graph_call(&mut self, id: LLGraphId) -> CwResult<u32> {
        let key = CallKey::Graph(id);
        if let Some(&i) = self.call_index.get(&key) {
            return Ok(i);
        }
        let Some(g) = self.program.graphs.get(id) else {
            return Err(CodewriterError::new(
                None,
                format!("call of missing graph {}", id.index()),
            ));
        };
        let args = g.param_types().into_iter().filter_map(kind).collect();
        let fnptr = self.fnptr(FnTarget::Graph(id))?;
        let d = CallDescr {
            name: g.name.clone(),
            fnptr,
            args,
            ret: kind(g.ret),
            effects: self.graph_fx[id.index()],
            jitcode: self.graph_jitcode[id.index()],
        };
        self.push_call(key, d)
    }

    /// The call descriptor of runtime function `name` with this signature
    /// (one per distinct signature; they share the function address).
    pub fn runtime_call(
        &mut self,
        name: &str,
        args: Vec<Kind>,
        ret: Option<Kind>,
    ) -> CwResult<u32> {
        let key = CallKey::Runtime(name.to_string(), args.clone(), ret);
        if let Some(&i) = self.call_index.get(&key) {
            return Ok(i);
        }
        let fnptr = self.fnptr(FnTarget::Runtime(name.to_string()))?;
        let d = CallDescr {
            name: name.to_string(),
            fnptr,
            args,
            ret,
            effects: backendopt::effects::runtime_effects(name),
            jitcode: None,
        };
        self.push_call(key, d)
    }

    fn push_call(&mut self, key: CallKey, d: CallDescr) -> CwResult<u32> {
        let i = index_u32(self.calls.len(), "call descriptors")?;
        self.calls.push(d);
        self.call_index.insert(key, i);
        Ok(i)
    }

    pub fn refconst(&mut self, p: PrebuiltId) -> CwResult<u32> {
        if let Some(&i) = self.refconst_index.get(&p) {
            return Ok(i);
        }
        let i = index_u32(self.refconsts.len(), "reference constants")?;
        self.refconsts.push(p);
        self.refconst_index.insert(p, i);
        Ok(i)
    }

    pub fn string(&mut self, s: String) -> CwResult<u32> {
        if let Some(&i) = self.string_index.get(&s) {
            return Ok(i);
        }
        let i = index_u32(self.strings.len(), "strings")?;
        self.strings.push(s.clone());
        self.string_index.insert(s, i);
        Ok(i)
    }
}
