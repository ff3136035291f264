//! `parse()` whose target type rustc infers from where its value goes:
//! the type is written into a turbofish before items are collected, for
//! the places where the value reaches a written type unchanged:
//!
//! ```text
//! let n: usize = s.parse().unwrap();          // also expect, unwrap_or, ?
//! let n: usize = match s.parse() { Ok(n) => n, Err(_) => usage() };
//! let r: Result<i64, _> = s.parse();
//! fn num(s: &str) -> Result<i64, ParseIntError> { s.parse() }
//! ```
//!
//! Anything else keeps its `parse()` without a type, which the annotator
//! rejects with a message asking for the turbofish.

use syn::visit_mut::VisitMut;

pub(crate) fn expand(ast: &mut syn::File) {
    Typer.visit_file_mut(ast);
}

struct Typer;

/// `Result<T, E>` → `T`.
fn ok_type(t: &syn::Type) -> Option<syn::Type> {
    let syn::Type::Path(p) = t else {
        return None;
    };
    let last = p.path.segments.last()?;
    if last.ident != "Result" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(a) = &last.arguments else {
        return None;
    };
    match a.args.first()? {
        syn::GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    }
}

/// Gives the `parse()` that `e`'s value comes from unchanged the type
/// `t` (the type of the parsed value).
fn give(e: &mut syn::Expr, t: &syn::Type) {
    match e {
        syn::Expr::MethodCall(m)
            if m.method == "parse" && m.args.is_empty() && m.turbofish.is_none() =>
        {
            m.turbofish = Some(syn::parse_quote!(::<#t>));
        }
        syn::Expr::MethodCall(m)
            if matches!(
                m.method.to_string().as_str(),
                "unwrap" | "expect" | "unwrap_or" | "unwrap_or_default"
            ) =>
        {
            give(&mut m.receiver, t)
        }
        syn::Expr::Try(x) => give(&mut x.expr, t),
        syn::Expr::Paren(p) => give(&mut p.expr, t),
        // `match s.parse() { Ok(n) => n, .. }`: the `Ok` arm gives the
        // bound value itself.
        syn::Expr::Match(m) => {
            let passes_ok = m.arms.iter().any(ok_arm_returns_binding);
            if passes_ok {
                give(&mut m.expr, t)
            }
        }
        _ => {}
    }
}

/// The arm is `Ok(v) => v`.
fn ok_arm_returns_binding(a: &syn::Arm) -> bool {
    let syn::Pat::TupleStruct(ts) = &a.pat else {
        return false;
    };
    if !ts.path.is_ident("Ok") || ts.elems.len() != 1 || a.guard.is_some() {
        return false;
    }
    let Some(syn::Pat::Ident(b)) = ts.elems.first() else {
        return false;
    };
    matches!(&*a.body, syn::Expr::Path(p) if p.path.is_ident(&b.ident))
}

/// A `Result` whose `Ok` type is `t` comes from the `parse()` of `e`
/// directly (`let r: Result<i64, _> = s.parse();`).
fn give_result(e: &mut syn::Expr, t: &syn::Type) {
    match e {
        syn::Expr::MethodCall(m) if m.method == "parse" && m.args.is_empty() => give(e, t),
        syn::Expr::Paren(p) => give_result(&mut p.expr, t),
        _ => {}
    }
}

fn scalar(t: &syn::Type) -> bool {
    let syn::Type::Path(p) = t else {
        return false;
    };
    p.path.get_ident().is_some_and(|i| {
        matches!(
            i.to_string().as_str(),
            "i8" | "i16" | "i32" | "i64" | "isize" | "u8" | "u16" | "u32" | "u64" | "usize" | "f64"
        )
    })
}

impl VisitMut for Typer {
    fn visit_local_mut(&mut self, l: &mut syn::Local) {
        if let (syn::Pat::Type(pt), Some(init)) = (&l.pat, &mut l.init) {
            let t = (*pt.ty).clone();
            if scalar(&t) {
                give(&mut init.expr, &t);
            } else if let Some(ok) = ok_type(&t).filter(scalar) {
                give_result(&mut init.expr, &ok);
            }
        }
        syn::visit_mut::visit_local_mut(self, l);
    }

    fn visit_item_fn_mut(&mut self, f: &mut syn::ItemFn) {
        tail(&f.sig, &mut f.block);
        syn::visit_mut::visit_item_fn_mut(self, f);
    }

    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        tail(&f.sig, &mut f.block);
        syn::visit_mut::visit_impl_item_fn_mut(self, f);
    }
}

/// A function's tail expression goes to its return type.
fn tail(sig: &syn::Signature, body: &mut syn::Block) {
    let syn::ReturnType::Type(_, t) = &sig.output else {
        return;
    };
    let Some(syn::Stmt::Expr(e, None)) = body.stmts.last_mut() else {
        return;
    };
    if scalar(t) {
        give(e, t);
    } else if let Some(ok) = ok_type(t).filter(scalar) {
        give_result(e, &ok);
    }
}
