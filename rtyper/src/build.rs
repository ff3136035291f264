//! The block builder of one low-level graph.
//!
//! Original flow blocks and variables keep their ids in the low-level
//! graph. A lowering that needs control flow (a list's capacity test, a
//! dict lookup, a `Result::unwrap`) splits the current block: the values
//! still needed afterwards are passed as inputs of the new blocks, and a
//! rename map from each value's first ("canonical") variable to its copy
//! in the current block keeps later operations pointing at the right one.

use crate::llgraph::*;
use crate::lltype::LLType;
use crate::repr::Reprs;
use cranelift_entity::PrimaryMap;
use flowspace::model::{Block, GraphId};
use flowspace::span::Span;
use std::collections::HashMap;

pub type LResult<T> = Result<T, String>;

pub struct Lowerer<'r, 'a> {
    pub reprs: &'r mut Reprs<'a>,
    pub g: GraphId,
    pub graph_ids: &'r HashMap<GraphId, LLGraphId>,
    pub files: &'r [String],
    pub blocks: PrimaryMap<Block, LLBlock>,
    pub vars: PrimaryMap<Var, LLVarData>,
    cur: Option<Block>,
    ops: Vec<LLOp>,
    rename: HashMap<Var, Var>,
    /// Canonical variables still needed after the current operation.
    pub live: Vec<Var>,
    pub span: Span,
}

use flowspace::model::Var;

impl<'r, 'a> Lowerer<'r, 'a> {
    pub fn new(
        reprs: &'r mut Reprs<'a>,
        g: GraphId,
        graph_ids: &'r HashMap<GraphId, LLGraphId>,
        files: &'r [String],
        nblocks: usize,
        var_types: Vec<(LLType, Option<String>)>,
    ) -> Self {
        let mut blocks = PrimaryMap::new();
        for _ in 0..nblocks {
            blocks.push(LLBlock {
                inputs: vec![],
                ops: vec![],
                exit: LLExit::Unreachable,
            });
        }
        let mut vars = PrimaryMap::new();
        for (ty, name) in var_types {
            vars.push(LLVarData { ty, name });
        }
        Lowerer {
            reprs,
            g,
            graph_ids,
            files,
            blocks,
            vars,
            cur: None,
            ops: vec![],
            rename: HashMap::new(),
            live: vec![],
            span: Span::default(),
        }
    }

    pub fn var_ty(&self, v: Var) -> LLType {
        self.vars.get(v).map(|d| d.ty).unwrap_or(LLType::Void)
    }

    pub fn ty_of(&self, v: &LLValue) -> LLType {
        match v {
            LLValue::Var(x) => self.var_ty(*x),
            LLValue::Const(c) => c.ty(&self.reprs.prebuilt),
        }
    }

    pub fn new_var(&mut self, ty: LLType) -> Var {
        self.vars.push(LLVarData { ty, name: None })
    }

    /// The current copy of a canonical value.
    pub fn val(&self, v: &LLValue) -> LLValue {
        match v {
            LLValue::Var(x) => {
                if self.var_ty(*x) == LLType::Void {
                    return LLValue::Const(LLConst::Void);
                }
                LLValue::Var(*self.rename.get(x).unwrap_or(x))
            }
            c => *c,
        }
    }

    pub fn is_open(&self) -> bool {
        self.cur.is_some()
    }

    /// Starts filling original block `b`.
    pub fn start(&mut self, b: Block, inputs: Vec<Var>) {
        if let Some(bd) = self.blocks.get_mut(b) {
            bd.inputs = inputs;
        }
        self.cur = Some(b);
        self.ops.clear();
        self.rename.clear();
    }

    /// Ends the current block.
    pub fn close(&mut self, exit: LLExit) {
        if let Some(b) = self.cur.take() {
            if let Some(bd) = self.blocks.get_mut(b) {
                bd.ops = std::mem::take(&mut self.ops);
                bd.exit = exit;
            }
        }
        self.ops.clear();
    }

