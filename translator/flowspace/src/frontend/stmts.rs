//! Blocks and statements.

use super::builder::FnBuilder;
use super::reject::{check_plain_attrs, unsupported, R};
use crate::model::{Const, OpKind, Ty, Value};

impl FnBuilder<'_> {
    /// `{ stmts; tail }` in a new scope.
    pub fn lower_block(&mut self, b: &syn::Block) -> R<Value> {
        let mark = self.env.len();
        let uses_mark = self.local_variants.len();
        self.block_marks.push(self.guards.len());
        let mut value = Value::Const(Const::Unit);
        let n = b.stmts.len();
        for (i, s) in b.stmts.iter().enumerate() {
            if self.dead() {
                // The rest is unreachable (rustc warns); nothing to run.
                break;
            }
            let last = i + 1 == n;
            value = self.lower_stmt(s, last)?;
        }
        let guard_mark = self.block_marks.pop().unwrap_or(0);
        let span = self.sp(b);
        self.release_lets_above(guard_mark, span);
        self.env.truncate(mark);
        self.local_variants.truncate(uses_mark);
        Ok(value)
    }

    /// One statement; the temporaries it borrows are released at its end
    /// (those of a block's tail expression by the enclosing scope).
    fn lower_stmt(&mut self, s: &syn::Stmt, last: bool) -> R<Value> {
        let tail = match s {
            syn::Stmt::Expr(_, semi) => semi.is_none() && last,
            syn::Stmt::Macro(m) => m.semi_token.is_none() && last,
            _ => false,
        };
        let mark = self.guards.len();
        let v = self.lower_stmt_inner(s, last)?;
        if !tail {
            let span = self.sp(s);
            self.release_temps_above(mark, span);
        }
        Ok(v)
    }

    fn lower_stmt_inner(&mut self, s: &syn::Stmt, last: bool) -> R<Value> {
        match s {
            syn::Stmt::Local(l) => {
                self.lower_let(l)?;
                Ok(Value::Const(Const::Unit))
            }
            syn::Stmt::Item(syn::Item::Use(u)) if self.variant_use(u)? => {
                Ok(Value::Const(Const::Unit))
            }
            syn::Stmt::Item(it) => Err(unsupported(
                item_head(self.items.file, it),
                "an item inside a function body",
                "move the fn, struct, const or use to the top level of the file",
            )),
            syn::Stmt::Expr(e, semi) => {
                let v = self.lower_expr(e)?;
                if semi.is_none() && last {
                    Ok(v)
                } else {
                    Ok(Value::Const(Const::Unit))
                }
            }
            syn::Stmt::Macro(m) => {
                check_plain_attrs(self.items.file, &m.attrs)?;
                let v = self.lower_macro(&m.mac)?;
                if m.semi_token.is_none() && last {
                    Ok(v)
                } else {
                    Ok(Value::Const(Const::Unit))
                }
            }
        }
    }

    fn lower_let(&mut self, l: &syn::Local) -> R<()> {
        check_plain_attrs(self.items.file, &l.attrs)?;
        let span = self.sp(l);
        let Some(init) = &l.init else {
            return Err(unsupported(
                span,
                "`let` without an initial value",
                "give the variable its value where it is declared, e.g. \
                 `let x = if c { 1 } else { 2 };`",
            ));
        };
        // `let x: T = e` carries the declared type.
        let (pat, declared) = match &l.pat {
            syn::Pat::Type(pt) => (
                &*pt.pat,
                super::types::lower_type(self.items, self.self_struct, &pt.ty)?,
            ),
            p => (p, Ty::Infer),
        };
        if declared == Ty::Infer
            && init.diverge.is_none()
            && self.lower_guard_let(pat, &init.expr)?
        {
            return Ok(());
        }
        if init.diverge.is_none() && self.lower_elem_let(pat, &init.expr)? {
            return Ok(());
        }
        // `let Some(x) = v.get_mut(i) else { .. };` binds `x` to the element.
        let mut elem_at = None;
        self.note_extended_borrow(&init.expr)?;
        let v = if init.diverge.is_some() {
            self.lower_scrutinee(&init.expr).map(|(v, at)| {
                elem_at = at;
                v
            })
        } else {
            self.lower_expr(&init.expr)
        };
        self.extended_borrow = None;
        let mut v = v?;
        if declared != Ty::Infer && !self.dead() {
            let r = self.emit(OpKind::SameAs, vec![v], span);
            self.g.vars[r].declared = declared.clone();
            v = Value::Var(r);
        }
        if self.dead() {
            return Ok(());
        }
        if init.diverge.is_none() && self.wants_cell(pat, &declared, &init.expr) {
            // `&mut name` is taken below: the variable lives in a cell.
            if let syn::Pat::Ident(i) = pat {
                let cell = self.new_cell(v, span);
                self.bind(i.ident.to_string(), cell, Ty::Infer);
                if let Some(b) = self.env.last_mut() {
                    b.cell = Some(super::builder::CellKind::Local);
                }
                return Ok(());
            }
        }
        let binds = match &init.diverge {
            None => self.test_pattern(pat, v, None)?,
            Some((_, els)) => self.let_else(pat, v, els, span)?,
        };
        let elem_pat = elem_at.map(|_| pat);
        for (name, value) in binds {
            let d = if matches!(pat, syn::Pat::Ident(_)) {
                declared.clone()
            } else {
                Ty::Infer
            };
            self.bind(name, value, d);
        }
        if let Some(p) = elem_pat {
            self.mark_elem_binding(p, elem_at);
        }
        Ok(())
    }
}

