//! Traits, expanded before items are collected (as `derives` are): every
//! `impl Trait for Type { .. }` becomes a plain `impl Type { .. }` holding
//! the methods it defines and copies of the trait's default methods it does
//! not override, so a call `x.area()` resolves like any method, and a
//! generic function bounded by the trait (`fn total<T: Shape>`) calls the
//! method of each instance's type. The bounds themselves were checked by
//! rustc on the untranslated build and are not needed here.
//!
//! The std traits whose meaning the translator gives are renamed to what
//! the rest of the pipeline calls: `PartialEq::eq` and `Clone::clone` are
//! the methods `==` and `.clone()` use (the names derives make),
//! `Display::fmt` and `Debug::fmt` get a wrapper returning the text, which
//! `{}`/`.to_string()` and `{:?}` call; `Default::default` and `From::from`
//! stay associated functions (`Type::default()`, `Type::from(x)`).
//! `Iterator` keeps `next` (with `Self::Item` replaced by its type).
//!
//! `impl Trait` in a parameter's type becomes a type parameter of the
//! function (`fn f(x: &impl Shape)` is `fn f<__Impl0: Shape>(x: &__Impl0)`).

use super::derives::respan;
use super::reject::{error, unsupported};
use super::span_of;
use crate::diag::Diagnostic;
use crate::model::{DERIVED_CLONE, DERIVED_DEBUG, DERIVED_EQ, USER_DISPLAY};
use crate::span::FileId;
use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use std::collections::HashMap;
use std::str::FromStr;
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;

/// The traits of the file and which types implement them (what `dyn`
/// dispatch needs).
#[derive(Default, Clone, Debug)]
pub(crate) struct TraitTable {
    /// Trait name -> its methods taking `self` by reference, in order, and
    /// the names of its supertraits (`trait Shape: Named + Display`).
    pub traits: Vec<(String, Vec<String>, Vec<String>)>,
    /// (trait name, type name) of each `impl Trait for Type`.
    pub impls: Vec<(String, String)>,
}

impl TraitTable {
    /// `Fn`, the trait of closures (`dyn Fn(i64) -> i64`, also for `FnMut`
    /// and `FnOnce`): its one method is `__call`, its implementors the
    /// structs closures became (`closures.rs`). A trait of the file named
    /// `Fn` takes precedence.
    pub fn add_fn_trait(&mut self, closure_types: Vec<String>) {
        if self.traits.iter().any(|(n, ..)| n == "Fn") {
            return;
        }
        self.traits
            .push(("Fn".into(), vec![super::closures::CALL.into()], vec![]));
        for t in closure_types {
            self.impls.push(("Fn".into(), t));
        }
    }
}

/// Rewrites `ast` as described above; returns the trait table and the
/// diagnostics of trait constructs that are not supported.
pub(crate) fn expand(file: FileId, ast: &mut syn::File) -> (TraitTable, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut table = TraitTable::default();
    let mut traits: HashMap<String, syn::ItemTrait> = HashMap::new();
    // Traits already reported: their impls are dropped without a second
    // error.
    let mut rejected: Vec<String> = Vec::new();
    for item in &ast.items {
        if let syn::Item::Trait(t) = item {
            match check_trait(file, t) {
                Ok(methods) => {
                    let supers = t
                        .supertraits
                        .iter()
                        .filter_map(|b| match b {
                            syn::TypeParamBound::Trait(tb) => {
                                tb.path.segments.last().map(|s| s.ident.to_string())
                            }
                            _ => None,
                        })
                        .collect();
                    table.traits.push((t.ident.to_string(), methods, supers));
                    traits.insert(t.ident.to_string(), t.clone());
                }
                Err(d) => {
                    diags.push(d);
                    rejected.push(t.ident.to_string());
                }
            }
        }
    }
    let items = std::mem::take(&mut ast.items);
    for item in items {
        match item {
            syn::Item::Trait(_) => {}
            syn::Item::Impl(i) if implements_one_of(&i, &rejected) => {}
            syn::Item::Impl(i) if i.trait_.is_some() => {
                match lower_trait_impl(file, i, &traits, &mut table) {
                    Ok(Some(imp)) => ast.items.push(syn::Item::Impl(imp)),
                    Ok(None) => {}
                    Err(d) => diags.push(d),
                }
            }
            other => ast.items.push(other),
        }
    }
    let mut impl_params = ImplParams::default();
    impl_params.visit_file_mut(ast);
    (table, diags)
}

