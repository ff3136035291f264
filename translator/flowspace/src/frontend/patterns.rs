//! Patterns: the tests they make and the names they bind.
//!
//! A pattern is lowered to a sequence of tests; each failing test jumps to
//! the `fail` join, each passing one continues in a new block. Values that
//! must survive a test (the tested value, the bindings found so far) are kept
//! in the environment so that they flow through the blocks' inputs.

use super::builder::{FnBuilder, Join};
use super::consts::lit_const;
use super::reject::{error, unsupported, R};
use crate::model::{BinOp, Const, OpKind, Value};
use crate::span::Span;

impl FnBuilder<'_> {
    /// Tests `v` against `pat`; on failure jumps to `fail` (`None` for
    /// irrefutable places such as `let`). Returns the bindings, valid in the
    /// current block.
    pub fn test_pattern(
        &mut self,
        pat: &syn::Pat,
        v: Value,
        fail: Option<&Join>,
    ) -> R<Vec<(String, Value)>> {
        let mark = self.env.len();
        self.pat_rec(pat, v, fail)?;
        let binds: Vec<(String, Value)> = self.env[mark.min(self.env.len())..]
            .iter()
            .filter(|b| !b.name.starts_with('#'))
            .map(|b| (b.name.clone(), b.value.clone()))
            .collect();
        self.env.truncate(mark);
        Ok(binds)
    }

    /// Branches on `cond`: continues when true, jumps to `fail` when false.
    fn test(&mut self, cond: Value, fail: Option<&Join>, span: Span) -> R<()> {
        let Some(fail) = fail else {
            return Err(error(
                span,
                "this pattern can fail to match here".into(),
                "refutable pattern",
                "use `match` or `if let` for patterns that may not match",
            ));
        };
        let ok = self.join_here();
        self.branch(cond, &ok, fail, span)?;
        self.enter(&ok, span)?;
        Ok(())
    }

    fn pat_rec(&mut self, pat: &syn::Pat, v: Value, fail: Option<&Join>) -> R<()> {
        let span = self.sp(pat);
        if self.dead() {
            return Ok(());
        }
        match pat {
            syn::Pat::Wild(_) => Ok(()),
            syn::Pat::Paren(p) => self.pat_rec(&p.pat, v, fail),
            syn::Pat::Ident(i) => {
                if i.by_ref.is_some() {
                    return Err(unsupported(
                        span,
                        "a `ref` binding",
                        "bind by value (`x`); the translator erases references",
                    ));
                }
                let name = i.ident.to_string();
                if let Some((_, sub)) = &i.subpat {
                    let idx = self.hidden("pat", v);
                    self.pat_rec(sub, self.get(idx), fail)?;
                    let v = self.get(idx);
                    self.bind(name, v, crate::model::Ty::Infer);
                    return Ok(());
                }
                if name == "None" {
                    let c = self.emit_v(OpKind::IsVariant("None".into()), vec![v], span);
                    return self.test(c, fail, span);
                }
                if let Some(c) = self.items.consts.get(&name).cloned() {
                    let t = self.emit_v(OpKind::Bin(BinOp::Eq), vec![v, Value::Const(c)], span);
                    return self.test(t, fail, span);
                }
                if self.items.struct_ids.contains_key(&name) {
                    return Err(unsupported(span, "a unit struct pattern", "use `_`"));
                }
                self.bind(name, v, crate::model::Ty::Infer);
                Ok(())
            }
            syn::Pat::Lit(l) => {
                let c = lit_const(self.items.file, &l.lit)?;
                let t = self.emit_v(OpKind::Bin(BinOp::Eq), vec![v, Value::Const(c)], span);
                self.test(t, fail, span)
            }
            syn::Pat::Range(r) => {
                let idx = self.hidden("pat", v);
                if let Some(lo) = &r.start {
                    let lo = self.pat_const(lo)?;
                    let v = self.get(idx);
                    let t = self.emit_v(OpKind::Bin(BinOp::Ge), vec![v, Value::Const(lo)], span);
                    self.test(t, fail, span)?;
                }
                if let Some(hi) = &r.end {
                    let hi = self.pat_const(hi)?;
                    let op = match r.limits {
                        syn::RangeLimits::Closed(_) => BinOp::Le,
                        syn::RangeLimits::HalfOpen(_) => BinOp::Lt,
                    };
                    let v = self.get(idx);
                    let t = self.emit_v(OpKind::Bin(op), vec![v, Value::Const(hi)], span);
                    self.test(t, fail, span)?;
                }
                Ok(())
            }
            syn::Pat::Path(p) => {
                let segs: Vec<String> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
                if segs.len() == 1 && segs[0] == "None" {
                    let c = self.emit_v(OpKind::IsVariant("None".into()), vec![v], span);
                    return self.test(c, fail, span);
                }
                let c = self.pat_const(&syn::Expr::Path(p.clone()))?;
                let t = self.emit_v(OpKind::Bin(BinOp::Eq), vec![v, Value::Const(c)], span);
                self.test(t, fail, span)
            }
            syn::Pat::TupleStruct(ts) => {
                let segs: Vec<String> = ts.path.segments.iter().map(|s| s.ident.to_string()).collect();
                let name = segs.last().cloned().unwrap_or_default();
                if segs.len() == 1 && matches!(name.as_str(), "Some" | "Ok" | "Err") {
                    if ts.elems.len() != 1 {
                        return Err(error(span, format!("`{name}` has one field"), "here", "write `Some(x)`"));
                    }
                    let idx = self.hidden("pat", v);
                    let c = self.emit_v(OpKind::IsVariant(name.clone()), vec![self.get(idx)], span);
                    self.test(c, fail, span)?;
                    let f = self.emit_v(
                        OpKind::VariantField {
                            variant: name,
                            index: 0,
                        },
                        vec![self.get(idx)],
                        span,
                    );
                    match ts.elems.first() {
                        Some(p) => self.pat_rec(p, f, fail),
                        None => Ok(()),
                    }
                } else {
                    let sid = self.struct_of_path(&ts.path, span)?;
                    let n = self.items.structs[sid].fields.len();
                    let elems: Vec<&syn::Pat> = ts.elems.iter().collect();
                    self.fields_rec(&elems, n, v, fail, span)
                }
            }
            syn::Pat::Tuple(t) => {
                let elems: Vec<&syn::Pat> = t.elems.iter().collect();
                let n = elems.len();
                self.fields_rec(&elems, n, v, fail, span)
            }
            syn::Pat::Struct(ps) => {
                let sid = self.struct_of_path(&ps.path, span)?;
                let idx = self.hidden("pat", v);
                for f in &ps.fields {
                    let name = super::exprs::member_name(&f.member);
                    if self.items.structs[sid].field_index(&name).is_none() {
                        return Err(error(self.sp(&f.member), format!("no field `{name}`"), "unknown field", "use the struct's field names"));
                    }
                    let fv = self.emit_v(OpKind::GetField(name), vec![self.get(idx)], span);
                    self.pat_rec(&f.pat, fv, fail)?;
                }
                Ok(())
            }
            syn::Pat::Reference(r) => {
                let d = self.emit_v(OpKind::Deref, vec![v], span);
                self.pat_rec(&r.pat, d, fail)
            }
            syn::Pat::Or(o) => self.or_pattern(o, v, fail, span),
            syn::Pat::Type(_) => Err(unsupported(
                span,
                "a type annotation inside a pattern",
                "annotate the whole `let`: `let x: T = ...;`",
            )),
            syn::Pat::Slice(_) => Err(unsupported(
                span,
                "a slice pattern",
                "test the length and index the elements",
            )),
            syn::Pat::Rest(_) => Err(unsupported(span, "`..` here", "name every element")),
            _ => Err(unsupported(span, "this pattern", "use literals, ranges, `_`, names, tuples, `Some(..)`, `None`, `Ok(..)` or `Err(..)`")),
        }
    }

    /// Tuple-like destructuring: element `i` is field `"i"`.
    fn fields_rec(
        &mut self,
        elems: &[&syn::Pat],
        n: usize,
        v: Value,
        fail: Option<&Join>,
        span: Span,
    ) -> R<()> {
        if elems.iter().any(|p| matches!(p, syn::Pat::Rest(_))) {
            return Err(unsupported(
                span,
                "`..` in a tuple pattern",
                "name every element (use `_` for the ones you skip)",
            ));
        }
        if elems.len() != n {
            return Err(error(
                span,
                format!("expected {n} elements"),
                "wrong count",
                "match every element",
            ));
        }
        let idx = self.hidden("pat", v);
        for (i, p) in elems.iter().enumerate() {
            if matches!(p, syn::Pat::Wild(_)) {
                continue;
            }
            let f = self.emit_v(OpKind::GetField(i.to_string()), vec![self.get(idx)], span);
            self.pat_rec(p, f, fail)?;
        }
        Ok(())
    }

    /// `p1 | p2 | ...` that binds nothing: any alternative matching goes on.
    fn or_pattern(&mut self, o: &syn::PatOr, v: Value, fail: Option<&Join>, span: Span) -> R<()> {
        let Some(fail) = fail else {
            return Err(error(
                span,
                "an or-pattern can fail to match here".into(),
                "refutable",
                "use `match`",
            ));
        };
        let idx = self.hidden("pat", v);
        let n = self.env.len();
        let ok = self.new_join(n, false);
        let count = o.cases.len();
        for (i, case) in o.cases.iter().enumerate() {
            let next = if i + 1 == count {
                fail.clone()
            } else {
                self.new_join(n, false)
            };
            let binds = self.test_pattern(case, self.get(idx), Some(&next))?;
            if !binds.is_empty() {
                return Err(unsupported(
                    self.sp(case),
                    "an or-pattern that binds variables",
                    "write one `match` arm per alternative",
                ));
            }
            self.jump(&ok, None, span)?;
            if i + 1 < count {
                self.enter(&next, span)?;
            }
        }
        self.enter(&ok, span)?;
        Ok(())
    }

    /// A constant in a pattern: a literal, `-literal`, a `const` or `i32::MAX`.
    pub fn pat_const(&self, e: &syn::Expr) -> R<Const> {
        let span = self.sp(e);
        match e {
            syn::Expr::Lit(l) => lit_const(self.items.file, &l.lit),
            syn::Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => {
                match self.pat_const(&u.expr)? {
                    Const::Int(v, t) => Ok(Const::Int(-v, t)),
                    Const::Float(f) => Ok(Const::Float(-f)),
                    _ => Err(error(
                        span,
                        "cannot negate this".into(),
                        "here",
                        "write a number",
                    )),
                }
            }
            syn::Expr::Path(p) => {
                let segs: Vec<String> = p
                    .path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect();
                if let [n] = segs.as_slice() {
                    if let Some(c) = self.items.consts.get(n) {
                        return Ok(c.clone());
                    }
                }
                super::consts::assoc_const(&self.items.uses.resolve(&segs)).ok_or_else(|| {
                    error(
                        span,
                        format!("`{}` is not a constant", segs.join("::")),
                        "expected a constant",
                        "use a literal or a `const` in patterns",
                    )
                })
            }
            _ => Err(unsupported(
                span,
                "this pattern bound",
                "use a literal or a `const`",
            )),
        }
    }
}
