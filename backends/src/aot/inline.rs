//! Inlining of small graphs into their callers (rustc -O inlines the small
//! methods interpreters are made of; Cranelift only does it when asked).
//! Callees are inlined in their unoptimised form, before the caller is
//! optimised as a whole.

use cranelift_codegen::inline::{Inline, InlineCommand};
use cranelift_codegen::ir::{
    self, ExternalName, FuncRef, Inst, Opcode, UserExternalName, UserExternalNameRef,
};
use cranelift_entity::EntityRef;
use cranelift_entity::SecondaryMap;
use cranelift_module::FuncId;
use rtyper::llgraph::LLGraphId;
use std::borrow::Cow;
use std::collections::HashMap;

pub(crate) struct Inliner<'a> {
    /// The built body of each graph, by graph index.
    pub bodies: &'a [ir::Function],
    /// Instruction count of each body.
    pub sizes: &'a [usize],
    pub func_graphs: &'a HashMap<FuncId, LLGraphId>,
    /// The graph being compiled (never inlined into itself).
    pub caller: LLGraphId,
    /// Largest callee to inline.
    pub threshold: usize,
    /// Instructions the caller may still grow by.
    pub budget: usize,
    /// Calls inlined so far.
    pub inlined: usize,
}

/// Instructions in a function's layout.
pub(crate) fn inst_count(f: &ir::Function) -> usize {
    f.layout
        .blocks()
        .map(|b| f.layout.block_insts(b).count())
        .sum()
}

impl Inline for Inliner<'_> {
    fn inline(
        &mut self,
        caller: &ir::Function,
        _inst: Inst,
        _opcode: Opcode,
        callee: FuncRef,
        _args: &[ir::Value],
    ) -> InlineCommand<'_> {
        let ExternalName::User(r) = &caller.dfg.ext_funcs[callee].name else {
            return InlineCommand::KeepCall;
        };
        let name = &caller.params.user_named_funcs()[*r];
        // Namespace 0 holds functions (cranelift-module's convention).
        if name.namespace != 0 {
            return InlineCommand::KeepCall;
        }
        let Some(&g) = self.func_graphs.get(&FuncId::from_u32(name.index)) else {
            return InlineCommand::KeepCall;
        };
        let size = self.sizes[g.index()];
        if g == self.caller || size > self.threshold || size > self.budget {
            return InlineCommand::KeepCall;
        }
        self.budget -= size;
        self.inlined += 1;
        InlineCommand::Inline {
            callee: renamed_for(caller, &self.bodies[g.index()]),
            visit_callee: true,
        }
    }
}

/// Cranelift 0.135's inliner translates the callee's external-name refs
/// for function imports but copies `GlobalValueData::Symbol` unchanged, so
/// a symbol (a panic location, a prebuilt object) of an inlined callee
/// would name whatever the caller has at the same ref index. The caller
/// receives the callee's names in order, deduplicated against its own
/// (`ensure_user_func_name`), so we can compute each name's ref in the
/// caller in advance and hand over a callee whose symbols already use them.
fn renamed_for<'f>(caller: &ir::Function, callee: &'f ir::Function) -> Cow<'f, ir::Function> {
    let has_symbols = callee.global_values.values().any(|gv| {
        matches!(
            gv,
            ir::GlobalValueData::Symbol {
                name: ExternalName::User(_),
                ..
            }
        )
    });
    if !has_symbols {
        return Cow::Borrowed(callee);
    }
    let mut known: HashMap<&UserExternalName, UserExternalNameRef> = caller
        .params
        .user_named_funcs()
        .iter()
        .map(|(r, n)| (n, r))
        .collect();
    let mut next = caller.params.user_named_funcs().len();
    let mut map: SecondaryMap<UserExternalNameRef, Option<UserExternalNameRef>> =
        SecondaryMap::new();
    for (r, name) in callee.params.user_named_funcs().iter() {
        let in_caller = *known.entry(name).or_insert_with(|| {
            next += 1;
            UserExternalNameRef::new(next - 1)
        });
        map[r] = Some(in_caller);
    }
    let mut f = callee.clone();
    for gv in f.global_values.values_mut() {
        if let ir::GlobalValueData::Symbol {
            name: ExternalName::User(r),
            ..
        } = gv
        {
            if let Some(new) = map[*r] {
                *r = new;
            }
        }
    }
    Cow::Owned(f)
}