/// `imp` is an `impl T for ..` of a trait named in `names`.
fn implements_one_of(imp: &syn::ItemImpl, names: &[String]) -> bool {
    let Some((_, path, _)) = &imp.trait_ else {
        return false;
    };
    path.segments
        .last()
        .is_some_and(|s| names.iter().any(|n| s.ident == n))
}

/// The methods of a trait that `dyn` can call; rejects what traits may
/// not have here.
fn check_trait(file: FileId, t: &syn::ItemTrait) -> Result<Vec<String>, Diagnostic> {
    if !t.generics.params.is_empty() {
        return Err(unsupported(
            span_of(file, t.generics.span()),
            "a generic trait",
            "write one trait per type it is used with, or a plain generic function",
        ));
    }
    if t.unsafety.is_some() || t.auto_token.is_some() {
        return Err(unsupported(
            span_of(file, t.ident.span()),
            "an `unsafe` or `auto` trait",
            "write a plain `trait`",
        ));
    }
    let mut methods = Vec::new();
    for it in &t.items {
        match it {
            syn::TraitItem::Fn(f) => {
                if let Some(syn::FnArg::Receiver(r)) = f.sig.inputs.first() {
                    if r.reference.is_some() {
                        methods.push(f.sig.ident.to_string());
                    }
                }
            }
            syn::TraitItem::Const(_) => {}
            syn::TraitItem::Type(ty) => {
                return Err(unsupported(
                    span_of(file, ty.span()),
                    "an associated type in a trait",
                    "use the concrete type in the trait's methods",
                ))
            }
            other => {
                return Err(unsupported(
                    span_of(file, other.span()),
                    "this trait item",
                    "a trait may hold methods and associated consts",
                ))
            }
        }
    }
    Ok(methods)
}

/// The std traits an `impl` may implement, by the last segment of their
/// path.
const STD_TRAITS: &[&str] = &[
    "Display",
    "Debug",
    "PartialEq",
    "Clone",
    "Default",
    "From",
    "Iterator",
];

