//! Mutable references to elements: `v.get_mut(i)`, `v.first_mut()`,
//! `v.last_mut()` (in a `match`, `if let` or `let ... else` on `Some(x)`,
//! or with `.unwrap()`/`.expect(..)`), `m.get_mut(&k)`,
//! `m.entry(k).or_insert(v)` / `.or_insert_with(f)` / `.or_default()` and
//! `let x = &mut v[i];`.
//!
//! Each becomes a *slot* of its container, computed once into hidden
//! locals (`c.__slot_of(key)` and friends, annotator/src/slots.rs); the
//! name bound to the reference is a `CellKind::Elem` of the two, so that
//! `x` and `*x` read the element and `*x = e`, `*x += e` write it. A
//! reference used on the spot (`*m.entry(k).or_insert(0) += 1`,
//! `m.entry(k).or_insert_with(Vec::new).push(x)`) reads or writes the slot
//! directly. The `for` loops over `iter_mut()` bind their element the same
//! way (frontend/loops.rs).

use super::borrows::{call_span, method};
use super::builder::{CellKind, FnBuilder};
use super::exprs::Place;
use super::reject::R;
use crate::model::{BinOp, Const, OpKind, Value};
use crate::span::Span;

/// The method names this file gives a meaning; a file that defines a
/// method of one of these names keeps its own.
const NAMES: &[&str] = &[
    "get_mut",
    "first_mut",
    "last_mut",
    "entry",
    "or_insert",
    "or_insert_with",
    "or_default",
];

