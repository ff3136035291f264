//! One low-level graph to one Cranelift function: blocks and their inputs
//! map 1:1 to Cranelift blocks and block params (values stay in SSA
//! registers), exits to jumps, branches and `Switch` jump tables. The ops
//! are in `ops.rs`, the runtime checks in `checks.rs`.

use cranelift_codegen::ir::{
    self, types, BlockArg, FuncRef, GlobalValue, InstBuilder, TrapCode, Value,
};
use cranelift_entity::EntityRef;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext, Switch, Variable};
use cranelift_module::{DataId, FuncId, Module};
use flowspace::model::{Block, Var};
use rtyper::llgraph::{LLConst, LLExit, LLGraph, LLGraphId, LLLink, LLOpKind, LLValue};
use rtyper::lltype::LLType;
use std::collections::{HashMap, HashSet};

use super::gc::{plan_graph, GcPlan};
use super::gc_lower::RootFrame;
use super::module::ModuleCx;
use super::types::{cl_type, int_bits, mask_imm};
use crate::error::BackendError;

/// Trap code of `LLExit::Unreachable` and of the code after calls that
/// never return.
pub(crate) const UNREACHABLE_TRAP: TrapCode = TrapCode::unwrap_user(1);

pub(crate) struct FnLower<'a, 'b, 'p> {
    pub cx: &'a mut ModuleCx<'p>,
    pub graph: &'a LLGraph,
    pub b: FunctionBuilder<'b>,
    /// The Cranelift value of each defined non-Void variable, by index.
    vals: Vec<Option<Value>>,
    blocks: HashMap<Block, ir::Block>,
    func_refs: HashMap<FuncId, FuncRef>,
    data_gvs: HashMap<DataId, GlobalValue>,
    /// Spills and frame size for the shadow stack (`gc.rs`).
    pub plan: GcPlan,
    /// The shadow-stack frame, when the plan needs slots.
    pub root: Option<RootFrame>,
    /// Variables of `plan.tracked`: reloads redefine them, so they are
    /// SSA variables of the builder rather than fixed values.
    ssa: HashMap<Var, Variable>,
    /// Objects allocated by a `Malloc` of the current block with no
    /// collecting call since: young for sure, so stores into them need no
    /// write barrier.
    pub fresh: HashSet<Var>,
}

pub(crate) type LResult<T> = Result<T, BackendError>;

/// Builds the body of graph `gid` into `func` (whose signature is already
/// set). Inlining on the low-level graphs happened before, in
/// `backendopt`.
pub(crate) fn lower_graph(
    cx: &mut ModuleCx,
    gid: LLGraphId,
    func: &mut ir::Function,
    fctx: &mut FunctionBuilderContext,
) -> LResult<()> {
    let program = cx.program;
    let graph = &program.graphs[gid];
    let mut plan = plan_graph(graph, &cx.collecting);
    if cx.jit {
        // The merge point redefines the variables it passes to the JIT.
        for op in graph.blocks.values().flat_map(|b| &b.ops) {
            if let LLOpKind::JitMergePoint { .. } = op.kind {
                plan.tracked.extend(op.args.iter().filter_map(|a| match a {
                    LLValue::Var(v) => Some(*v),
                    LLValue::Const(_) => None,
                }));
            }
        }
    }
    let b = FunctionBuilder::new(func, fctx);
    let mut fl = FnLower {
        cx,
        graph,
        b,
        vals: vec![None; graph.vars.len()],
        blocks: HashMap::new(),
        func_refs: HashMap::new(),
        data_gvs: HashMap::new(),
        plan,
        root: None,
        ssa: HashMap::new(),
        fresh: HashSet::new(),
    };
    fl.lower_body()?;
    fl.b.seal_all_blocks();
    let config = fl.cx.module.target_config();
    fl.b.finalize(config);
    Ok(())
}

impl<'a, 'b, 'p> FnLower<'a, 'b, 'p> {
    pub fn err(&self, message: impl Into<String>) -> BackendError {
        BackendError::unsupported(&self.graph.name, message)
    }

