//! `parse()` whose target type rustc infers from where its value goes:
//! the type is written into a turbofish before items are collected, for
//! the places where the value reaches a written type unchanged:
//!
//! ```text
//! let n: usize = s.parse().unwrap();          // also expect, unwrap_or, ?
//! let n: usize = match s.parse() { Ok(n) => n, Err(_) => usage() };
//! let r: Result<i64, _> = s.parse();
//! fn num(s: &str) -> Result<i64, ParseIntError> { s.parse() }
//! push_num(s.parse().unwrap());               // a parameter of a fn of the file
//! Tok::Num(s.parse().unwrap())                // a field of a tuple variant
//! Point { x: s.parse().unwrap(), .. }         // a field of a struct or variant
//! ```
//!
//! Anything else keeps its `parse()` without a type, which the annotator
//! rejects with a message asking for the turbofish.

use syn::visit_mut::VisitMut;

pub(crate) fn expand(ast: &mut syn::File) {
    let mut t = Typer::default();
    t.collect(ast);
    t.visit_file_mut(ast);
}

/// The written types that call arguments and struct fields go to, by the
/// path that names the callee or the struct (`f`, `Type::f`, `Enum::V`,
/// and `V` alone where `use Enum::*` may bring it in and no other item
/// has that name).
#[derive(Default)]
struct Typer {
    /// Positional: fn parameters and tuple-variant fields.
    params: std::collections::HashMap<String, Option<Vec<syn::Type>>>,
    /// Named: struct and struct-variant fields.
    fields: std::collections::HashMap<String, Option<Vec<(String, syn::Type)>>>,
}

impl Typer {
    fn collect(&mut self, ast: &syn::File) {
        for item in &ast.items {
            match item {
                syn::Item::Fn(f) => self.add_fn(None, &f.sig),
                syn::Item::Impl(i) if i.trait_.is_none() => {
                    let syn::Type::Path(tp) = &*i.self_ty else {
                        continue;
                    };
                    let Some(ty) = tp.path.segments.last().map(|s| s.ident.to_string()) else {
                        continue;
                    };
                    for it in &i.items {
                        if let syn::ImplItem::Fn(f) = it {
                            self.add_fn(Some(&ty), &f.sig);
                        }
                    }
                }
                syn::Item::Struct(st) => {
                    self.add_fields(st.ident.to_string(), &st.fields);
                }
                syn::Item::Enum(e) => {
                    for v in &e.variants {
                        for key in [format!("{}::{}", e.ident, v.ident), v.ident.to_string()] {
                            self.add_fields(key, &v.fields);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn add_fn(&mut self, ty: Option<&str>, sig: &syn::Signature) {
        if !sig.generics.params.is_empty() || sig.receiver().is_some() {
            return;
        }
        let tys = sig
            .inputs
            .iter()
            .filter_map(|a| match a {
                syn::FnArg::Typed(t) => Some((*t.ty).clone()),
                syn::FnArg::Receiver(_) => None,
            })
            .collect();
        let name = sig.ident.to_string();
        match ty {
            Some(ty) => self.add_params(format!("{ty}::{name}"), tys),
            None => self.add_params(name, tys),
        }
    }

    /// Two items under one key: neither is used.
    fn add_params(&mut self, key: String, tys: Vec<syn::Type>) {
        self.params
            .entry(key)
            .and_modify(|e| *e = None)
            .or_insert(Some(tys));
    }

    fn add_fields(&mut self, key: String, fields: &syn::Fields) {
        match fields {
            syn::Fields::Unnamed(u) => {
                self.add_params(key, u.unnamed.iter().map(|f| f.ty.clone()).collect())
            }
            syn::Fields::Named(n) => {
                let named = n
                    .named
                    .iter()
                    .filter_map(|f| Some((f.ident.as_ref()?.to_string(), f.ty.clone())))
                    .collect();
                self.fields
                    .entry(key)
                    .and_modify(|e| *e = None)
                    .or_insert(Some(named));
            }
            syn::Fields::Unit => {}
        }
    }
}

/// `a::b::c` as `"b::c"` when it has two segments or more, else `"c"`.
fn path_key(p: &syn::Path) -> String {
    let segs: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
    let from = segs.len().saturating_sub(2);
    let key = segs[from..].join("::");
    key.strip_prefix("Self::")
        .map(str::to_string)
        .unwrap_or(key)
}

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
                "unwrap" | "expect" | "unwrap_or" | "unwrap_or_default" | "map_err"
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

    fn visit_expr_call_mut(&mut self, c: &mut syn::ExprCall) {
        if let syn::Expr::Path(p) = &*c.func {
            if let Some(Some(tys)) = self.params.get(&path_key(&p.path)) {
                for (a, t) in c.args.iter_mut().zip(tys) {
                    if scalar(t) {
                        give(a, t);
                    }
                }
            }
        }
        syn::visit_mut::visit_expr_call_mut(self, c);
    }

    fn visit_expr_struct_mut(&mut self, e: &mut syn::ExprStruct) {
        if let Some(Some(fields)) = self.fields.get(&path_key(&e.path)) {
            for fv in e.fields.iter_mut() {
                let syn::Member::Named(name) = &fv.member else {
                    continue;
                };
                if let Some((_, t)) = fields.iter().find(|(n, _)| name == n) {
                    if scalar(t) {
                        give(&mut fv.expr, t);
                    }
                }
            }
        }
        syn::visit_mut::visit_expr_struct_mut(self, e);
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
