//! `match` and `if let`.
//!
//! A `match` whose arms are all integer, byte or char literals (or-patterns
//! allowed) or catch-alls (`_`, a name) becomes one `Exit::Switch`; any other
//! `match` becomes a chain of pattern tests, arm after arm.

use super::builder::{FnBuilder, Join};
use super::consts::lit_const;
use super::reject::R;
use crate::model::{Const, Exit, Ty, Value};
use crate::span::Span;

/// The shape of an arm of a switchable match.
enum ArmKind {
    Consts(Vec<Const>),
    /// `_` (None) or a binding (Some(name)).
    CatchAll(Option<String>),
}

impl FnBuilder<'_> {
    pub fn lower_match(&mut self, m: &syn::ExprMatch, span: Span) -> R<Value> {
        let n0 = self.env.len();
        let (s, elem_at) = self.lower_scrutinee(&m.expr)?;
        if self.dead() {
            return Ok(Value::Const(Const::Unit));
        }
        let sidx = self.hidden("scrut", s);
        let res = self.new_join(n0, true);
        for arm in &m.arms {
            super::reject::check_plain_attrs(self.items.file, &arm.attrs)?;
        }
        match self.switch_kinds(&m.arms)? {
            Some(kinds) if elem_at.is_none() => self.lower_switch(m, &kinds, sidx, &res, span)?,
            _ => self.lower_chain(m, sidx, elem_at, &res, span)?,
        }
        self.enter(&res, span)
    }

    /// A match arm's body: a temporary scope of its own.
    fn arm_body(&mut self, body: &syn::Expr, span: Span) -> R<Value> {
        let gm = self.guards.len();
        let v = self.lower_expr(body)?;
        self.release_above(gm, span);
        Ok(v)
    }

    /// A match guard: a temporary scope of its own.
    fn arm_guard(&mut self, g: &syn::Expr, span: Span) -> R<Value> {
        self.arm_body(g, span)
    }

    fn switch_kinds(&self, arms: &[syn::Arm]) -> R<Option<Vec<ArmKind>>> {
        let mut kinds = Vec::new();
        let mut any_const = false;
        for arm in arms {
            let mut pats: Vec<&syn::Pat> = Vec::new();
            flatten_or(&arm.pat, &mut pats);
            let k = match pats.as_slice() {
                [syn::Pat::Wild(_)] => ArmKind::CatchAll(None),
                [syn::Pat::Ident(i)]
                    if i.by_ref.is_none()
                        && i.subpat.is_none()
                        && i.ident != "None"
                        && !self.items.consts.contains_key(&i.ident.to_string())
                        && self.variant_named(&i.ident.to_string()).is_none()
                        && !self.items.struct_ids.contains_key(&i.ident.to_string()) =>
                {
                    ArmKind::CatchAll(Some(i.ident.to_string()))
                }
                _ => {
                    let mut cs = Vec::new();
                    for p in &pats {
                        let syn::Pat::Lit(l) = p else {
                            return Ok(None);
                        };
                        match lit_const(self.items.file, &l.lit)? {
                            c @ (Const::Int(..) | Const::Char(_)) => cs.push(c),
                            _ => return Ok(None),
                        }
                    }
                    any_const = true;
                    ArmKind::Consts(cs)
                }
            };
            kinds.push(k);
        }
        Ok(if any_const { Some(kinds) } else { None })
    }

    fn lower_switch(
        &mut self,
        m: &syn::ExprMatch,
        kinds: &[ArmKind],
        sidx: usize,
        res: &Join,
        span: Span,
    ) -> R<()> {
        let n = self.env.len();
        let bodies: Vec<Join> = m.arms.iter().map(|_| self.new_join(n, false)).collect();
        // The distinct constants, in order of appearance.
        let mut consts: Vec<Const> = Vec::new();
        for k in kinds {
            if let ArmKind::Consts(cs) = k {
                for c in cs {
                    if !consts.contains(c) {
                        consts.push(c.clone());
                    }
                }
            }
        }
        // Which arms may take a value: those matching it, in order, up to
        // the first one without a guard.
        let candidates = |c: Option<&Const>| -> Vec<usize> {
            let mut v = Vec::new();
            for (i, k) in kinds.iter().enumerate() {
                let matches = match (k, c) {
                    (ArmKind::CatchAll(_), _) => true,
                    (ArmKind::Consts(cs), Some(c)) => cs.contains(c),
                    (ArmKind::Consts(_), None) => false,
                };
                if matches {
                    v.push(i);
                    if m.arms[i].guard.is_none() {
                        break;
                    }
                }
            }
            v
        };
        // A case goes straight to an arm's body when that arm has no guard;
        // otherwise to a chain of guard tests.
        let mut targets: Vec<(Vec<usize>, Join)> = Vec::new();
        let mut plan = |b: &mut Self, cands: Vec<usize>| -> Join {
            match cands.as_slice() {
                [i] if m.arms[*i].guard.is_none() => bodies[*i].clone(),
                _ => {
                    let j = b.new_join(n, false);
                    targets.push((cands, j.clone()));
                    j
                }
            }
        };
        let mut case_joins = Vec::new();
        for c in &consts {
            let j = plan(self, candidates(Some(c)));
            case_joins.push((c.clone(), j));
        }
        let default_join = plan(self, candidates(None));
        let value = self.get(sidx);
        let mut cases = Vec::new();
        for (c, j) in &case_joins {
            cases.push((c.clone(), self.link(j, None, span)?));
        }
        let default = self.link(&default_join, None, span)?;
        self.set_exit(Exit::Switch {
            value,
            cases,
            default,
        });
        // Guard chains.
        for (cands, j) in targets {
            self.enter(&j, span)?;
            for i in cands {
                let arm = &m.arms[i];
                match &arm.guard {
                    None => {
                        self.jump(&bodies[i], None, span)?;
                        break;
                    }
                    Some((_, g)) => {
                        if let ArmKind::CatchAll(Some(name)) = &kinds[i] {
                            let v = self.get(sidx);
                            self.bind(name.clone(), v, Ty::Infer);
                        }
                        let c = self.arm_guard(g, span)?;
                        self.env.truncate(n);
                        let next = self.new_join(n, false);
                        self.branch(c, &bodies[i], &next, span)?;
                        self.enter(&next, span)?;
                    }
                }
            }
            // No arm took the value: rustc's exhaustiveness check says this
            // cannot happen.
            self.diverge();
        }
        // Bodies.
        for (i, arm) in m.arms.iter().enumerate() {
            self.enter(&bodies[i], span)?;
            if self.dead() {
                continue;
            }
            if let ArmKind::CatchAll(Some(name)) = &kinds[i] {
                let v = self.get(sidx);
                self.bind(name.clone(), v, Ty::Infer);
            }
            let v = self.arm_body(&arm.body, span)?;
            self.jump(res, Some(v), span)?;
        }
        self.env.truncate(n);
        Ok(())
    }

    fn lower_chain(
        &mut self,
        m: &syn::ExprMatch,
        sidx: usize,
        elem_at: Option<(usize, usize)>,
        res: &Join,
        span: Span,
    ) -> R<()> {
        let n = self.env.len();
        for arm in &m.arms {
            if self.dead() {
                break;
            }
            let next = self.new_join(n, false);
            let binds = self.test_pattern(&arm.pat, self.get(sidx), Some(&next))?;
            for (name, v) in binds {
                self.bind(name, v, Ty::Infer);
            }
            self.mark_elem_binding(&arm.pat, elem_at);
            if let Some((_, g)) = &arm.guard {
                let c = self.arm_guard(g, span)?;
                let ok = self.join_here();
                self.branch(c, &ok, &next, span)?;
                self.enter(&ok, span)?;
            }
            let v = self.arm_body(&arm.body, span)?;
            self.jump(res, Some(v), span)?;
            self.env.truncate(n);
            self.enter(&next, span)?;
        }
        // No arm matched: impossible after rustc's exhaustiveness check.
        self.diverge();
        Ok(())
    }

    pub fn lower_if_let(
        &mut self,
        l: &syn::ExprLet,
        then: &syn::Block,
        els: Option<&syn::Expr>,
        span: Span,
    ) -> R<Value> {
        let n = self.env.len();
        let (s, elem_at) = self.lower_scrutinee(&l.expr)?;
        if self.dead() {
            return Ok(Value::Const(Const::Unit));
        }
        let sidx = self.hidden("scrut", s);
        let fail = self.new_join(n, false);
        let res = self.new_join(n, true);
        let binds = self.test_pattern(&l.pat, self.get(sidx), Some(&fail))?;
        for (name, v) in binds {
            self.bind(name, v, Ty::Infer);
        }
        self.mark_elem_binding(&l.pat, elem_at);
        let gm = self.guards.len();
        let v = self.lower_block(then)?;
        self.release_above(gm, span);
        self.jump(&res, Some(v), span)?;
        self.enter(&fail, span)?;
        let v = match els {
            Some(e) => self.lower_expr(e)?,
            None => Value::Const(Const::Unit),
        };
        self.release_above(gm, span);
        self.jump(&res, Some(v), span)?;
        self.enter(&res, span)
    }
}