    fn lower_body(&mut self) -> LResult<()> {
        let order = self.reverse_postorder()?;
        for &blk in &order {
            let cb = self.b.create_block();
            for &input in &self.graph.blocks[blk].inputs {
                if let Some(t) = cl_type(self.var_type(input)?) {
                    self.b.append_block_param(cb, t);
                }
            }
            // A block that ends in `Unreachable` ends in a call that never
            // returns (a panic, `process::exit`): lay it out of the hot path.
            if matches!(self.graph.blocks[blk].exit, LLExit::Unreachable) {
                self.b.set_cold_block(cb);
            }
            self.blocks.insert(blk, cb);
        }
        // A separate entry block, so that the start block may be a loop
        // head (Cranelift's entry block cannot be a branch target).
        let entry = self.b.create_block();
        self.b.append_block_params_for_function_params(entry);
        self.b.switch_to_block(entry);
        let params: Vec<BlockArg> = self
            .b
            .block_params(entry)
            .iter()
            .map(|v| BlockArg::Value(*v))
            .collect();
        let start = self.blocks[&self.graph.start];
        if self.b.func.dfg.block_params(start).len() != params.len() {
            return Err(self.err("start block inputs do not match the signature"));
        }
        self.enter_frame()?;
        if self.cx.jit && self.graph.hints.merge_point.is_some() {
            self.count_portal_entry()?;
        }
        self.b.ins().jump(start, &params);

        for &blk in &order {
            let cb = self.blocks[&blk];
            self.b.switch_to_block(cb);
            let block = &self.graph.blocks[blk];
            let cl_params = self.b.block_params(cb).to_vec();
            let mut next = cl_params.into_iter();
            for &input in &block.inputs {
                if cl_type(self.var_type(input)?).is_some() {
                    let v = next
                        .next()
                        .ok_or_else(|| self.err("block params out of sync"))?;
                    self.define(input, v)?;
                }
            }
            self.fresh.clear();
            for (i, op) in block.ops.iter().enumerate() {
                // The plan lists every op that may collect (with the
                // references live after it, possibly none).
                let spills = self.plan.spills.get(&(blk, i)).cloned();
                let mut frame = None;
                if let Some(live) = &spills {
                    frame = self.spill(live)?;
                    self.fresh.clear();
                }
                self.lower_op(op)?;
                if let (Some(live), Some(frame)) = (&spills, frame) {
                    self.reload(frame, live)?;
                }
                match &op.kind {
                    LLOpKind::Malloc(_) | LLOpKind::MallocArray(_) => {
                        self.fresh.insert(op.result);
                    }
                    LLOpKind::SameAs | LLOpKind::JitPromote => {
                        if let Some(LLValue::Var(a)) = op.args.first() {
                            if self.fresh.contains(a) {
                                self.fresh.insert(op.result);
                            }
                        }
                    }
                    _ => {}
                }
            }
            self.lower_exit(&block.exit)?;
        }
        Ok(())
    }

    /// Blocks reachable from the start, each after all its dominators, so
    /// that every variable is defined before it is used.
    fn reverse_postorder(&self) -> LResult<Vec<Block>> {
        let g = self.graph;
        if !g.blocks.is_valid(g.start) {
            return Err(self.err("the start block does not exist"));
        }
        let mut visited = HashSet::new();
        let mut post = Vec::with_capacity(g.blocks.len());
        // (block, index of the next successor to visit)
        let mut stack = vec![(g.start, 0usize)];
        visited.insert(g.start);
        while let Some((blk, i)) = stack.pop() {
            let links = g.blocks[blk].exit.links();
            if let Some(link) = links.get(i) {
                stack.push((blk, i + 1));
                let t = link.target;
                if !g.blocks.is_valid(t) {
                    return Err(self.err(format!("link to missing block {t}")));
                }
                if visited.insert(t) {
                    stack.push((t, 0));
                }
            } else {
                post.push(blk);
            }
        }
        post.reverse();
        Ok(post)
    }

    pub fn var_type(&self, v: Var) -> LResult<LLType> {
        self.graph
            .vars
            .get(v)
            .map(|d| d.ty)
            .ok_or_else(|| self.err(format!("unknown variable {v}")))
    }

    pub fn value_type(&self, v: &LLValue) -> LResult<LLType> {
        match v {
            LLValue::Var(var) => self.var_type(*var),
            LLValue::Const(LLConst::Prebuilt(p)) if !self.cx.program.prebuilt.is_valid(*p) => {
                Err(self.err(format!("unknown prebuilt object {p}")))
            }
            LLValue::Const(c) => Ok(c.ty(&self.cx.program.prebuilt)),
        }
    }

