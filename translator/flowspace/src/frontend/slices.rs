//! Sub-slices: `&v[a..b]`, `&s[a..]`, `v[..n].iter()`.
//!
//! A sub-slice is lowered to a `Slice` op, which builds a new `Vec` or
//! `String` holding those items. That is exact only while nothing writes
//! through it, which Rust guarantees for a shared borrow (the original cannot
//! change while the slice lives, and the slice cannot be written). So the
//! frontend refuses every place where a sub-slice could be written:
//! `&mut v[a..b]`, `v[a..b][i] = x`, and methods that take `&mut self`.
//! `v[..]` is the whole value itself, so it may be written.

use super::builder::FnBuilder;
use super::reject::{unsupported, R};
use crate::model::{Const, IntTy, OpKind, SliceKind, Value};

/// Methods of `[T]` and `str` that write through their receiver (and the
/// `Vec`/`String` ones, which a sub-slice does not have either).
const WRITING_METHODS: &[&str] = &[
    "sort",
    "sort_unstable",
    "sort_by",
    "sort_by_key",
    "sort_unstable_by",
    "sort_unstable_by_key",
    "reverse",
    "swap",
    "fill",
    "fill_with",
    "iter_mut",
    "copy_from_slice",
    "clone_from_slice",
    "swap_with_slice",
    "rotate_left",
    "rotate_right",
    "get_mut",
    "first_mut",
    "last_mut",
    "split_at_mut",
    "chunks_mut",
    "make_ascii_lowercase",
    "make_ascii_uppercase",
    "select_nth_unstable",
    "push",
    "push_str",
    "pop",
    "insert",
    "remove",
    "clear",
    "truncate",
    "extend",
    "extend_from_slice",
    "retain",
    "drain",
    "dedup",
    "append",
    "split_off",
    "resize",
];

const HELP: &str = "a sub-slice can only be read in RRust; pass the whole `Vec` with the \
                    start and end indices (`fn f(v: &mut Vec<i64>, lo: usize, hi: usize)`) \
                    and index `v[lo + i]`";

/// `e` without parentheses, if it is `x[a..b]` with some bound (not `x[..]`).
pub(crate) fn sub_slice(e: &syn::Expr) -> Option<&syn::ExprIndex> {
    match e {
        syn::Expr::Paren(p) => sub_slice(&p.expr),
        syn::Expr::Group(g) => sub_slice(&g.expr),
        syn::Expr::Index(i) => match &*i.index {
            syn::Expr::Range(r) if r.start.is_some() || r.end.is_some() => Some(i),
            _ => None,
        },
        _ => None,
    }
}

/// `x[..]` (through parentheses): its `x`.
fn full_range_base(i: &syn::ExprIndex) -> Option<&syn::Expr> {
    match &*i.index {
        syn::Expr::Range(r) if r.start.is_none() && r.end.is_none() => Some(&i.expr),
        _ => None,
    }
}

impl FnBuilder<'_> {
    /// `x[range]` read as a value.
    pub(crate) fn lower_slice(&mut self, i: &syn::ExprIndex, r: &syn::ExprRange) -> R<Value> {
        if let Some(base) = full_range_base(i) {
            return self.lower_expr(base);
        }
        let kind = match (&r.limits, &r.end) {
            (syn::RangeLimits::Closed(_), _) => SliceKind::Inclusive,
            (syn::RangeLimits::HalfOpen(_), Some(_)) => SliceKind::Range,
            (syn::RangeLimits::HalfOpen(_), None) => SliceKind::From,
        };
        let mut args = self.lower_operands(
            std::iter::once(&*i.expr)
                .chain(r.start.as_deref())
                .chain(r.end.as_deref()),
        )?;
        if r.start.is_none() {
            args.insert(1, Value::Const(Const::Int(0, Some(IntTy::Usize))));
        }
        // A failed slice is reported at the `[...]` part, as rustc does for
        // every range index (it goes through the `Index` trait).
        let bracket = self.bracket_span(i);
        Ok(self.emit_v(OpKind::Slice(kind), args, bracket))
    }

    /// Refuses `e` where it would be written through, if it is a sub-slice:
    /// `what` says how (`&mut`, an assignment into it, a method).
    pub(crate) fn reject_written_slice(&self, e: &syn::Expr, what: &str) -> R<()> {
        match sub_slice(e) {
            Some(i) => Err(unsupported(self.sp(i), what, HELP)),
            None => Ok(()),
        }
    }

    /// Refuses `x[a..b].m(..)` for a method `m` that writes its receiver.
    pub(crate) fn reject_slice_receiver(&self, m: &syn::ExprMethodCall) -> R<()> {
        let name = m.method.to_string();
        if WRITING_METHODS.contains(&name.as_str()) {
            self.reject_written_slice(
                &m.receiver,
                &format!("calling `{name}` on a sub-slice (it writes through it)"),
            )?;
        }
        Ok(())
    }
}