/// An expression that is a mutable reference to an element.
#[derive(Clone, Copy)]
pub(crate) enum ElemExpr<'e> {
    /// `c.get_mut(k)`, `v.first_mut()`, `v.last_mut()`: an `Option` of it.
    Opt(&'e syn::ExprMethodCall),
    /// The same with `.unwrap()` or `.expect(msg)` (the outer call).
    Unwrapped(&'e syn::ExprMethodCall, &'e syn::ExprMethodCall),
    /// `m.entry(k).or_insert(v)` and its siblings: the `entry` call, the
    /// outer one.
    Entry(&'e syn::ExprMethodCall, &'e syn::ExprMethodCall),
    /// `&mut v[i]`.
    Index(&'e syn::ExprIndex),
}

fn strip(e: &syn::Expr) -> &syn::Expr {
    match e {
        syn::Expr::Paren(p) => strip(&p.expr),
        syn::Expr::Group(g) => strip(&g.expr),
        other => other,
    }
}

/// Whether the file defines a method named as one of ours.
pub(crate) fn std_elems(items: &super::collect::Items) -> bool {
    !items
        .fns
        .keys()
        .any(|k| NAMES.iter().any(|n| k.ends_with(&format!("::{n}"))))
}

impl FnBuilder<'_> {
    /// `e` as an element reference, if it is one.
    pub(crate) fn elem_expr<'e>(&self, e: &'e syn::Expr) -> Option<ElemExpr<'e>> {
        if !self.std_elems {
            return None;
        }
        match strip(e) {
            syn::Expr::MethodCall(m) => self.method_elem(m),
            syn::Expr::Reference(r) if r.mutability.is_some() => match strip(&r.expr) {
                syn::Expr::Index(i) if !matches!(&*i.index, syn::Expr::Range(_)) => {
                    Some(ElemExpr::Index(i))
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// A method call that is an element reference: `..unwrap()`,
    /// `entry(k).or_insert(..)`, `get_mut(k)`.
    pub(crate) fn elem_expr_of<'e>(&self, m: &'e syn::ExprMethodCall) -> Option<ElemExpr<'e>> {
        if !self.std_elems {
            return None;
        }
        self.method_elem(m)
    }

    fn method_elem<'e>(&self, m: &'e syn::ExprMethodCall) -> Option<ElemExpr<'e>> {
        if m.turbofish.is_some() {
            return None;
        }
        let name = m.method.to_string();
        match (name.as_str(), m.args.len()) {
            ("get_mut", 1) | ("first_mut" | "last_mut", 0) => Some(ElemExpr::Opt(m)),
            ("unwrap", 0) | ("expect", 1) => match self.elem_expr(&m.receiver)? {
                ElemExpr::Opt(inner) => Some(ElemExpr::Unwrapped(inner, m)),
                _ => None,
            },
            ("or_insert" | "or_insert_with", 1) | ("or_default", 0) => match strip(&m.receiver) {
                syn::Expr::MethodCall(e)
                    if e.method == "entry" && e.args.len() == 1 && e.turbofish.is_none() =>
                {
                    Some(ElemExpr::Entry(e, m))
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// Lowers the container and the slot of `e` into two hidden locals
    /// (returned: their indices in the environment), plus for `Opt` the
    /// `Option` of the element. `None` when the code after is dead.
    pub(crate) fn lower_elem(&mut self, e: ElemExpr) -> R<Option<(usize, usize, Option<Value>)>> {
        match e {
            ElemExpr::Opt(m) => {
                let span = call_span(self, m);
                self.reject_slice_receiver(m)?;
                let seq = self.lower_expr(&m.receiver)?;
                if self.dead() {
                    return Ok(None);
                }
                let seq = self.hidden("seq", seq);
                let slot = match m.method.to_string().as_str() {
                    "get_mut" => {
                        let key = self.lower_expr(&m.args[0])?;
                        if self.dead() {
                            return Ok(None);
                        }
                        self.emit_v(method("__slot_of"), vec![self.get(seq), key], span)
                    }
                    "first_mut" => self.emit_v(
                        method("__slot_of"),
                        vec![self.get(seq), Value::Const(Const::Int(0, None))],
                        span,
                    ),
                    _ => self.emit_v(method("__slot_last"), vec![self.get(seq)], span),
                };
                let slot = self.hidden("slot", slot);
                let opt = self.emit_v(
                    method("__slot_opt"),
                    vec![self.get(seq), self.get(slot)],
                    span,
                );
                Ok(Some((seq, slot, Some(opt))))
            }
            ElemExpr::Unwrapped(inner, m) => {
                let Some((seq, slot, Some(opt))) = self.lower_elem(ElemExpr::Opt(inner))? else {
                    return Ok(None);
                };
                let mut args = vec![opt];
                if let Some(msg) = m.args.first() {
                    let msg = self.lower_expr(msg)?;
                    if self.dead() {
                        return Ok(None);
                    }
                    args.push(msg);
                }
                let span = call_span(self, m);
                self.emit_v(method(&m.method.to_string()), args, span);
                Ok(Some((seq, slot, None)))
            }
            ElemExpr::Entry(entry, or) => self
                .lower_entry(entry, or)
                .map(|r| r.map(|(a, b)| (a, b, None))),
            ElemExpr::Index(i) => {
                self.reject_written_slice(&i.expr, "borrowing an element of a sub-slice mutably")?;
                let seq = self.lower_expr(&i.expr)?;
                if self.dead() {
                    return Ok(None);
                }
                let seq = self.hidden("seq", seq);
                let idx = self.lower_expr(&i.index)?;
                if self.dead() {
                    return Ok(None);
                }
                let span = self.sp(i);
                let slot = self.emit_v(method("__slot_of"), vec![self.get(seq), idx], span);
                let slot = self.hidden("slot", slot);
                // The bounds check of `v[i]`, with its panic and location.
                let bracket = self.bracket_span(i);
                self.emit_indexed(
                    OpKind::GetIndex,
                    vec![self.get(seq), self.get(slot)],
                    span,
                    Some(bracket),
                );
                Ok(Some((seq, slot, None)))
            }
        }
    }

    /// `m.entry(k).or_insert(v)`, `.or_insert_with(f)`, `.or_default()`.
    fn lower_entry(
        &mut self,
        entry: &syn::ExprMethodCall,
        or: &syn::ExprMethodCall,
    ) -> R<Option<(usize, usize)>> {
        let span = call_span(self, or);
        let seq = self.lower_expr(&entry.receiver)?;
        if self.dead() {
            return Ok(None);
        }
        let seq = self.hidden("seq", seq);
        let key = self.lower_expr(&entry.args[0])?;
        if self.dead() {
            return Ok(None);
        }
        let key = self.hidden("key", key);
        let slot = match or.method.to_string().as_str() {
            "or_insert" => {
                let v = self.lower_expr(&or.args[0])?;
                if self.dead() {
                    return Ok(None);
                }
                self.emit_v(
                    method("__entry"),
                    vec![self.get(seq), self.get(key), v],
                    span,
                )
            }
            "or_default" => self.emit_v(
                method("__entry_default"),
                vec![self.get(seq), self.get(key)],
                span,
            ),
            _ => {
                // `or_insert_with(f)` calls `f` only when the key is absent.
                let found = self.emit_v(
                    method("__slot_of"),
                    vec![self.get(seq), self.get(key)],
                    span,
                );
                let found = self.hidden("slot", found);
                let absent = self.emit_v(
                    OpKind::Bin(BinOp::Lt),
                    vec![self.get(found), Value::Const(Const::Int(0, None))],
                    span,
                );
                let n = self.env.len();
                let (yes, no) = (self.new_join(n, false), self.new_join(n, false));
                let res = self.new_join(n, true);
                self.branch(absent, &yes, &no, span)?;
                self.enter(&yes, span)?;
                let v = self.call_nullary(&or.args[0], span)?;
                if !self.dead() {
                    let s = self.emit_v(
                        method("__entry"),
                        vec![self.get(seq), self.get(key), v],
                        span,
                    );
                    self.jump(&res, Some(s), span)?;
                }
                self.enter(&no, span)?;
                self.jump(&res, Some(self.get(found)), span)?;
                self.enter(&res, span)?
            }
        };
        Ok(Some((seq, self.hidden("slot", slot))))
    }

    /// `f()` for the `f` of `or_insert_with(f)`: a path (`Vec::new`, a
    /// function of the file) is called by name; a closure (lifted to a
    /// struct with a `__call` method by frontend/closures.rs) or any other
    /// function value through `__call`.
    fn call_nullary(&mut self, f: &syn::Expr, span: Span) -> R<Value> {
        if let syn::Expr::Path(_) = strip(f) {
            let call = syn::Expr::Call(syn::ExprCall {
                attrs: Vec::new(),
                func: Box::new(f.clone()),
                paren_token: Default::default(),
                args: Default::default(),
            });
            return self.lower_expr(&call);
        }
        let v = self.lower_expr(f)?;
        Ok(self.emit_v(method(super::closures::CALL), vec![v], span))
    }

    /// `let x = <element reference>;`: binds `x` to the element. False
    /// when `init` is none or the pattern is not a plain name.
    pub(crate) fn lower_elem_let(&mut self, pat: &syn::Pat, init: &syn::Expr) -> R<bool> {
        let syn::Pat::Ident(i) = pat else {
            return Ok(false);
        };
        if i.subpat.is_some() || i.by_ref.is_some() {
            return Ok(false);
        }
        let Some(e) = self.elem_expr(init) else {
            return Ok(false);
        };
        if matches!(e, ElemExpr::Opt(_)) {
            return Ok(false);
        }
        let Some((seq, slot, _)) = self.lower_elem(e)? else {
            return Ok(true);
        };
        let span = self.sp(init);
        let v = self.slot_get(seq, slot, span);
        self.bind(i.ident.to_string(), v, crate::model::Ty::Infer);
        if let Some(b) = self.env.last_mut() {
            b.cell = Some(CellKind::Elem { seq, idx: slot });
        }
        Ok(true)
    }

    /// An element reference used on the spot: the element's value (for
    /// `Opt`, the `Option` of it: a name it binds later is a plain value,
    /// through which `*x = v` is refused).
    pub(crate) fn lower_elem_value(&mut self, e: ElemExpr, span: Span) -> R<Value> {
        let mark = self.env.len();
        let Some((seq, slot, opt)) = self.lower_elem(e)? else {
            return Ok(Value::Const(Const::Unit));
        };
        let v = match opt {
            Some(opt) => opt,
            None => self.slot_get(seq, slot, span),
        };
        self.env.truncate(mark);
        Ok(v)
    }

    /// `*<element reference>` as a place.
    pub(crate) fn elem_place(&mut self, e: &syn::Expr) -> R<Option<Place>> {
        let Some(e) = self.elem_expr(e) else {
            return Ok(None);
        };
        if matches!(e, ElemExpr::Opt(_)) {
            return Ok(None);
        }
        let mark = self.env.len();
        let Some((seq, slot, _)) = self.lower_elem(e)? else {
            // Dead code: a place whose writes emit nothing.
            let unit = Value::Const(Const::Unit);
            return Ok(Some(Place::Slot(unit.clone(), unit)));
        };
        let p = Place::Slot(self.get(seq), self.get(slot));
        self.env.truncate(mark);
        Ok(Some(p))
    }

    pub(crate) fn slot_get(&mut self, seq: usize, slot: usize, span: Span) -> Value {
        self.emit_v(
            method("__slot_get"),
            vec![self.get(seq), self.get(slot)],
            span,
        )
    }

    /// For a `match`/`if let`/`let else` on `Opt`: marks the name bound
    /// by `Some(x)` as the element.
    pub(crate) fn mark_elem_binding(&mut self, pat: &syn::Pat, at: Option<(usize, usize)>) {
        let Some((seq, slot)) = at else {
            return;
        };
        let syn::Pat::TupleStruct(t) = pat else {
            return;
        };
        if !t.path.is_ident("Some") || t.elems.len() != 1 {
            return;
        }
        let Some(syn::Pat::Ident(i)) = t.elems.first() else {
            return;
        };
        if i.subpat.is_some() {
            return;
        }
        let name = i.ident.to_string();
        if let Some(b) = self.env.iter_mut().rev().find(|b| b.name == name) {
            b.cell = Some(CellKind::Elem { seq, idx: slot });
        }
    }

    /// A `match`/`if let`/`let else` scrutinee: an `Opt` element reference
    /// lowers to its `Option`, with the container and slot kept for
    /// `mark_elem_binding`; anything else lowers as usual.
    pub(crate) fn lower_scrutinee(&mut self, e: &syn::Expr) -> R<(Value, Option<(usize, usize)>)> {
        if let Some(ElemExpr::Opt(m)) = self.elem_expr(e) {
            return Ok(match self.lower_elem(ElemExpr::Opt(m))? {
                Some((seq, slot, Some(opt))) => (opt, Some((seq, slot))),
                _ => (Value::Const(Const::Unit), None),
            });
        }
        Ok((self.lower_expr(e)?, None))
    }
}
