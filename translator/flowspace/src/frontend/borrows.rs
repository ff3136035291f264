//! `RefCell` borrows and the points where Rust drops their guards.
//!
//! `c.borrow()` and `c.borrow_mut()` check and set the cell's borrow flag
//! (panicking as std does); the guard is released where Rust drops it, so a
//! program that panics with "RefCell already borrowed" under rustc panics
//! the same way here, and one that does not never does:
//!
//! - a temporary guard (`c.borrow().len()`) at the end of its temporary
//!   scope: the enclosing statement, or the nearer terminating scope (an
//!   `if`/`while` condition, the body of an `if`, `else`, loop or match arm,
//!   a match guard, the right operand of `&&`/`||`, the function body).
//!   `match` and `if let` scrutinees live to the end of their statement, as
//!   in Rust 2021, and a block's tail expression to the end of the
//!   enclosing one;
//! - a guard held by `let g = c.borrow_mut();` at the end of its block, or
//!   at `drop(g)` in that block; so is one a `let` extends, the base of the
//!   place borrowed in `let r = &c.borrow().field;` (as Rust extends that
//!   temporary; the same inside a struct, tuple or array literal or a
//!   block's tail is refused);
//! - every guard a `break`, `continue`, `return` or `?` leaves behind, on
//!   that path.
//!
//! Live guards (`FnBuilder::guards`) travel through joins like locals, so a
//! release always has its cell at hand.

use super::builder::{CellKind, FnBuilder, Guard};
use super::reject::{error, R};
use crate::model::{OpKind, Value};
use crate::span::Span;

/// The expression a place projects out of (through fields, indexing, `*`).
fn place_base(e: &syn::Expr) -> &syn::Expr {
    match e {
        syn::Expr::Paren(p) => place_base(&p.expr),
        syn::Expr::Field(f) => place_base(&f.base),
        syn::Expr::Index(i) => place_base(&i.expr),
        syn::Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => place_base(&u.expr),
        other => other,
    }
}

pub(crate) fn method(name: &str) -> OpKind {
    OpKind::MethodCall {
        name: name.into(),
        turbofish: None,
    }
}

/// The span rustc gives a method call (and its panics): the method's name
/// to the closing parenthesis.
pub(crate) fn call_span(b: &FnBuilder, m: &syn::ExprMethodCall) -> Span {
    let name = super::span_of(b.items.file, m.method.span());
    let close = super::span_of(b.items.file, m.paren_token.span.close());
    Span {
        hi: close.hi.max(name.hi),
        ..name
    }
}