impl FnBuilder<'_> {
    /// `use Op::*;` (or `use Op::{A, B};`) inside a body: the variants are in
    /// scope until the end of the block. False for any other `use`.
    fn variant_use(&mut self, u: &syn::ItemUse) -> R<bool> {
        check_plain_attrs(self.items.file, &u.attrs)?;
        let mut m = super::paths::UseMap::default();
        if m.add_use(self.items.file, u).is_err() {
            return Ok(false);
        }
        // Imports of std's I/O and formatting traits only bring methods
        // into scope, which need no import here; any other alias would
        // have to be scoped to the block.
        let trait_import = |path: &Vec<String>| {
            let p: Vec<&str> = path.iter().map(String::as_str).collect();
            matches!(
                p.as_slice(),
                ["std", "fmt", "Write" | "Display" | "Debug"]
                    | ["std", "io", "Write" | "Read" | "BufRead"]
            )
        };
        if !m.aliases.values().all(trait_import) {
            return Ok(false);
        }
        let (names, globs) = self.items.resolve_variant_uses(&m.variants)?;
        for (name, (sid, v)) in names {
            self.local_variants.push((name, sid, v));
        }
        for sid in globs {
            let count = self.items.structs[sid]
                .enum_def
                .as_ref()
                .map_or(0, |e| e.variants.len());
            for v in 0..count as u32 {
                let name = self.variant_def(sid, v).name.clone();
                self.local_variants.push((name, sid, v));
            }
        }
        Ok(true)
    }

    /// `let pat = v else { els };`: tests the pattern; on failure runs `els`,
    /// which diverges (rustc checks that its type is `!`). Returns the
    /// bindings, valid after the statement.
    fn let_else(
        &mut self,
        pat: &syn::Pat,
        v: Value,
        els: &syn::Expr,
        span: crate::span::Span,
    ) -> R<Vec<(String, Value)>> {
        let n = self.env.len();
        let sidx = self.hidden("scrut", v);
        let fail = self.new_join(n, false);
        let binds = self.test_pattern(pat, self.get(sidx), Some(&fail))?;
        // Carry the bindings to the code after the statement through a join,
        // so that the `else` block can be lowered in between.
        self.env.truncate(n);
        for (name, value) in &binds {
            self.bind(name.clone(), value.clone(), Ty::Infer);
        }
        let ok = self.join_here();
        self.jump(&ok, None, span)?;
        let after: Vec<_> = self.env.drain(n..).collect();
        self.enter(&fail, span)?;
        if !self.dead() {
            self.lower_expr(els)?;
        }
        // Reaching the end of the `else` block is impossible in a program
        // rustc accepts.
        self.diverge();
        self.env.truncate(n);
        self.env.extend(after);
        self.enter(&ok, span)?;
        let binds = self.env.drain(n..).map(|b| (b.name, b.value)).collect();
        Ok(binds)
    }
}

/// The head of an item (`fn name`, `struct Name`), to point at.
fn item_head(file: crate::span::FileId, it: &syn::Item) -> crate::span::Span {
    use super::reject::join;
    use syn::spanned::Spanned;
    match it {
        syn::Item::Fn(f) => join(file, f.sig.fn_token.span, f.sig.ident.span()),
        syn::Item::Struct(s) => join(file, s.struct_token.span, s.ident.span()),
        syn::Item::Const(c) => join(file, c.const_token.span, c.ident.span()),
        syn::Item::Use(u) => super::span_of(file, u.span()),
        other => super::span_of(file, other.span()),
    }
}