    /// The value of an operand; None for Void.
    pub fn value(&mut self, v: &LLValue) -> LResult<Option<Value>> {
        match v {
            LLValue::Var(var) => {
                if cl_type(self.var_type(*var)?).is_none() {
                    return Ok(None);
                }
                match self.vals[var.index()] {
                    Some(_) if self.ssa.contains_key(var) => {
                        Ok(Some(self.b.use_var(self.ssa[var])))
                    }
                    Some(v) => Ok(Some(v)),
                    None => Err(self.err(format!("{var} is used where it is not defined"))),
                }
            }
            LLValue::Const(c) => self.constant(c),
        }
    }

    /// The value of an operand that must not be Void.
    pub fn value1(&mut self, v: &LLValue) -> LResult<Value> {
        self.value(v)?
            .ok_or_else(|| self.err(format!("operand {v:?} has no value (Void)")))
    }

    fn constant(&mut self, c: &LLConst) -> LResult<Option<Value>> {
        Ok(Some(match *c {
            LLConst::Int(v, t) => {
                let ty = cl_type(LLType::Int(t)).expect("ints have a type");
                self.b.ins().iconst(ty, mask_imm(v, t.bits()))
            }
            LLConst::Bool(v) => self.b.ins().iconst(types::I8, v as i64),
            LLConst::Char(ch) => self.b.ins().iconst(types::I32, ch as i64),
            LLConst::Float(f) => self.b.ins().f64const(f),
            LLConst::Null(_) => self.b.ins().iconst(types::I64, 0),
            LLConst::Prebuilt(p) => {
                let Some(&data) = self.cx.prebuilt.get(p.index()) else {
                    return Err(self.err(format!("unknown prebuilt object {p}")));
                };
                self.data_addr(data)
            }
            LLConst::Void => return Ok(None),
        }))
    }

    /// The address of a data object of the module.
    pub fn data_addr(&mut self, data: DataId) -> Value {
        let gv = match self.data_gvs.get(&data) {
            Some(gv) => *gv,
            None => {
                let gv = self.cx.module.declare_data_in_func(data, self.b.func);
                self.data_gvs.insert(data, gv);
                gv
            }
        };
        self.b.ins().symbol_value(types::I64, gv)
    }

    /// Calls a function of the module; returns its first result.
    pub fn call(&mut self, f: FuncId, args: &[Value]) -> Option<Value> {
        let fr = match self.func_refs.get(&f) {
            Some(fr) => *fr,
            None => {
                let fr = self.cx.module.declare_func_in_func(f, self.b.func);
                self.func_refs.insert(f, fr);
                fr
            }
        };
        let inst = self.b.ins().call(fr, args);
        self.b.inst_results(inst).first().copied()
    }

    /// An integer as an unsigned 64-bit word (lengths and indices).
    pub fn word(&mut self, v: Value) -> Value {
        if self.b.func.dfg.value_type(v).bits() < 64 {
            self.b.ins().uextend(types::I64, v)
        } else {
            v
        }
    }

    /// Records the value of a variable, which must be defined only once.
    fn define(&mut self, var: Var, v: Value) -> LResult<()> {
        let slot = &mut self.vals[var.index()];
        if slot.is_some() {
            return Err(self.err(format!("{var} is defined twice")));
        }
        *slot = Some(v);
        if self.plan.tracked.contains(&var) {
            let ty = self.b.func.dfg.value_type(v);
            let sv = self.b.declare_var(ty);
            self.b.def_var(sv, v);
            self.ssa.insert(var, sv);
        }
        Ok(())
    }

    /// The current value of a variable that must not be Void.
    pub(crate) fn read_var(&mut self, var: Var) -> LResult<Value> {
        self.value1(&LLValue::Var(var))
    }

    /// A new value for a (tracked) variable from here on: its reload after
    /// a call that may collect.
    pub(crate) fn redefine(&mut self, var: Var, v: Value) -> LResult<()> {
        match self.ssa.get(&var) {
            Some(sv) => {
                self.b.def_var(*sv, v);
                Ok(())
            }
            None => Err(self.err(format!("{var} is reloaded before it is defined"))),
        }
    }