impl FnBuilder<'_> {
    /// `e` is `recv.borrow()` (false) or `recv.borrow_mut()` (true) of a
    /// `RefCell`.
    pub(crate) fn borrow_call<'e>(
        &self,
        e: &'e syn::Expr,
    ) -> Option<(&'e syn::ExprMethodCall, bool)> {
        match e {
            syn::Expr::Paren(p) => self.borrow_call(&p.expr),
            syn::Expr::MethodCall(m) => self.borrow_call_of(m),
            _ => None,
        }
    }

    /// `borrow_call` of a method call.
    pub(crate) fn borrow_call_of<'e>(
        &self,
        m: &'e syn::ExprMethodCall,
    ) -> Option<(&'e syn::ExprMethodCall, bool)> {
        if !self.std_borrows || !m.args.is_empty() || m.turbofish.is_some() {
            return None;
        }
        match m.method.to_string().as_str() {
            "borrow" => Some((m, false)),
            "borrow_mut" => Some((m, true)),
            _ => None,
        }
    }

    /// Starts a borrow of `m`'s receiver: returns the cell and the value
    /// borrowed. The caller records the guard.
    fn start_borrow(&mut self, m: &syn::ExprMethodCall, mutable: bool) -> R<(Value, Value)> {
        let cell = self.lower_expr(&m.receiver)?;
        let span = call_span(self, m);
        let name = if mutable { "borrow_mut" } else { "borrow" };
        let v = self.emit_v(method(name), vec![cell.clone()], span);
        Ok((cell, v))
    }

    /// `c.borrow()` / `c.borrow_mut()` as a temporary: its value.
    pub(crate) fn lower_borrow(&mut self, m: &syn::ExprMethodCall, mutable: bool) -> R<Value> {
        let extended = self.extended_borrow == Some(m as *const _);
        let (cell, v) = self.start_borrow(m, mutable)?;
        if !self.dead() {
            self.guards.push(Guard {
                cell,
                mutable,
                binding: extended.then(|| "#extended".to_string()),
            });
        }
        Ok(v)
    }

    /// `let x = &place;` where `place` projects (fields, indexing, `*`) out
    /// of a borrow's guard: that borrow lasts to the end of the block.
    pub(crate) fn note_extended_borrow(&mut self, init: &syn::Expr) -> R<()> {
        self.extended_borrow = None;
        let mut e = init;
        while let syn::Expr::Paren(p) = e {
            e = &p.expr;
        }
        if let syn::Expr::Reference(r) = e {
            if let Some((m, _)) = self.borrow_call(place_base(&r.expr)) {
                self.extended_borrow = Some(m as *const _);
                return Ok(());
            }
        }
        // Deeper extending places (`S { f: &c.borrow().x }`, `(&c.borrow()[0],)`).
        if let Some(at) = self.nested_extended_borrow(e) {
            return Err(super::reject::unsupported(
                self.sp(at),
                "a `RefCell` guard kept alive by a reference inside a literal",
                "bind the guard first (`let g = c.borrow();`) and take the reference from it \
                 (`let s = S { f: &g.x };`)",
            ));
        }
        Ok(())
    }

    /// A `&place` of a borrow in an extending position inside `e` (struct,
    /// tuple and array literal operands, block tails).
    fn nested_extended_borrow<'e>(&self, e: &'e syn::Expr) -> Option<&'e syn::Expr> {
        let inner: Vec<&syn::Expr> = match e {
            syn::Expr::Paren(p) => vec![&p.expr],
            syn::Expr::Struct(s) => s.fields.iter().map(|f| &f.expr).collect(),
            syn::Expr::Tuple(t) => t.elems.iter().collect(),
            syn::Expr::Array(a) => a.elems.iter().collect(),
            syn::Expr::Block(b) => match b.block.stmts.last() {
                Some(syn::Stmt::Expr(x, None)) => vec![x],
                _ => vec![],
            },
            _ => vec![],
        };
        for x in inner {
            if let syn::Expr::Reference(r) = x {
                if self.borrow_call(place_base(&r.expr)).is_some() {
                    return Some(x);
                }
            }
            if let Some(at) = self.nested_extended_borrow(x) {
                return Some(at);
            }
        }
        None
    }

    /// `*c.borrow_mut()` as a place: starts the borrow (a temporary) and
    /// returns the cell written.
    pub(crate) fn borrowed_place(&mut self, e: &syn::Expr) -> R<Option<Value>> {
        if let Some((m, true)) = self.borrow_call(e) {
            let (cell, _) = self.start_borrow(m, true)?;
            if !self.dead() {
                self.guards.push(Guard {
                    cell: cell.clone(),
                    mutable: true,
                    binding: None,
                });
            }
            return Ok(Some(cell));
        }
        if let syn::Expr::Path(p) = e {
            if let Some(i) = p.path.get_ident() {
                if let Some((CellKind::Guard, cell)) = self.cell_of(&i.to_string()) {
                    return Ok(Some(cell));
                }
            }
        }
        Ok(None)
    }

    /// `*x` as a place where `x` is the element binding of a `for` over
    /// `iter_mut()`: the sequence, the index.
    pub(crate) fn element_place(&self, e: &syn::Expr) -> Option<(Value, Value)> {
        let syn::Expr::Path(p) = e else {
            return None;
        };
        match self.cell_of(&p.path.get_ident()?.to_string())? {
            (CellKind::Elem { seq, idx }, _) => Some((self.get(seq), self.get(idx))),
            _ => None,
        }
    }

    /// `let g = c.borrow_mut();`: `g` holds the guard until its block ends
    /// (or `drop(g)`). False when `init` is no borrow.
    pub(crate) fn lower_guard_let(&mut self, pat: &syn::Pat, init: &syn::Expr) -> R<bool> {
        let (syn::Pat::Ident(i), Some((m, mutable))) = (pat, self.borrow_call(init)) else {
            return Ok(false);
        };
        if i.subpat.is_some() || i.by_ref.is_some() {
            return Ok(false);
        }
        let (cell, _) = self.start_borrow(m, mutable)?;
        if self.dead() {
            return Ok(true);
        }
        let name = i.ident.to_string();
        self.guards.push(Guard {
            cell: cell.clone(),
            mutable,
            binding: Some(name.clone()),
        });
        self.bind(name, cell, crate::model::Ty::Infer);
        if let Some(b) = self.env.last_mut() {
            b.cell = Some(CellKind::Guard);
        }
        Ok(true)
    }

    /// The current value behind a `let` guard.
    pub(crate) fn guard_get(&mut self, cell: Value, span: Span) -> Value {
        self.emit_v(method("__refcell_get"), vec![cell], span)
    }

    /// `*g = v` through a guard.
    pub(crate) fn guard_set(&mut self, cell: Value, v: Value, span: Span) {
        self.emit(method("__refcell_set"), vec![cell, v], span);
    }

    /// `drop(g)` of a `let` guard: released here. `None` when the call is
    /// something else.
    pub(crate) fn lower_guard_drop(&mut self, c: &syn::ExprCall, span: Span) -> R<Option<Value>> {
        let syn::Expr::Path(f) = &*c.func else {
            return Ok(None);
        };
        let segs: Vec<String> = f
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        let is_drop = matches!(
            segs.iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .as_slice(),
            ["drop"] | ["mem", "drop"] | ["std", "mem", "drop"]
        );
        let (true, 1) = (is_drop, c.args.len()) else {
            return Ok(None);
        };
        let Some(syn::Expr::Path(a)) = c.args.first() else {
            return Ok(None);
        };
        let Some(name) = a.path.get_ident().map(|i| i.to_string()) else {
            return Ok(None);
        };
        if !matches!(self.cell_of(&name), Some((CellKind::Guard, _))) {
            return Ok(None);
        }
        let Some(k) = self
            .guards
            .iter()
            .rposition(|g| g.binding.as_deref() == Some(name.as_str()))
        else {
            return Err(error(
                span,
                format!("`{name}` is dropped twice"),
                "already dropped",
                "drop a guard once",
            ));
        };
        if k < self.block_marks.last().copied().unwrap_or(0) {
            return Err(error(
                span,
                format!("`drop({name})` in a block nested inside the one that declares `{name}`"),
                "the borrow would end on this path only",
                "drop the guard in the block where its `let` is, or end that block",
            ));
        }
        let g = self.guards.remove(k);
        self.emit_release(&g, span);
        Ok(Some(Value::Const(crate::model::Const::Unit)))
    }

    fn emit_release(&mut self, g: &Guard, span: Span) {
        if self.dead() {
            return;
        }
        let name = if g.mutable {
            "__release_borrow_mut"
        } else {
            "__release_borrow"
        };
        self.emit(method(name), vec![g.cell.clone()], span);
    }

    /// A terminating scope ends: releases every borrow started in it.
    pub(crate) fn release_above(&mut self, mark: usize, span: Span) {
        while self.guards.len() > mark {
            if let Some(g) = self.guards.pop() {
                self.emit_release(&g, span);
            }
        }
    }

    /// A statement ends: releases its temporaries (a `let` guard stays).
    pub(crate) fn release_temps_above(&mut self, mark: usize, span: Span) {
        self.release_where(mark, span, |g| g.binding.is_none());
    }

    /// A block ends: releases its `let` guards (the temporaries of its tail
    /// expression belong to the enclosing scope).
    pub(crate) fn release_lets_above(&mut self, mark: usize, span: Span) {
        self.release_where(mark, span, |g| g.binding.is_some());
    }

    fn release_where(&mut self, mark: usize, span: Span, which: impl Fn(&Guard) -> bool) {
        let mut k = self.guards.len();
        while k > mark {
            k -= 1;
            if which(&self.guards[k]) {
                let g = self.guards.remove(k);
                self.emit_release(&g, span);
            }
        }
    }

    /// Leaves the scopes above `mark` by `exit` (a jump or a return): the
    /// borrows they hold are released on that path only; the code lowered
    /// next still has them.
    pub(crate) fn exit_through(
        &mut self,
        mark: usize,
        span: Span,
        exit: impl FnOnce(&mut Self) -> R<()>,
    ) -> R<()> {
        let saved = self.guards.clone();
        self.release_above(mark, span);
        let r = exit(self);
        self.guards = saved;
        r
    }
}