impl FnBuilder<'_> {
    /// `matches!(e, pat if guard)`: true when the pattern (and guard) match.
    pub fn lower_matches(
        &mut self,
        e: &syn::Expr,
        pat: &syn::Pat,
        guard: Option<&syn::Expr>,
        span: Span,
    ) -> R<Value> {
        let n = self.env.len();
        let s = self.lower_expr(e)?;
        if self.dead() {
            return Ok(Value::Const(Const::Unit));
        }
        let sidx = self.hidden("scrut", s);
        let fail = self.new_join(n, false);
        let res = self.new_join(n, true);
        let binds = self.test_pattern(pat, self.get(sidx), Some(&fail))?;
        for (name, v) in binds {
            self.bind(name, v, Ty::Infer);
        }
        if let Some(g) = guard {
            let c = self.lower_expr(g)?;
            let ok = self.join_here();
            self.branch(c, &ok, &fail, span)?;
            self.enter(&ok, span)?;
        }
        self.jump(&res, Some(Value::Const(Const::Bool(true))), span)?;
        self.enter(&fail, span)?;
        self.jump(&res, Some(Value::Const(Const::Bool(false))), span)?;
        self.enter(&res, span)
    }
}

fn flatten_or<'p>(p: &'p syn::Pat, out: &mut Vec<&'p syn::Pat>) {
    match p {
        syn::Pat::Or(o) => {
            for c in &o.cases {
                flatten_or(c, out);
            }
        }
        syn::Pat::Paren(p) => flatten_or(&p.pat, out),
        _ => out.push(p),
    }
}
