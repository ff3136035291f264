//! `#[derive(PartialEq)]` on structs and on enums with fields: the derive is
//! expanded, as rustc's is, into a method written in RRust, which the rest
//! of the pipeline translates like user code. `a == b` on such values calls
//! it (the annotator resolves the comparison to the method).
//!
//! Fieldless enums need no method: they compare their discriminants.
//! The generated tokens carry the span of the `derive` attribute, so that a
//! field whose type cannot be compared is reported there.

use proc_macro2::{Group, Span, TokenStream, TokenTree};
use std::str::FromStr;

use crate::model::DERIVED_EQ;

/// Appends an `impl` block with the derived methods of every struct and
/// enum of `ast` that asks for them.
pub(crate) fn expand(ast: &mut syn::File) {
    let mut extra = Vec::new();
    for item in &ast.items {
        let (attrs, code) = match item {
            syn::Item::Struct(s) if s.generics.params.is_empty() => {
                (&s.attrs, struct_eq(&s.ident.to_string(), &s.fields))
            }
            syn::Item::Enum(e)
                if e.generics.params.is_empty()
                    && e.variants.iter().any(|v| !v.fields.is_empty()) =>
            {
                (&e.attrs, enum_eq(&e.ident.to_string(), e))
            }
            _ => continue,
        };
        let Some(span) = derive_span(attrs, "PartialEq") else {
            continue;
        };
        let Ok(ts) = TokenStream::from_str(&code) else {
            continue;
        };
        if let Ok(imp) = syn::parse2::<syn::Item>(respan(ts, span)) {
            extra.push(imp);
        }
    }
    ast.items.extend(extra);
}

/// The span of `name` inside a `#[derive(..)]`, if the item derives it.
fn derive_span(attrs: &[syn::Attribute], name: &str) -> Option<Span> {
    let mut found = None;
    for a in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let _ = a.parse_nested_meta(|m| {
            if m.path.is_ident(name) {
                found = m.path.get_ident().map(|i| i.span());
            }
            Ok(())
        });
    }
    found
}

fn respan(ts: TokenStream, span: Span) -> TokenStream {
    ts.into_iter()
        .map(|mut t| {
            if let TokenTree::Group(g) = &t {
                let mut ng = Group::new(g.delimiter(), respan(g.stream(), span));
                ng.set_span(span);
                t = TokenTree::Group(ng);
            } else {
                t.set_span(span);
            }
            t
        })
        .collect()
}

fn struct_eq(name: &str, fields: &syn::Fields) -> String {
    let names: Vec<String> = match fields {
        syn::Fields::Named(n) => n
            .named
            .iter()
            .filter_map(|f| f.ident.as_ref().map(|i| i.to_string()))
            .collect(),
        syn::Fields::Unnamed(u) => (0..u.unnamed.len()).map(|i| i.to_string()).collect(),
        syn::Fields::Unit => vec![],
    };
    let mut body: Vec<String> = names
        .iter()
        .map(|f| format!("self.{f} == other.{f}"))
        .collect();
    if body.is_empty() {
        body.push("true".into());
    }
    format!(
        "impl {name} {{ fn {DERIVED_EQ}(&self, other: &{name}) -> bool {{ {} }} }}",
        body.join(" && ")
    )
}

fn enum_eq(name: &str, e: &syn::ItemEnum) -> String {
    let mut arms = String::new();
    for v in &e.variants {
        let vn = format!("{name}::{}", v.ident);
        let (pa, pb, n) = match &v.fields {
            syn::Fields::Unit => (vn.clone(), vn.clone(), 0),
            syn::Fields::Unnamed(u) => {
                let n = u.unnamed.len();
                let list = |p: &str| {
                    (0..n)
                        .map(|i| format!("{p}{i}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                (
                    format!("{vn}({})", list("a")),
                    format!("{vn}({})", list("b")),
                    n,
                )
            }
            syn::Fields::Named(f) => {
                let names: Vec<String> = f
                    .named
                    .iter()
                    .filter_map(|f| f.ident.as_ref().map(|i| i.to_string()))
                    .collect();
                let list = |p: &str| {
                    names
                        .iter()
                        .enumerate()
                        .map(|(i, f)| format!("{f}: {p}{i}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                (
                    format!("{vn} {{ {} }}", list("a")),
                    format!("{vn} {{ {} }}", list("b")),
                    names.len(),
                )
            }
        };
        let test = if n == 0 {
            "true".to_string()
        } else {
            (0..n)
                .map(|i| format!("a{i} == b{i}"))
                .collect::<Vec<_>>()
                .join(" && ")
        };
        arms += &format!("{pa} => match other {{ {pb} => {test}, _ => false }}, ");
    }
    format!(
        "impl {name} {{ fn {DERIVED_EQ}(&self, other: &{name}) -> bool {{ match self {{ {arms} }} }} }}"
    )
}