fn lower_trait_impl(
    file: FileId,
    mut imp: syn::ItemImpl,
    traits: &HashMap<String, syn::ItemTrait>,
    table: &mut TraitTable,
) -> Result<Option<syn::ItemImpl>, Diagnostic> {
    let Some((bang, path, _)) = imp.trait_.take() else {
        return Ok(Some(imp));
    };
    let span = span_of(file, path.span());
    if bang.is_some() {
        return Err(unsupported(
            span,
            "a negative impl `impl !Trait`",
            "remove it",
        ));
    }
    let Some(last) = path.segments.last() else {
        return Err(unsupported(span, "this trait path", "name the trait"));
    };
    let trait_name = last.ident.to_string();
    let type_name = match &*imp.self_ty {
        syn::Type::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => {
            p.path.segments[0].ident.to_string()
        }
        other => {
            return Err(unsupported(
                span_of(file, other.span()),
                &format!("implementing `{trait_name}` for this type"),
                "implement traits for structs and enums of this file",
            ))
        }
    };
    if let Some(t) = traits.get(&trait_name).filter(|_| path.segments.len() == 1) {
        if !last.arguments.is_empty() {
            return Err(unsupported(span, "trait arguments", "remove them"));
        }
        add_defaults(&mut imp, t);
        table.impls.push((trait_name, type_name));
        return Ok(Some(imp));
    }
    let ty_pm = imp.self_ty.span();
    let ty_span = span_of(file, ty_pm);
    match trait_name.as_str() {
        "Drop" => {
            return Err(error(
                span,
                "`impl Drop` is not supported".into(),
                "a collector cannot run `drop` at the moment Rust does",
                "call a cleanup method explicitly where the value's use ends",
            ))
        }
        "Copy" => {
            return Err(unsupported(
                span,
                "`impl Copy for ..`",
                "write `#[derive(Clone, Copy)]` on the type",
            ))
        }
        n if !STD_TRAITS.contains(&n) => {
            return Err(unsupported(
                span,
                &format!("implementing the trait `{}`", path_text(&path)),
                &format!(
                    "implement one of {}, or a trait of this file; or write a plain method",
                    STD_TRAITS.join(", ")
                ),
            ))
        }
        _ => {}
    }
    let mut assoc: Vec<(String, syn::Type)> = Vec::new();
    let mut fns: Vec<syn::ImplItemFn> = Vec::new();
    for it in std::mem::take(&mut imp.items) {
        match it {
            syn::ImplItem::Fn(f) => fns.push(f),
            syn::ImplItem::Type(t) if trait_name == "Iterator" && t.ident == "Item" => {
                assoc.push(("Item".into(), t.ty));
            }
            other => {
                return Err(unsupported(
                    span_of(file, other.span()),
                    &format!("this item in an `impl {trait_name}`"),
                    "write the trait's methods only",
                ))
            }
        }
    }
    let expected: &[&str] = match trait_name.as_str() {
        "Display" | "Debug" => &["fmt"],
        "PartialEq" => &["eq"],
        "Clone" => &["clone"],
        "Default" => &["default"],
        "From" => &["from"],
        _ => &["next"],
    };
    let mut extra = String::new();
    for mut f in fns {
        let name = f.sig.ident.to_string();
        if !expected.contains(&name.as_str()) {
            return Err(unsupported(
                span_of(file, f.sig.ident.span()),
                &format!("the method `{name}` in an `impl {trait_name}`"),
                &format!("define only `{}` here", expected.join("`, `")),
            ));
        }
        for (n, t) in &assoc {
            let ts = replace_self_assoc(f.to_token_stream(), n, &t.to_token_stream());
            if let Ok(nf) = syn::parse2::<syn::ImplItemFn>(ts) {
                f = nf;
            }
        }
        let renamed = match trait_name.as_str() {
            "Display" => {
                extra = format!(
                    "fn {USER_DISPLAY}(&self) -> String {{ let mut f = String::new(); \
                     let _ = self.__display_fmt(&mut f); f }}"
                );
                Some("__display_fmt")
            }
            "Debug" => {
                extra = format!(
                    "fn {DERIVED_DEBUG}(&self, pretty: bool) -> String {{ let mut f = String::new(); \
                     let _ = self.__debug_fmt(&mut f); f }}"
                );
                Some("__debug_fmt")
            }
            "PartialEq" => Some(DERIVED_EQ),
            "Clone" => Some(DERIVED_CLONE),
            _ => None,
        };
        if let Some(r) = renamed {
            f.sig.ident = syn::Ident::new(r, f.sig.ident.span());
        }
        imp.items.push(syn::ImplItem::Fn(f));
    }
    if !extra.is_empty() {
        let code = format!("impl X {{ {extra} }}");
        let ts = TokenStream::from_str(&code).map_err(|_| internal(ty_span))?;
        let wrapper: syn::ItemImpl =
            syn::parse2(respan(ts, ty_pm)).map_err(|_| internal(ty_span))?;
        imp.items.extend(wrapper.items);
    }
    Ok(Some(imp))
}

fn internal(span: crate::span::Span) -> Diagnostic {
    error(
        span,
        "internal error: the translator could not expand this trait impl".into(),
        "here",
        "report this; meanwhile write the methods in a plain `impl`",
    )
}

fn path_text(p: &syn::Path) -> String {
    p.segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}

