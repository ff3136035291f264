//! Literals and the evaluation of `const` initialisers. A `const` is
//! substituted as a `Const` at each use, so its initialiser must be
//! evaluated here exactly as rustc would; anything else is rejected.

use super::collect::Items;
use super::reject::{error, unsupported, R};
use super::span_of;
use crate::model::{Const, IntTy, Ty};
use crate::span::{FileId, Span};
use std::collections::HashMap;
use syn::spanned::Spanned;

/// A literal -> `Const`.
pub(crate) fn lit_const(file: FileId, lit: &syn::Lit) -> R<Const> {
    let span = span_of(file, lit.span());
    match lit {
        syn::Lit::Int(i) => {
            let suffix = i.suffix();
            if matches!(suffix, "f64") {
                let v: f64 = i.base10_parse().map_err(|_| bad_lit(span))?;
                return Ok(Const::Float(v));
            }
            if suffix == "f32" {
                return Err(unsupported(span, "`f32`", "use `f64`"));
            }
            let ty = if suffix.is_empty() {
                None
            } else {
                match IntTy::from_name(suffix) {
                    Some(t) => Some(t),
                    None => {
                        return Err(unsupported(
                            span,
                            &format!("the integer suffix `{suffix}`"),
                            "use i8..i64, u8..u64, isize or usize",
                        ))
                    }
                }
            };
            let v: i128 = i.base10_parse().map_err(|_| bad_lit(span))?;
            if let Some(t) = ty {
                let (lo, hi) = t.range();
                // `-128i8` is a negation of `128i8`; allow one past the max.
                if v < lo || v > hi + 1 {
                    return Err(error(
                        span,
                        format!("literal out of range for `{}`", t.name()),
                        "does not fit",
                        "write a value that fits the type",
                    ));
                }
            }
            Ok(Const::Int(v, ty))
        }
        syn::Lit::Float(f) => {
            let suffix = f.suffix();
            if suffix == "f32" {
                return Err(unsupported(span, "`f32`", "use `f64`"));
            }
            let v: f64 = f.base10_parse().map_err(|_| bad_lit(span))?;
            Ok(Const::Float(v))
        }
        syn::Lit::Byte(b) => Ok(Const::Int(b.value() as i128, Some(IntTy::U8))),
        syn::Lit::Char(c) => Ok(Const::Char(c.value())),
        syn::Lit::Str(s) => Ok(Const::Str(s.value())),
        syn::Lit::ByteStr(b) => Ok(Const::ByteStr(b.value())),
        syn::Lit::Bool(b) => Ok(Const::Bool(b.value)),
        _ => Err(unsupported(
            span,
            "this literal",
            "use a number, char, string or bool literal",
        )),
    }
}

fn bad_lit(span: Span) -> crate::diag::Diagnostic {
    error(
        span,
        "cannot read this literal".into(),
        "invalid literal",
        "write a plain decimal, hex, octal or binary literal",
    )
}