    /// Emits `kind(args)` with a fresh result of type `ty`.
    pub fn emit(&mut self, kind: LLOpKind, args: Vec<LLValue>, ty: LLType) -> LLValue {
        let r = self.new_var(ty);
        self.emit_to(kind, args, r);
        if ty == LLType::Void {
            LLValue::Const(LLConst::Void)
        } else {
            LLValue::Var(r)
        }
    }

    /// Emits `kind(args)` into an existing result variable.
    pub fn emit_to(&mut self, kind: LLOpKind, args: Vec<LLValue>, result: Var) {
        let args = args.iter().map(|a| self.val(a)).collect();
        self.ops.push(LLOp {
            kind,
            args,
            result,
            span: self.span,
        });
    }

    // ------------------------------------------------------- splitting

    fn carry(&self, extra: &[LLValue]) -> Vec<Var> {
        let mut out: Vec<Var> = Vec::new();
        for v in self
            .live
            .iter()
            .copied()
            .chain(extra.iter().filter_map(|x| match x {
                LLValue::Var(v) => Some(*v),
                _ => None,
            }))
        {
            if self.var_ty(v) != LLType::Void && !out.contains(&v) {
                out.push(v);
            }
        }
        out
    }

    fn new_block(&mut self, carry: &[Var], extra_input: Option<LLType>) -> (Block, Vec<Var>) {
        let mut inputs: Vec<Var> = carry
            .iter()
            .map(|c| {
                let ty = self.var_ty(*c);
                let name = self.vars.get(*c).and_then(|d| d.name.clone());
                self.vars.push(LLVarData { ty, name })
            })
            .collect();
        if let Some(t) = extra_input {
            inputs.push(self.new_var(t));
        }
        let b = self.blocks.push(LLBlock {
            inputs: inputs.clone(),
            ops: vec![],
            exit: LLExit::Unreachable,
        });
        (b, inputs)
    }

    fn link(&self, target: Block, carry: &[Var], extra: Option<LLValue>) -> LLLink {
        let mut args: Vec<LLValue> = carry.iter().map(|c| self.val(&LLValue::Var(*c))).collect();
        if let Some(e) = extra {
            args.push(self.val(&e));
        }
        LLLink { target, args }
    }

    fn enter(&mut self, b: Block, carry: &[Var], inputs: &[Var]) {
        self.cur = Some(b);
        self.ops.clear();
        for (c, i) in carry.iter().zip(inputs) {
            self.rename.insert(*c, *i);
        }
    }

    /// `if cond { body }`, then continue after it.
    pub fn emit_if(
        &mut self,
        cond: LLValue,
        extra: &[LLValue],
        body: impl FnOnce(&mut Self) -> LResult<()>,
    ) -> LResult<()> {
        let carry = self.carry(extra);
        let (tb, tin) = self.new_block(&carry, None);
        let (jb, jin) = self.new_block(&carry, None);
        let exit = LLExit::If {
            cond: self.val(&cond),
            then_link: self.link(tb, &carry, None),
            else_link: self.link(jb, &carry, None),
        };
        self.close(exit);
        self.enter(tb, &carry, &tin);
        body(self)?;
        let l = self.link(jb, &carry, None);
        self.close(LLExit::Goto(l));
        self.enter(jb, &carry, &jin);
        Ok(())
    }

    /// `if !ok { body (never returns) }`, then continue.
    pub fn emit_cold(
        &mut self,
        ok: LLValue,
        extra: &[LLValue],
        body: impl FnOnce(&mut Self) -> LResult<()>,
    ) -> LResult<()> {
        let carry = self.carry(extra);
        let (fb, fin) = self.new_block(&carry, None);
        let (cb, cin) = self.new_block(&carry, None);
        let exit = LLExit::If {
            cond: self.val(&ok),
            then_link: self.link(cb, &carry, None),
            else_link: self.link(fb, &carry, None),
        };
        self.close(exit);
        self.enter(fb, &carry, &fin);
        body(self)?;
        self.close(LLExit::Unreachable);
        self.enter(cb, &carry, &cin);
        Ok(())
    }

