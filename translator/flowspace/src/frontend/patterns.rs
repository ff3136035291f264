//! Patterns: the tests they make and the names they bind.
//!
//! A pattern is lowered to a sequence of tests; each failing test jumps to
//! the `fail` join, each passing one continues in a new block. Values that
//! must survive a test (the tested value, the bindings found so far) are kept
//! in the environment so that they flow through the blocks' inputs.

use super::builder::{FnBuilder, Join};
use super::consts::lit_const;
use super::reject::{error, unsupported, R};
use crate::model::{BinOp, Const, OpKind, Ty, Value, VariantShape};
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
                // `ref x` and `ref mut x` bind the value itself: references
                // are erased, heap values are shared, and a scalar bound by
                // `ref mut` could only be written through `*x = ..`, which
                // is rejected.
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
                // An imported unit variant (`use Op::*;` then `Halt =>`) is a
                // test, as in Rust, not a binding.
                if let Some((sid, variant)) = self.variant_named(&name) {
                    if self.variant_def(sid, variant).shape != VariantShape::Unit {
                        return Err(error(
                            span,
                            format!("`{}` has fields", self.variant_name(sid, variant)),
                            "a variant with fields",
                            "match its fields too: `Variant(..)` or `Variant { .. }`",
                        ));
                    }
                    let c = self.emit_v(OpKind::IsEnumVariant { ty: sid, variant }, vec![v], span);
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
                if let Some((sid, variant)) = self.variant_of_path(&p.path) {
                    if self.variant_def(sid, variant).shape != VariantShape::Unit {
                        return Err(error(
                            span,
                            format!("`{}` has fields", self.variant_name(sid, variant)),
                            "a variant with fields",
                            "match its fields too: `Enum::Variant(..)` or `Enum::Variant { .. }`",
                        ));
                    }
                    let c = self.emit_v(OpKind::IsEnumVariant { ty: sid, variant }, vec![v], span);
                    return self.test(c, fail, span);
                }
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
                if let Some((sid, variant)) = self.variant_of_path(&ts.path) {
                    let elems: Vec<&syn::Pat> = ts.elems.iter().collect();
                    return self.variant_tuple_pat(sid, variant, &elems, v, fail, span);
                }
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
                if let Some((sid, variant)) = self.variant_of_path(&ps.path) {
                    return self.variant_struct_pat(sid, variant, ps, v, fail, span);
                }
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
            syn::Pat::Slice(s) => {
                let elems: Vec<&syn::Pat> = s.elems.iter().collect();
                self.slice_pat(&elems, v, fail, span)
            }
            syn::Pat::Rest(_) => Err(unsupported(span, "`..` here", "name every element")),
            _ => Err(unsupported(span, "this pattern", "use literals, ranges, `_`, names, tuples, `Some(..)`, `None`, `Ok(..)` or `Err(..)`")),
        }
    }

    /// `Enum::Variant(p0, p1, ..)`: the variant test, then each field.
    fn variant_tuple_pat(
        &mut self,
        sid: crate::model::StructId,
        variant: u32,
        elems: &[&syn::Pat],
        v: Value,
        fail: Option<&Join>,
        span: Span,
    ) -> R<()> {
        let def = self.variant_def(sid, variant).clone();
        if def.shape != VariantShape::Tuple {
            return Err(error(
                span,
                format!(
                    "`{}` is not a tuple variant",
                    self.variant_name(sid, variant)
                ),
                "matched as a tuple variant",
                if def.shape == VariantShape::Unit {
                    "write it without parentheses: `Enum::Variant`"
                } else {
                    "match its fields by name: `Enum::Variant { x, .. }`"
                },
            ));
        }
        // `..` stands for the fields between those written before and after it.
        if elems
            .iter()
            .filter(|p| matches!(p, syn::Pat::Rest(_)))
            .count()
            > 1
        {
            return Err(error(
                span,
                "`..` can be used once in a pattern".into(),
                "here",
                "write one `..`",
            ));
        }
        let rest = elems.iter().position(|p| matches!(p, syn::Pat::Rest(_)));
        let written = elems.len() - usize::from(rest.is_some());
        if written > def.field_count || (rest.is_none() && written != def.field_count) {
            return Err(error(
                span,
                format!(
                    "`{}` has {} field(s), the pattern {}",
                    self.variant_name(sid, variant),
                    def.field_count,
                    written
                ),
                "wrong number of fields",
                "give one pattern per field, or `..` for the rest",
            ));
        }
        let mut fields = Vec::new();
        for (i, p) in elems.iter().enumerate() {
            let index = match rest {
                Some(r) if i == r => continue,
                Some(r) if i > r => def.field_count - (elems.len() - i),
                _ => i,
            };
            fields.push((def.first_field + index, *p));
        }
        self.variant_fields(sid, variant, &fields, v, fail, span)
    }

    /// `Enum::Variant { a, b: p, .. }`.
    fn variant_struct_pat(
        &mut self,
        sid: crate::model::StructId,
        variant: u32,
        ps: &syn::PatStruct,
        v: Value,
        fail: Option<&Join>,
        span: Span,
    ) -> R<()> {
        let def = self.variant_def(sid, variant).clone();
        let mut fields = Vec::new();
        for f in &ps.fields {
            let name = super::exprs::member_name(&f.member);
            let Some(index) = def.field_index(&self.items.structs[sid], &name) else {
                return Err(error(
                    self.sp(&f.member),
                    format!(
                        "`{}` has no field `{name}`",
                        self.variant_name(sid, variant)
                    ),
                    "unknown field",
                    "use the field names of the variant's declaration",
                ));
            };
            fields.push((index, &f.pat));
        }
        if ps.rest.is_none() && fields.len() != def.field_count {
            return Err(error(
                span,
                format!(
                    "the pattern does not name every field of `{}`",
                    self.variant_name(sid, variant)
                ),
                "fields missing",
                "name the others too, or end the pattern with `..`",
            ));
        }
        let pats: Vec<(usize, &syn::Pat)> = fields.iter().map(|(i, p)| (*i, &***p)).collect();
        self.variant_fields(sid, variant, &pats, v, fail, span)
    }

    /// Tests that `v` is the variant, then matches the fields' patterns
    /// (`(index in StructDef::fields, pattern)`).
    fn variant_fields(
        &mut self,
        sid: crate::model::StructId,
        variant: u32,
        fields: &[(usize, &syn::Pat)],
        v: Value,
        fail: Option<&Join>,
        span: Span,
    ) -> R<()> {
        let idx = self.hidden("pat", v);
        let c = self.emit_v(
            OpKind::IsEnumVariant { ty: sid, variant },
            vec![self.get(idx)],
            span,
        );
        self.test(c, fail, span)?;
        for (field, p) in fields {
            if matches!(p, syn::Pat::Wild(_)) {
                continue;
            }
            let f = self.emit_v(
                OpKind::EnumField {
                    ty: sid,
                    field: *field,
                },
                vec![self.get(idx)],
                span,
            );
            self.pat_rec(p, f, fail)?;
        }
        Ok(())
    }

    /// Tuple-like destructuring: element `i` is field `"i"`.
    /// `[a, b]`, `[first, ..]`, `[.., last]`, `[x, rest @ ..]` against a
    /// slice: a test of its length, then each element's pattern; a named
    /// rest is the sub-slice between.
    fn slice_pat(
        &mut self,
        elems: &[&syn::Pat],
        v: Value,
        fail: Option<&Join>,
        span: Span,
    ) -> R<()> {
        let is_rest = |p: &syn::Pat| match p {
            syn::Pat::Rest(_) => true,
            syn::Pat::Ident(i) => {
                matches!(&i.subpat, Some((_, sub)) if matches!(**sub, syn::Pat::Rest(_)))
            }
            _ => false,
        };
        let rests: Vec<usize> = (0..elems.len()).filter(|&i| is_rest(elems[i])).collect();
        if rests.len() > 1 {
            return Err(error(
                span,
                "`..` twice in a slice pattern".into(),
                "here",
                "use `..` once",
            ));
        }
        let rest = rests.first().copied();
        let fixed = elems.len() - rest.map_or(0, |_| 1);
        let usize_c =
            |n: usize| Value::Const(Const::Int(n as i128, Some(crate::model::IntTy::Usize)));
        let idx = self.hidden("pat", v);
        let len = self.emit_v(
            OpKind::MethodCall {
                name: "len".into(),
                turbofish: None,
            },
            vec![self.get(idx)],
            span,
        );
        let lidx = self.hidden("len", len);
        let (op, n) = match rest {
            None => (BinOp::Eq, fixed),
            Some(_) => (BinOp::Ge, fixed),
        };
        let t = self.emit_v(OpKind::Bin(op), vec![self.get(lidx), usize_c(n)], span);
        self.test(t, fail, span)?;
        let before = rest.unwrap_or(elems.len());
        for (i, p) in elems.iter().enumerate() {
            if matches!(p, syn::Pat::Wild(_)) {
                continue;
            }
            // Elements after the rest count from the end.
            let at = if i < before {
                usize_c(i)
            } else if Some(i) == rest {
                let syn::Pat::Ident(b) = p else {
                    continue;
                };
                let end = self.emit_v(
                    OpKind::Bin(BinOp::Sub),
                    vec![self.get(lidx), usize_c(elems.len() - 1 - i)],
                    span,
                );
                let sub = self.emit_v(
                    OpKind::Slice(crate::model::SliceKind::Range),
                    vec![self.get(idx), usize_c(i), end],
                    span,
                );
                let name = syn::Pat::Ident(syn::PatIdent {
                    subpat: None,
                    ..b.clone()
                });
                self.pat_rec(&name, sub, fail)?;
                continue;
            } else {
                self.emit_v(
                    OpKind::Bin(BinOp::Sub),
                    vec![self.get(lidx), usize_c(elems.len() - i)],
                    span,
                )
            };
            let e = Value::Var(self.emit_indexed(
                OpKind::GetIndex,
                vec![self.get(idx), at],
                span,
                None,
            ));
            self.pat_rec(p, e, fail)?;
        }
        Ok(())
    }

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

    /// `p1 | p2 | ...`: the first alternative that matches goes on. Every
    /// alternative binds the same names (rustc checks it); they reach the
    /// code after the pattern through the inputs of the `ok` join, in name
    /// order.
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
        let mut ok: Option<(Join, Vec<String>)> = None;
        let count = o.cases.len();
        for (i, case) in o.cases.iter().enumerate() {
            let next = if i + 1 == count {
                fail.clone()
            } else {
                self.new_join(n, false)
            };
            let mut binds = self.test_pattern(case, self.get(idx), Some(&next))?;
            binds.sort_by(|a, b| a.0.cmp(&b.0));
            let names: Vec<String> = binds.iter().map(|b| b.0.clone()).collect();
            for (name, value) in binds {
                self.bind(name, value, Ty::Infer);
            }
            let (join, first) = match &ok {
                Some(pair) => pair.clone(),
                None => {
                    let pair = (self.new_join(self.env.len(), false), names.clone());
                    ok = Some(pair.clone());
                    pair
                }
            };
            if names != first {
                return Err(error(
                    self.sp(case),
                    "the alternatives of this or-pattern bind different variables".into(),
                    "this alternative",
                    "bind the same names in every alternative, or write one `match` arm \
                     per alternative",
                ));
            }
            self.jump(&join, None, span)?;
            self.env.truncate(n);
            if i + 1 < count {
                self.enter(&next, span)?;
            }
        }
        if let Some((join, names)) = ok {
            // Bindings are restored before entering so that `enter` renames
            // them to the join's inputs.
            for name in names {
                self.bind(name, Value::Const(Const::Unit), Ty::Infer);
            }
            self.enter(&join, span)?;
        }
        Ok(())
    }

    /// `T::N` or `Self::N` naming an associated const of a user type.
    pub fn user_assoc_const(&self, segs: &[String]) -> Option<Const> {
        let [owner, c] = segs else {
            return None;
        };
        let owner = if owner == "Self" {
            self.items.structs[self.self_struct?].name.as_str()
        } else {
            owner.as_str()
        };
        self.items.consts.get(&format!("{owner}::{c}")).cloned()
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
                if let Some(c) = self.user_assoc_const(&segs) {
                    return Ok(c);
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