/// `i32::MAX`, `u8::MIN`, `f64::INFINITY`, `std::f64::consts::PI`, ...
pub(crate) fn assoc_const(p: &[String]) -> Option<Const> {
    // The legacy module paths `std::i32::MAX`, `std::u8::MIN`, `std::f64::NAN`.
    if p.len() == 3 && p[0] == "std" {
        return assoc_const(&p[1..]);
    }
    let v: Vec<&str> = p.iter().map(|s| s.as_str()).collect();
    match v.as_slice() {
        ["std", "f64", "consts", c] | ["f64", "consts", c] | ["consts", c] => match *c {
            "PI" => Some(Const::Float(std::f64::consts::PI)),
            "E" => Some(Const::Float(std::f64::consts::E)),
            "TAU" => Some(Const::Float(std::f64::consts::TAU)),
            "SQRT_2" => Some(Const::Float(std::f64::consts::SQRT_2)),
            "LN_2" => Some(Const::Float(std::f64::consts::LN_2)),
            "LN_10" => Some(Const::Float(std::f64::consts::LN_10)),
            _ => None,
        },
        [t, c] => {
            if let Some(it) = IntTy::from_name(t) {
                let (lo, hi) = it.range();
                return match *c {
                    "MAX" => Some(Const::Int(hi, Some(it))),
                    "MIN" => Some(Const::Int(lo, Some(it))),
                    "BITS" => Some(Const::Int(it.bits() as i128, Some(IntTy::U32))),
                    _ => None,
                };
            }
            match (*t, *c) {
                ("f64", "INFINITY") => Some(Const::Float(f64::INFINITY)),
                ("f64", "NEG_INFINITY") => Some(Const::Float(f64::NEG_INFINITY)),
                ("f64", "NAN") => Some(Const::Float(f64::NAN)),
                ("f64", "MAX") => Some(Const::Float(f64::MAX)),
                ("f64", "MIN") => Some(Const::Float(f64::MIN)),
                ("f64", "EPSILON") => Some(Const::Float(f64::EPSILON)),
                ("f64", "MIN_POSITIVE") => Some(Const::Float(f64::MIN_POSITIVE)),
                ("char", "MAX") => Some(Const::Char(char::MAX)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The `const`/`static` items not evaluated yet, by name.
pub(crate) struct PendingConst<'a> {
    pub ty: &'a syn::Type,
    pub expr: &'a syn::Expr,
    pub span: Span,
}

pub(crate) struct ConstEval<'a, 'b> {
    pub items: &'b Items,
    pub pending: &'b HashMap<String, PendingConst<'a>>,
    pub done: HashMap<String, Const>,
    pub visiting: Vec<String>,
}

impl ConstEval<'_, '_> {
    pub fn eval_named(&mut self, name: &str) -> R<Const> {
        if let Some(c) = self.done.get(name) {
            return Ok(c.clone());
        }
        let Some(p) = self.pending.get(name) else {
            return Err(error(
                Span::default(),
                format!("unknown constant `{name}`"),
                "",
                "declare it with `const`",
            ));
        };
        if self.visiting.iter().any(|v| v == name) || self.visiting.len() > 64 {
            return Err(error(
                p.span,
                format!("the constant `{name}` refers to itself"),
                "cycle",
                "give the constant a literal value",
            ));
        }
        self.visiting.push(name.to_string());
        let ty = super::types::lower_type(self.items, None, p.ty)?;
        let v = self.eval(p.expr)?;
        let v = coerce(v, &ty, p.span)?;
        self.visiting.pop();
        self.done.insert(name.to_string(), v.clone());
        Ok(v)
    }

    fn eval(&mut self, e: &syn::Expr) -> R<Const> {
        let span = span_of(self.items.file, e.span());
        let not_const = || {
            error(
                span,
                "cannot evaluate this constant expression".into(),
                "not a simple constant",
                "a `const` must be a literal, another constant, or arithmetic on them",
            )
        };
        match e {
            syn::Expr::Lit(l) => lit_const(self.items.file, &l.lit),
            syn::Expr::Paren(p) => self.eval(&p.expr),
            syn::Expr::Group(g) => self.eval(&g.expr),
            syn::Expr::Reference(r) if r.mutability.is_none() => match self.eval(&r.expr)? {
                c @ (Const::Str(_) | Const::ByteStr(_)) => Ok(c),
                _ => Err(not_const()),
            },
            syn::Expr::Path(p) if p.qself.is_none() => {
                let segs: Vec<String> = p
                    .path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect();
                if segs.len() == 1 && self.pending.contains_key(&segs[0]) {
                    let name = segs[0].clone();
                    return self.eval_named(&name);
                }
                if let [owner, c] = segs.as_slice() {
                    // `Self::N` inside an associated const means the type
                    // whose const is being evaluated.
                    let owner = match (owner.as_str(), self.visiting.last()) {
                        ("Self", Some(cur)) => cur.split("::").next().unwrap_or("").to_string(),
                        _ => owner.clone(),
                    };
                    let name = format!("{owner}::{c}");
                    if self.pending.contains_key(&name) {
                        return self.eval_named(&name);
                    }
                }
                assoc_const(&self.items.uses.resolve(&segs)).ok_or_else(not_const)
            }
            syn::Expr::Unary(u) => {
                let v = self.eval(&u.expr)?;
                match (&u.op, v) {
                    (syn::UnOp::Neg(_), Const::Int(v, t)) => {
                        if t.is_some_and(|t| !t.signed()) {
                            return Err(not_const());
                        }
                        Ok(Const::Int(-v, t))
                    }
                    (syn::UnOp::Neg(_), Const::Float(f)) => Ok(Const::Float(-f)),
                    (syn::UnOp::Not(_), Const::Bool(b)) => Ok(Const::Bool(!b)),
                    (syn::UnOp::Not(_), Const::Int(v, Some(t))) => {
                        Ok(Const::Int(wrap(!v, t), Some(t)))
                    }
                    _ => Err(not_const()),
                }
            }
            syn::Expr::Binary(b) => {
                let l = self.eval(&b.left)?;
                let r = self.eval(&b.right)?;
                match (l, r) {
                    (Const::Int(a, ta), Const::Int(c, tc)) => {
                        if ta.is_some() && tc.is_some() && ta != tc && !is_shift(&b.op) {
                            return Err(not_const());
                        }
                        let t = ta.or(if is_shift(&b.op) { None } else { tc });
                        int_bin(&b.op, a, c, t)
                            .map(|v| match v {
                                IntOrBool::Int(v) => Const::Int(v, t),
                                IntOrBool::Bool(b) => Const::Bool(b),
                            })
                            .ok_or_else(not_const)
                    }
                    (Const::Bool(a), Const::Bool(c)) => match b.op {
                        syn::BinOp::And(_) | syn::BinOp::BitAnd(_) => Ok(Const::Bool(a && c)),
                        syn::BinOp::Or(_) | syn::BinOp::BitOr(_) => Ok(Const::Bool(a || c)),
                        syn::BinOp::BitXor(_) | syn::BinOp::Ne(_) => Ok(Const::Bool(a != c)),
                        syn::BinOp::Eq(_) => Ok(Const::Bool(a == c)),
                        _ => Err(not_const()),
                    },
                    _ => Err(not_const()),
                }
            }
            syn::Expr::Cast(c) => {
                let v = self.eval(&c.expr)?;
                let ty = super::types::lower_type(self.items, None, &c.ty)?;
                match (v, ty) {
                    (Const::Int(v, _), Ty::Int(t)) => Ok(Const::Int(wrap(v, t), Some(t))),
                    (Const::Bool(b), Ty::Int(t)) => Ok(Const::Int(b as i128, Some(t))),
                    (Const::Char(ch), Ty::Int(t)) => Ok(Const::Int(wrap(ch as i128, t), Some(t))),
                    (Const::Int(v, Some(IntTy::U8)), Ty::Char) => {
                        Ok(Const::Char(char::from(v as u8)))
                    }
                    _ => Err(not_const()),
                }
            }
            _ => Err(not_const()),
        }
    }
}

fn is_shift(op: &syn::BinOp) -> bool {
    matches!(op, syn::BinOp::Shl(_) | syn::BinOp::Shr(_))
}

enum IntOrBool {
    Int(i128),
    Bool(bool),
}

/// Integer arithmetic as rustc's const evaluator does it: overflow is an
/// error (reported by the caller's range check), division by zero too.
fn int_bin(op: &syn::BinOp, a: i128, b: i128, t: Option<IntTy>) -> Option<IntOrBool> {
    use syn::BinOp as B;
    let i = IntOrBool::Int;
    Some(match op {
        B::Add(_) => i(a.checked_add(b)?),
        B::Sub(_) => i(a.checked_sub(b)?),
        B::Mul(_) => i(a.checked_mul(b)?),
        B::Div(_) => i(a.checked_div(b)?),
        B::Rem(_) => i(a.checked_rem(b)?),
        B::BitAnd(_) => i(a & b),
        B::BitOr(_) => i(a | b),
        B::BitXor(_) => i(a ^ b),
        B::Shl(_) | B::Shr(_) => {
            // The shifted type must be known to shift exactly.
            let t = t?;
            if b < 0 || b >= t.bits() as i128 {
                return None;
            }
            if matches!(op, B::Shl(_)) {
                i(wrap(a << b, t))
            } else {
                i(a >> b)
            }
        }
        B::Eq(_) => IntOrBool::Bool(a == b),
        B::Ne(_) => IntOrBool::Bool(a != b),
        B::Lt(_) => IntOrBool::Bool(a < b),
        B::Le(_) => IntOrBool::Bool(a <= b),
        B::Gt(_) => IntOrBool::Bool(a > b),
        B::Ge(_) => IntOrBool::Bool(a >= b),
        _ => return None,
    })
}

/// `v as t` for integers (two's complement truncation).
pub(crate) fn wrap(v: i128, t: IntTy) -> i128 {
    let bits = t.bits();
    let m = v & ((1i128 << bits) - 1);
    if t.signed() && m >= (1i128 << (bits - 1)) {
        m - (1i128 << bits)
    } else {
        m
    }
}

/// Gives the constant its declared type, checking that it fits.
fn coerce(v: Const, ty: &Ty, span: Span) -> R<Const> {
    let mismatch = || {
        error(
            span,
            "the constant's value does not match its type".into(),
            "cannot evaluate this as the declared type",
            "write a literal of the declared type",
        )
    };
    match (v, ty) {
        (Const::Int(v, t), Ty::Int(dt)) => {
            if t.is_some_and(|t| t != *dt) {
                return Err(mismatch());
            }
            let (lo, hi) = dt.range();
            if v < lo || v > hi {
                return Err(error(
                    span,
                    format!("the constant's value {v} does not fit in `{}`", dt.name()),
                    "overflow",
                    "write a value that fits the type",
                ));
            }
            Ok(Const::Int(v, Some(*dt)))
        }
        (Const::Float(f), Ty::F64) => Ok(Const::Float(f)),
        (Const::Int(v, None), Ty::F64) => Ok(Const::Float(v as f64)),
        (c @ Const::Bool(_), Ty::Bool) | (c @ Const::Char(_), Ty::Char) => Ok(c),
        (c @ Const::Str(_), Ty::Ref { inner, .. }) if **inner == Ty::Str => Ok(c),
        (c @ Const::ByteStr(_), Ty::Ref { inner, .. })
            if **inner == Ty::Slice(Box::new(Ty::Int(IntTy::U8))) =>
        {
            Ok(c)
        }
        _ => Err(mismatch()),
    }
}