    /// `if cond { then_f() } else { else_f() }` as a value of type `ty`.
    pub fn emit_select(
        &mut self,
        cond: LLValue,
        extra: &[LLValue],
        ty: LLType,
        then_f: impl FnOnce(&mut Self) -> LResult<LLValue>,
        else_f: impl FnOnce(&mut Self) -> LResult<LLValue>,
    ) -> LResult<LLValue> {
        let carry = self.carry(extra);
        let has_value = ty != LLType::Void;
        let (tb, tin) = self.new_block(&carry, None);
        let (eb, ein) = self.new_block(&carry, None);
        let (jb, jin) = self.new_block(&carry, has_value.then_some(ty));
        let exit = LLExit::If {
            cond: self.val(&cond),
            then_link: self.link(tb, &carry, None),
            else_link: self.link(eb, &carry, None),
        };
        self.close(exit);
        self.enter(tb, &carry, &tin);
        let tv = then_f(self)?;
        let l = self.link(jb, &carry, has_value.then_some(tv));
        self.close(LLExit::Goto(l));
        self.enter(eb, &carry, &ein);
        let ev = else_f(self)?;
        let l = self.link(jb, &carry, has_value.then_some(ev));
        self.close(LLExit::Goto(l));
        Ok(self.enter_join(jb, &carry, &jin, has_value))
    }

    /// Continues in the block `jb` where branches meet; its value is its
    /// last input when the branches give one.
    fn enter_join(&mut self, jb: Block, carry: &[Var], jin: &[Var], has_value: bool) -> LLValue {
        self.enter(jb, carry, jin);
        match (has_value, jin.last()) {
            (true, Some(v)) => LLValue::Var(*v),
            _ => LLValue::Const(LLConst::Void),
        }
    }

    /// A multiway branch on the integer `value`: `arm(k)` runs when it is
    /// `cases[k]`, and the values the arms give meet after it. The last arm
    /// is also the default: `cases` must be every value `value` can have
    /// (for a `dyn` call, every type its object can be), so no test is
    /// left for it.
    pub fn emit_switch(
        &mut self,
        value: LLValue,
        cases: &[i64],
        extra: &[LLValue],
        ty: LLType,
        mut arm: impl FnMut(&mut Self, usize) -> LResult<LLValue>,
    ) -> LResult<LLValue> {
        if cases.len() <= 1 {
            return arm(self, 0);
        }
        let carry = self.carry(extra);
        let has_value = ty != LLType::Void;
        let arms: Vec<(Block, Vec<Var>)> =
            cases.iter().map(|_| self.new_block(&carry, None)).collect();
        let (jb, jin) = self.new_block(&carry, has_value.then_some(ty));
        let n = arms.len();
        let exit = LLExit::Switch {
            value: self.val(&value),
            cases: cases[..n - 1]
                .iter()
                .zip(&arms)
                .map(|(c, (b, _))| (*c, self.link(*b, &carry, None)))
                .collect(),
            default: self.link(arms[n - 1].0, &carry, None),
        };
        self.close(exit);
        for (k, (b, inputs)) in arms.iter().enumerate() {
            self.enter(*b, &carry, inputs);
            let v = arm(self, k)?;
            let l = self.link(jb, &carry, has_value.then_some(v));
            self.close(LLExit::Goto(l));
        }
        Ok(self.enter_join(jb, &carry, &jin, has_value))
    }

    /// The head of a loop over `i` in `0..n` (n: usize): enters it and
    /// gives the head block, the values carried around the loop (without
    /// and with the counter), the counter `i` and the test `i < n`.
    #[allow(clippy::type_complexity)]
    fn loop_head(
        &mut self,
        n: LLValue,
        extra: &[LLValue],
    ) -> LResult<(Block, Vec<Var>, Vec<Var>, LLValue, LLValue)> {
        use flowspace::model::IntTy;
        let mut ex = extra.to_vec();
        ex.push(n);
        let carry = self.carry(&ex);
        let (hb, hin) = self.new_block(&carry, Some(LLType::Int(IntTy::Usize)));
        let l = self.link(hb, &carry, Some(Self::int(0, IntTy::Usize)));
        self.close(LLExit::Goto(l));
        let (hcarry, hcounter) = hin.split_at(carry.len());
        let Some(&counter) = hcounter.first() else {
            return Err("internal error: loop counter".into());
        };
        self.enter(hb, &carry, hcarry);
        let i = LLValue::Var(counter);
        let more = self.emit(LLOpKind::IntCmp(Cmp::Lt), vec![i, n], LLType::Bool);
        let mut carry2 = carry.clone();
        carry2.push(counter);
        Ok((hb, carry, carry2, i, more))
    }