/// Copies into `imp` the default methods and consts of `t` it does not
/// define itself.
fn add_defaults(imp: &mut syn::ItemImpl, t: &syn::ItemTrait) {
    let defined: Vec<String> = imp
        .items
        .iter()
        .filter_map(|it| match it {
            syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
            syn::ImplItem::Const(c) => Some(c.ident.to_string()),
            _ => None,
        })
        .collect();
    for it in &t.items {
        match it {
            syn::TraitItem::Fn(f) if !defined.contains(&f.sig.ident.to_string()) => {
                if let Some(body) = &f.default {
                    imp.items.push(syn::ImplItem::Fn(syn::ImplItemFn {
                        attrs: f.attrs.clone(),
                        vis: syn::Visibility::Inherited,
                        defaultness: None,
                        sig: f.sig.clone(),
                        block: body.clone(),
                    }));
                }
            }
            syn::TraitItem::Const(c) if !defined.contains(&c.ident.to_string()) => {
                if let Some((eq, expr)) = &c.default {
                    imp.items.push(syn::ImplItem::Const(syn::ImplItemConst {
                        attrs: c.attrs.clone(),
                        vis: syn::Visibility::Inherited,
                        defaultness: None,
                        const_token: c.const_token,
                        ident: c.ident.clone(),
                        generics: c.generics.clone(),
                        colon_token: c.colon_token,
                        ty: c.ty.clone(),
                        eq_token: *eq,
                        expr: expr.clone(),
                        semi_token: c.semi_token,
                    }));
                }
            }
            _ => {}
        }
    }
}

/// `ts` with every `Self::name` replaced by `with`.
fn replace_self_assoc(ts: TokenStream, name: &str, with: &TokenStream) -> TokenStream {
    let toks: Vec<TokenTree> = ts.into_iter().collect();
    let mut out: Vec<TokenTree> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let is = |k: usize, f: &dyn Fn(&TokenTree) -> bool| toks.get(i + k).is_some_and(f);
        if is(0, &|t| matches!(t, TokenTree::Ident(x) if x == "Self"))
            && is(
                1,
                &|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ':'),
            )
            && is(
                2,
                &|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ':'),
            )
            && is(3, &|t| matches!(t, TokenTree::Ident(x) if x == name))
        {
            out.extend(with.clone());
            i += 4;
            continue;
        }
        match &toks[i] {
            TokenTree::Group(g) => {
                let mut ng = proc_macro2::Group::new(
                    g.delimiter(),
                    replace_self_assoc(g.stream(), name, with),
                );
                ng.set_span(g.span());
                out.push(TokenTree::Group(ng));
            }
            t => out.push(t.clone()),
        }
        i += 1;
    }
    out.into_iter().collect()
}

/// Turns `impl Trait` parameter types into type parameters of their
/// function.
#[derive(Default)]
struct ImplParams {
    next: usize,
}

impl VisitMut for ImplParams {
    fn visit_signature_mut(&mut self, sig: &mut syn::Signature) {
        let mut added: Vec<(String, syn::TypeImplTrait)> = Vec::new();
        for arg in sig.inputs.iter_mut() {
            if let syn::FnArg::Typed(pt) = arg {
                replace_impl_trait(&mut pt.ty, &mut self.next, &mut added);
            }
        }
        for (name, it) in added {
            let ident = syn::Ident::new(&name, it.impl_token.span);
            let bounds = it.bounds;
            if let Ok(p) = syn::parse2::<syn::GenericParam>(quote::quote!(#ident: #bounds)) {
                sig.generics.params.push(p);
            }
        }
    }
}

fn replace_impl_trait(
    ty: &mut syn::Type,
    next: &mut usize,
    added: &mut Vec<(String, syn::TypeImplTrait)>,
) {
    match ty {
        syn::Type::ImplTrait(it) => {
            let name = format!("__Impl{next}");
            *next += 1;
            let ident = syn::Ident::new(&name, it.impl_token.span);
            added.push((name, it.clone()));
            *ty = syn::parse_quote!(#ident);
        }
        syn::Type::Reference(r) => replace_impl_trait(&mut r.elem, next, added),
        syn::Type::Paren(p) => replace_impl_trait(&mut p.elem, next, added),
        syn::Type::Slice(s) => replace_impl_trait(&mut s.elem, next, added),
        _ => {}
    }
}
