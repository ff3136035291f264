//! Writes through `&mut` to scalars. A scalar local whose `&mut` is taken
//! (`bump(&mut n)`) lives in a cell, a `Vec` of one item, for its whole
//! life; a `&mut i64` parameter receives that cell, and `*p` reads or
//! writes its item. Heap values (structs, vectors, strings) need no cell:
//! their `&mut` is the object itself.

use super::builder::{CellKind, FnBuilder};
use super::reject::R;
use crate::model::{Const, IntTy, OpKind, Value};
use crate::span::Span;
use std::collections::HashSet;
use syn::visit::Visit;

/// The names `&mut name` is taken of anywhere in `body`.
pub(crate) fn mut_borrowed_names(body: &syn::Block) -> HashSet<String> {
    struct Finder(HashSet<String>);
    impl<'ast> Visit<'ast> for Finder {
        fn visit_expr_reference(&mut self, r: &'ast syn::ExprReference) {
            if r.mutability.is_some() {
                if let syn::Expr::Path(p) = &*r.expr {
                    if let Some(i) = p.path.get_ident() {
                        self.0.insert(i.to_string());
                    }
                }
            }
            syn::visit::visit_expr_reference(self, r);
        }
    }
    let mut f = Finder(HashSet::new());
    f.visit_block(body);
    f.0
}

/// An initial value that is visibly a scalar: a literal, `-literal`, or a
/// cast to a number type.
pub(crate) fn is_scalar_init(e: &syn::Expr) -> bool {
    match e {
        syn::Expr::Lit(l) => matches!(
            l.lit,
            syn::Lit::Int(_) | syn::Lit::Float(_) | syn::Lit::Bool(_) | syn::Lit::Char(_)
        ),
        syn::Expr::Unary(u) => matches!(u.op, syn::UnOp::Neg(_)) && is_scalar_init(&u.expr),
        syn::Expr::Paren(p) => is_scalar_init(&p.expr),
        syn::Expr::Cast(_) => true,
        _ => false,
    }
}

fn zero() -> Value {
    Value::Const(Const::Int(0, Some(IntTy::Usize)))
}

impl FnBuilder<'_> {
    /// The binding `name` if it is held in a cell.
    pub fn cell_of(&self, name: &str) -> Option<(CellKind, Value)> {
        let b = self.lookup(name)?;
        Some((b.cell?, b.value.clone()))
    }

    /// The cell `&mut e` gives: `e` names a local in a cell, or is `*p` of
    /// a `&mut` scalar parameter.
    pub fn cell_place(&self, e: &syn::Expr) -> Option<Value> {
        match e {
            syn::Expr::Paren(p) => self.cell_place(&p.expr),
            syn::Expr::Path(p) => match self.cell_of(&p.path.get_ident()?.to_string())? {
                (CellKind::Local, c) => Some(c),
                (CellKind::Param | CellKind::Guard | CellKind::Elem { .. }, _) => None,
            },
            syn::Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => self.cell_deref(&u.expr),
            _ => None,
        }
    }

    /// The cell `*e` reads: `e` names a `&mut` scalar parameter.
    pub fn cell_deref(&self, e: &syn::Expr) -> Option<Value> {
        match e {
            syn::Expr::Paren(p) => self.cell_deref(&p.expr),
            syn::Expr::Path(p) => match self.cell_of(&p.path.get_ident()?.to_string())? {
                (CellKind::Param, c) => Some(c),
                (CellKind::Local | CellKind::Guard | CellKind::Elem { .. }, _) => None,
            },
            _ => None,
        }
    }

    /// A new cell holding `v`.
    pub fn new_cell(&mut self, v: Value, span: Span) -> Value {
        self.emit_v(OpKind::NewVec, vec![v], span)
    }

    /// The value in a cell.
    pub fn cell_get(&mut self, cell: Value, span: Span) -> Value {
        Value::Var(self.emit_indexed(OpKind::GetIndex, vec![cell, zero()], span, None))
    }

    /// Stores `v` in a cell.
    pub fn cell_set(&mut self, cell: Value, v: Value, span: Span) -> R<()> {
        self.emit_indexed(OpKind::SetIndex, vec![cell, zero(), v], span, None);
        Ok(())
    }

    /// `name` when `&mut name` is taken below and it is visibly a scalar
    /// (`let mut n = 0;`, `let mut n: i64 = f();`).
    pub fn wants_cell(
        &self,
        pat: &syn::Pat,
        declared: &crate::model::Ty,
        init: &syn::Expr,
    ) -> bool {
        let syn::Pat::Ident(i) = pat else {
            return false;
        };
        let scalar = matches!(
            declared,
            crate::model::Ty::Int(_)
                | crate::model::Ty::Bool
                | crate::model::Ty::Char
                | crate::model::Ty::F64
        ) || (*declared == crate::model::Ty::Infer && is_scalar_init(init));
        i.subpat.is_none() && scalar && self.cell_names.contains(&i.ident.to_string())
    }
}