    pub fn set_result(&mut self, result: Var, v: Option<Value>) -> LResult<()> {
        let ty = self.var_type(result)?;
        match (cl_type(ty), v) {
            (None, _) => Ok(()),
            (Some(t), Some(v)) => {
                let have = self.b.func.dfg.value_type(v);
                if have != t {
                    return Err(self.err(format!(
                        "{result} is typed {ty:?} but its op produces a {have} value"
                    )));
                }
                self.define(result, v)
            }
            (Some(_), None) => Err(self.err(format!(
                "{result} is typed {ty:?} but its op produces no value"
            ))),
        }
    }

    fn link_args(&mut self, link: &LLLink) -> LResult<Vec<BlockArg>> {
        let target = &self.graph.blocks[link.target];
        if target.inputs.len() != link.args.len() {
            return Err(self.err(format!(
                "link to {} passes {} values for {} inputs",
                link.target,
                link.args.len(),
                target.inputs.len()
            )));
        }
        let mut out = Vec::with_capacity(link.args.len());
        for (input, arg) in target.inputs.iter().zip(&link.args) {
            if cl_type(self.var_type(*input)?).is_none() {
                continue;
            }
            out.push(BlockArg::Value(self.value1(arg)?));
        }
        Ok(out)
    }

    fn lower_exit(&mut self, exit: &LLExit) -> LResult<()> {
        match exit {
            LLExit::Goto(link) => {
                let args = self.link_args(link)?;
                let t = self.blocks[&link.target];
                self.b.ins().jump(t, &args);
            }
            LLExit::If {
                cond,
                then_link,
                else_link,
            } => {
                if self.value_type(cond)? != LLType::Bool {
                    return Err(self.err("`If` on a non-Bool value"));
                }
                let c = self.value1(cond)?;
                let ta = self.link_args(then_link)?;
                let ea = self.link_args(else_link)?;
                let (tb, eb) = (
                    self.blocks[&then_link.target],
                    self.blocks[&else_link.target],
                );
                self.b.ins().brif(c, tb, &ta, eb, &ea);
            }
            LLExit::Switch {
                value,
                cases,
                default,
            } => self.lower_switch(value, cases, default)?,
            LLExit::Return(v) => {
                let ty = self.value_type(v)?;
                if cl_type(ty) != cl_type(self.graph.ret) {
                    return Err(self.err(format!(
                        "returns a {ty:?} from a function of type {:?}",
                        self.graph.ret
                    )));
                }
                let v = self.value(v)?;
                self.leave_frame();
                match v {
                    Some(v) => self.b.ins().return_(&[v]),
                    None => self.b.ins().return_(&[]),
                };
            }
            LLExit::Unreachable => {
                self.b.ins().trap(UNREACHABLE_TRAP);
            }
        }
        Ok(())
    }

    /// A `Switch` jumps to blocks without arguments, so links that pass
    /// values go through a small block each that jumps on with them.
    fn lower_switch(
        &mut self,
        value: &LLValue,
        cases: &[(i64, LLLink)],
        default: &LLLink,
    ) -> LResult<()> {
        let vty = self.value_type(value)?;
        let bits = match vty {
            LLType::Int(_) | LLType::Char | LLType::Bool => int_bits(vty).expect("integer"),
            _ => return Err(self.err(format!("`Switch` on a value of type {vty:?}"))),
        };
        let v = self.value1(value)?;
        let mut pending: Vec<(ir::Block, ir::Block, Vec<BlockArg>)> = Vec::new();
        let mut edge = |fl: &mut Self, link: &LLLink| -> LResult<ir::Block> {
            let args = fl.link_args(link)?;
            let target = fl.blocks[&link.target];
            if args.is_empty() {
                return Ok(target);
            }
            let tramp = fl.b.create_block();
            pending.push((tramp, target, args));
            Ok(tramp)
        };
        let mut switch = Switch::new();
        let mut seen = HashSet::new();
        for (k, link) in cases {
            // Cases are compared as the value's bits, unsigned.
            let key = mask_imm(*k, bits) as u64 as u128;
            if !seen.insert(key) {
                return Err(self.err(format!("`Switch` has case {k} twice")));
            }
            let blk = edge(self, link)?;
            switch.set_entry(key, blk);
        }
        let otherwise = edge(self, default)?;
        switch.emit(&mut self.b, v, otherwise);
        for (tramp, target, args) in pending {
            self.b.switch_to_block(tramp);
            self.b.ins().jump(target, &args);
        }
        Ok(())
    }
}