    /// `(0..n).any(|i| test(i))` (n: usize), stopping at the first `i` whose
    /// test is true: the bool says whether there was one.
    pub fn emit_any(
        &mut self,
        n: LLValue,
        extra: &[LLValue],
        test: impl FnOnce(&mut Self, LLValue) -> LResult<LLValue>,
    ) -> LResult<LLValue> {
        use flowspace::model::IntTy;
        let usize_t = LLType::Int(IntTy::Usize);
        let (hb, carry, carry2, i, more) = self.loop_head(n, extra)?;
        let (bb, bin) = self.new_block(&carry2, None);
        let (done, din) = self.new_block(&carry, Some(LLType::Bool));
        let exit = LLExit::If {
            cond: self.val(&more),
            then_link: self.link(bb, &carry2, None),
            else_link: self.link(done, &carry, Some(LLValue::Const(LLConst::Bool(false)))),
        };
        self.close(exit);
        self.enter(bb, &carry2, &bin);
        let found = test(self, i)?;
        let (nb, nin) = self.new_block(&carry2, None);
        let exit = LLExit::If {
            cond: self.val(&found),
            then_link: self.link(done, &carry, Some(LLValue::Const(LLConst::Bool(true)))),
            else_link: self.link(nb, &carry2, None),
        };
        self.close(exit);
        self.enter(nb, &carry2, &nin);
        let i2 = self.emit(
            LLOpKind::IntAdd,
            vec![i, Self::int(1, IntTy::Usize)],
            usize_t,
        );
        let l = self.link(hb, &carry, Some(i2));
        self.close(LLExit::Goto(l));
        self.enter(done, &carry, &din);
        match din.last() {
            Some(v) => Ok(LLValue::Var(*v)),
            None => Err("internal error: search result".into()),
        }
    }

    /// `for i in 0..n { body(i) }` (n: usize), then continue after it.
    pub fn emit_counted_loop(
        &mut self,
        n: LLValue,
        extra: &[LLValue],
        body: impl FnOnce(&mut Self, LLValue) -> LResult<()>,
    ) -> LResult<()> {
        let usize_t = LLType::Int(flowspace::model::IntTy::Usize);
        let (hb, carry, carry2, i, c) = self.loop_head(n, extra)?;
        let (bb, bin) = self.new_block(&carry2, None);
        let (ab, ain) = self.new_block(&carry, None);
        let exit = LLExit::If {
            cond: self.val(&c),
            then_link: self.link(bb, &carry2, None),
            else_link: self.link(ab, &carry, None),
        };
        self.close(exit);
        self.enter(bb, &carry2, &bin);
        body(self, i)?;
        let i2 = self.emit(
            LLOpKind::IntAdd,
            vec![i, Self::int(1, flowspace::model::IntTy::Usize)],
            usize_t,
        );
        let l = self.link(hb, &carry, Some(i2));
        self.close(LLExit::Goto(l));
        self.enter(ab, &carry, &ain);
        Ok(())
    }

    // ------------------------------------------------------- shorthands

    pub fn int(n: i64, t: flowspace::model::IntTy) -> LLValue {
        LLValue::Const(LLConst::Int(n, t))
    }

    pub fn call(&mut self, name: &str, args: Vec<LLValue>, ty: LLType) -> LLValue {
        self.emit(LLOpKind::RuntimeCall(name.to_string()), args, ty)
    }

    /// A prebuilt `file:line:col` string of the current op (panic sites).
    pub fn loc(&mut self) -> LLValue {
        let path = self
            .files
            .get(self.span.file as usize)
            .cloned()
            .unwrap_or_default();
        let s = format!("{}:{}:{}", path, self.span.line, self.span.col);
        LLValue::Const(LLConst::Prebuilt(self.reprs.str_const(s.as_bytes())))
    }
}
