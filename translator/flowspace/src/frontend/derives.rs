//! `#[derive(PartialEq)]` and `#[derive(Clone)]` on structs and on enums
//! with fields, and `#[derive(Debug)]` on any struct or enum: each derive
//! is expanded, as rustc's is, into a method written in RRust, which the
//! rest of the pipeline translates like user code. `a == b`, `a.clone()`
//! and `{:?}` on such values call them (the annotator resolves the
//! comparison, the `clone` call and the format argument to the methods).
//!
//! Fieldless enums need no method: they compare their discriminants.
//! The generated tokens carry the span of the `derive` attribute, so that a
//! field whose type cannot be compared is reported there.

use proc_macro2::{Group, Span, TokenStream, TokenTree};
use std::str::FromStr;

use crate::model::{DERIVED_CLONE, DERIVED_DEBUG, DERIVED_EQ};

/// Appends an `impl` block with the derived methods of every struct and
/// enum of `ast` that asks for them.
pub(crate) fn expand(ast: &mut syn::File) {
    let mut extra = Vec::new();
    for item in &ast.items {
        let (attrs, derived) = match item {
            syn::Item::Struct(s) => {
                let name = s.ident.to_string();
                let derived = vec![
                    ("PartialEq", struct_eq(&name, &s.fields)),
                    ("Clone", struct_clone(&name, &s.fields)),
                    ("Debug", struct_debug(&name, &s.fields)),
                    ("Default", struct_default(&name, &s.fields)),
                ];
                (&s.attrs, derived)
            }
            syn::Item::Enum(e) => {
                let name = e.ident.to_string();
                let mut derived = vec![("Debug", enum_debug(&name, e))];
                if let Some(d) = enum_default(&name, e) {
                    derived.push(("Default", d));
                }
                // Fieldless enums compare and copy their discriminants.
                if e.variants.iter().any(|v| !v.fields.is_empty()) {
                    derived.push(("PartialEq", enum_eq(&name, e)));
                    derived.push(("Clone", enum_clone(&name, e)));
                }
                (&e.attrs, derived)
            }
            _ => continue,
        };
        let (name, generics) = match item {
            syn::Item::Struct(s) => (s.ident.to_string(), &s.generics),
            syn::Item::Enum(e) => (e.ident.to_string(), &e.generics),
            _ => continue,
        };
        for (derive, code) in derived {
            let Some(span) = derive_span(attrs, derive) else {
                continue;
            };
            // `impl<T> Name<T>` for a generic type (the bodies say `Self`).
            let code = generic_head(&code, &name, generics);
            let Ok(ts) = TokenStream::from_str(&code) else {
                continue;
            };
            if let Ok(imp) = syn::parse2::<syn::Item>(respan(ts, span)) {
                extra.push(imp);
            }
        }
    }
    ast.items.extend(extra);
}

/// `code` (`impl Name { .. }`) with the head `impl<'a, T> Name<'a, T>` when
/// the type has generic parameters (bounds are not needed: rustc checked
/// the derive).
fn generic_head(code: &str, name: &str, g: &syn::Generics) -> String {
    if g.params.is_empty() {
        return code.to_string();
    }
    let params: Vec<String> = g
        .params
        .iter()
        .filter_map(|p| match p {
            syn::GenericParam::Lifetime(l) => Some(format!("'{}", l.lifetime.ident)),
            syn::GenericParam::Type(t) => Some(t.ident.to_string()),
            syn::GenericParam::Const(_) => None,
        })
        .collect();
    let list = params.join(", ");
    let plain = format!("impl {name} {{");
    match code.strip_prefix(&plain) {
        Some(rest) => format!("impl<{list}> {name}<{list}> {{{rest}"),
        None => code.to_string(),
    }
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

pub(crate) fn respan(ts: TokenStream, span: Span) -> TokenStream {
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

/// `RefCell<T>` or `Cell<T>`, also behind an `Rc`: which of the two.
fn cell_kind(ty: &syn::Type) -> Option<&'static str> {
    let syn::Type::Path(p) = ty else {
        return None;
    };
    let last = p.path.segments.last()?;
    match last.ident.to_string().as_str() {
        "RefCell" => Some("RefCell"),
        "Cell" => Some("Cell"),
        "Rc" => match &last.arguments {
            syn::PathArguments::AngleBracketed(a) => a.args.iter().find_map(|g| match g {
                syn::GenericArgument::Type(t) => cell_kind(t),
                _ => None,
            }),
            _ => None,
        },
        _ => None,
    }
}

/// `a == b` for field values of type `ty`: cells compare their values, as
/// std's `PartialEq for RefCell` (borrowing both) and `for Cell` do.
fn eq_of(a: &str, b: &str, ty: &syn::Type) -> String {
    match cell_kind(ty) {
        Some("RefCell") => format!("*{a}.borrow() == *{b}.borrow()"),
        Some(_) => format!("{a}.get() == {b}.get()"),
        None => format!("{a} == {b}"),
    }
}

fn struct_eq(name: &str, fields: &syn::Fields) -> String {
    let named: Vec<(String, &syn::Type)> = match fields {
        syn::Fields::Named(n) => n
            .named
            .iter()
            .filter_map(|f| f.ident.as_ref().map(|i| (i.to_string(), &f.ty)))
            .collect(),
        syn::Fields::Unnamed(u) => u
            .unnamed
            .iter()
            .enumerate()
            .map(|(i, f)| (i.to_string(), &f.ty))
            .collect(),
        syn::Fields::Unit => vec![],
    };
    let mut body: Vec<String> = named
        .iter()
        .map(|(f, ty)| eq_of(&format!("self.{f}"), &format!("other.{f}"), ty))
        .collect();
    if body.is_empty() {
        body.push("true".into());
    }
    format!(
        "impl {name} {{ fn {DERIVED_EQ}(&self, other: &Self) -> bool {{ {} }} }}",
        body.join(" && ")
    )
}

fn enum_eq(name: &str, e: &syn::ItemEnum) -> String {
    let mut arms = String::new();
    for v in &e.variants {
        let vn = format!("{name}::{}", v.ident);
        let tys: Vec<&syn::Type> = v.fields.iter().map(|f| &f.ty).collect();
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
                .map(|i| eq_of(&format!("a{i}"), &format!("b{i}"), tys[i]))
                .collect::<Vec<_>>()
                .join(" && ")
        };
        arms += &format!("{pa} => match other {{ {pb} => {test}, _ => false }}, ");
    }
    format!(
        "impl {name} {{ fn {DERIVED_EQ}(&self, other: &Self) -> bool {{ match self {{ {arms} }} }} }}"
    )
}

/// `Default::default()` of a field of type `ty`, as std's impls give it.
fn default_of(ty: &syn::Type) -> String {
    let syn::Type::Path(p) = ty else {
        return match ty {
            syn::Type::Tuple(t) => {
                let parts: Vec<String> = t.elems.iter().map(default_of).collect();
                match parts.len() {
                    0 => "()".into(),
                    1 => format!("({},)", parts[0]),
                    _ => format!("({})", parts.join(", ")),
                }
            }
            syn::Type::Reference(r) if matches!(&*r.elem, syn::Type::Path(p) if p.path.is_ident("str")) => {
                "\"\"".into()
            }
            _ => "Default::default()".into(),
        };
    };
    let Some(last) = p.path.segments.last() else {
        return "Default::default()".into();
    };
    let arg = match &last.arguments {
        syn::PathArguments::AngleBracketed(a) => a.args.iter().find_map(|g| match g {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        }),
        _ => None,
    };
    let name = last.ident.to_string();
    match (name.as_str(), arg) {
        ("i8" | "i16" | "i32" | "i64" | "isize" | "u8" | "u16" | "u32" | "u64" | "usize", _) => {
            "0".into()
        }
        ("f64" | "f32", _) => "0.0".into(),
        ("bool", _) => "false".into(),
        ("char", _) => "'\\0'".into(),
        ("String", _) => "String::new()".into(),
        ("Vec", _) => "Vec::new()".into(),
        ("HashMap", _) => "HashMap::new()".into(),
        ("Option", _) => "None".into(),
        ("Box" | "Rc" | "RefCell" | "Cell", Some(t)) => format!("{name}::new({})", default_of(t)),
        _ => format!("{name}::default()"),
    }
}

/// `#[derive(Default)]` of a struct: each field's default.
fn struct_default(name: &str, fields: &syn::Fields) -> String {
    let body = match fields {
        syn::Fields::Named(n) => {
            let inits: Vec<String> = n
                .named
                .iter()
                .filter_map(|f| Some(format!("{}: {}", f.ident.as_ref()?, default_of(&f.ty))))
                .collect();
            format!("{name} {{ {} }}", inits.join(", "))
        }
        syn::Fields::Unnamed(u) => {
            let inits: Vec<String> = u.unnamed.iter().map(|f| default_of(&f.ty)).collect();
            format!("{name}({})", inits.join(", "))
        }
        syn::Fields::Unit => name.to_string(),
    };
    format!("impl {name} {{ fn default() -> Self {{ {body} }} }}")
}

/// `#[derive(Default)]` of an enum: its `#[default]` unit variant.
fn enum_default(name: &str, e: &syn::ItemEnum) -> Option<String> {
    let v = e
        .variants
        .iter()
        .find(|v| v.attrs.iter().any(|a| a.path().is_ident("default")))?;
    Some(format!(
        "impl {name} {{ fn default() -> Self {{ {name}::{} }} }}",
        v.ident
    ))
}

/// The clone of one field value `x` of type `ty`: an `Option` is cloned
/// through its contents (RRust's `Option` has no deep `clone` of its own).
fn clone_of(x: &str, ty: &syn::Type) -> String {
    // A cell (not behind an `Rc`, whose clone shares) clones its value.
    if let syn::Type::Path(p) = ty {
        match p
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .as_deref()
        {
            Some("RefCell") => return format!("RefCell::new({x}.borrow().clone())"),
            Some("Cell") => return format!("Cell::new({x}.get())"),
            _ => {}
        }
    }
    let is_option = matches!(ty, syn::Type::Path(p)
        if p.path.segments.last().is_some_and(|s| s.ident == "Option"));
    if is_option {
        format!("match &{x} {{ Some(v) => Some(v.clone()), None => None }}")
    } else {
        format!("{x}.clone()")
    }
}

fn struct_clone(name: &str, fields: &syn::Fields) -> String {
    let body = match fields {
        syn::Fields::Named(n) => {
            let inits: Vec<String> = n
                .named
                .iter()
                .filter_map(|f| {
                    let i = f.ident.as_ref()?;
                    Some(format!("{i}: {}", clone_of(&format!("self.{i}"), &f.ty)))
                })
                .collect();
            format!("{name} {{ {} }}", inits.join(", "))
        }
        syn::Fields::Unnamed(u) => {
            let inits: Vec<String> = u
                .unnamed
                .iter()
                .enumerate()
                .map(|(i, f)| clone_of(&format!("self.{i}"), &f.ty))
                .collect();
            format!("{name}({})", inits.join(", "))
        }
        syn::Fields::Unit => name.to_string(),
    };
    format!("impl {name} {{ fn {DERIVED_CLONE}(&self) -> Self {{ {body} }} }}")
}

fn enum_clone(name: &str, e: &syn::ItemEnum) -> String {
    let mut arms = String::new();
    for v in &e.variants {
        let vn = format!("{name}::{}", v.ident);
        let (pat, value) = match &v.fields {
            syn::Fields::Unit => (vn.clone(), vn.clone()),
            syn::Fields::Unnamed(u) => {
                let binds: Vec<String> = (0..u.unnamed.len()).map(|i| format!("a{i}")).collect();
                let vals: Vec<String> = u
                    .unnamed
                    .iter()
                    .enumerate()
                    .map(|(i, f)| clone_of(&format!("a{i}"), &f.ty))
                    .collect();
                (
                    format!("{vn}({})", binds.join(", ")),
                    format!("{vn}({})", vals.join(", ")),
                )
            }
            syn::Fields::Named(n) => {
                let mut binds = Vec::new();
                let mut vals = Vec::new();
                for (i, f) in n.named.iter().enumerate() {
                    let Some(id) = &f.ident else { continue };
                    binds.push(format!("{id}: a{i}"));
                    vals.push(format!("{id}: {}", clone_of(&format!("a{i}"), &f.ty)));
                }
                (
                    format!("{vn} {{ {} }}", binds.join(", ")),
                    format!("{vn} {{ {} }}", vals.join(", ")),
                )
            }
        };
        arms += &format!("{pat} => {value}, ");
    }
    format!("impl {name} {{ fn {DERIVED_CLONE}(&self) -> Self {{ match self {{ {arms} }} }} }}")
}

/// The `Debug` text of `x` (of type `ty`) as an RRust expression, in the
/// compact (`{:?}`) or the pretty (`{:#?}`) form; `Option`, `Vec` and `Box`
/// are spelled out, since RRust formats them only through this code.
fn debug_of(x: &str, ty: &syn::Type, pretty: bool, depth: usize) -> String {
    let last = match ty {
        syn::Type::Path(p) => p.path.segments.last(),
        _ => None,
    };
    let arg = last.and_then(|s| match &s.arguments {
        syn::PathArguments::AngleBracketed(a) => a.args.iter().find_map(|g| match g {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        }),
        _ => None,
    });
    let name = last.map(|s| s.ident.to_string()).unwrap_or_default();
    let v = format!("v{depth}");
    match (name.as_str(), arg) {
        ("Box" | "Rc", Some(t)) => debug_of(x, t, pretty, depth),
        // std: `RefCell { value: .. }`, `<borrowed>` while mutably borrowed.
        ("RefCell", Some(t)) => {
            let inner = debug_of(&format!("(*{x}.borrow())"), t, pretty, depth + 1);
            let shown = if pretty {
                format!(
                    "format!(\"RefCell {{{{\\n    value: {{}},\\n}}}}\", ({inner}).replace(\"\\n\", \"\\n    \"))"
                )
            } else {
                format!("format!(\"RefCell {{{{ value: {{}} }}}}\", {inner})")
            };
            let borrowed = if pretty {
                "String::from(\"RefCell {\\n    value: <borrowed>,\\n}\")"
            } else {
                "String::from(\"RefCell { value: <borrowed> }\")"
            };
            format!("if {x}.__borrowed_mut() {{ {borrowed} }} else {{ {shown} }}")
        }
        ("Cell", Some(t)) => {
            let inner = debug_of(&format!("{x}.get()"), t, pretty, depth + 1);
            if pretty {
                format!(
                    "format!(\"Cell {{{{\\n    value: {{}},\\n}}}}\", ({inner}).replace(\"\\n\", \"\\n    \"))"
                )
            } else {
                format!("format!(\"Cell {{{{ value: {{}} }}}}\", {inner})")
            }
        }
        ("Option", Some(t)) => {
            let inner = debug_of(&v, t, pretty, depth + 1);
            let some = if pretty {
                format!(
                    "format!(\"Some(\\n    {{}},\\n)\", ({inner}).replace(\"\\n\", \"\\n    \"))"
                )
            } else {
                format!("format!(\"Some({{}})\", {inner})")
            };
            format!("match &{x} {{ Some({v}) => {some}, None => String::from(\"None\") }}")
        }
        ("Vec", Some(t)) => {
            let inner = debug_of(&v, t, pretty, depth + 1);
            let s = format!("s{depth}");
            if pretty {
                format!(
                    "{{ let mut {s} = String::from(\"[\"); \
                     for {v} in {x}.iter() {{ {s}.push_str(\"\\n    \"); \
                     {s}.push_str(&({inner}).replace(\"\\n\", \"\\n    \")); {s}.push(','); }} \
                     if !{x}.is_empty() {{ {s}.push_str(\"\\n\"); }} {s}.push(']'); {s} }}"
                )
            } else {
                let first = format!("first{depth}");
                format!(
                    "{{ let mut {s} = String::from(\"[\"); let mut {first} = true; \
                     for {v} in {x}.iter() {{ if !{first} {{ {s}.push_str(\", \"); }} \
                     {first} = false; {s}.push_str(&{inner}); }} {s}.push(']'); {s} }}"
                )
            }
        }
        _ if pretty => format!("format!(\"{{:#?}}\", {x})"),
        _ => format!("format!(\"{{:?}}\", {x})"),
    }
}

/// `Name`, `Name(a, b)` or `Name { f: a, g: b }` from the fields' texts,
/// compact or pretty as rustc's `debug_tuple`/`debug_struct` print them.
fn debug_shape(
    name: &str,
    fields: &[(Option<String>, String)],
    named: bool,
    pretty: bool,
) -> String {
    if fields.is_empty() {
        return format!("String::from(\"{name}\")");
    }
    let mut out = format!("{{ let mut s = String::from(\"{name}\"); ");
    let (open, close) = if named { (" {", "}") } else { ("(", ")") };
    out += &format!("s.push_str(\"{open}\"); ");
    for (i, (field, text)) in fields.iter().enumerate() {
        let label = field.as_ref().map(|f| format!("{f}: ")).unwrap_or_default();
        if pretty {
            out += &format!(
                "s.push_str(\"\\n    {label}\"); s.push_str(&({text}).replace(\"\\n\", \"\\n    \")); s.push(','); "
            );
        } else {
            let sep = match (i, named) {
                (0, true) => " ",
                (0, false) => "",
                _ => ", ",
            };
            out += &format!("s.push_str(\"{sep}{label}\"); s.push_str(&{text}); ");
        }
    }
    if pretty {
        out += "s.push_str(\"\\n\"); ";
    } else if named {
        out += "s.push(' '); ";
    }
    out += &format!("s.push_str(\"{close}\"); s }}");
    out
}

fn fields_debug(
    fields: &syn::Fields,
    access: &dyn Fn(usize, Option<&syn::Ident>) -> String,
    pretty: bool,
) -> (Vec<(Option<String>, String)>, bool) {
    match fields {
        syn::Fields::Named(n) => (
            n.named
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let label = f.ident.as_ref().map(|i| i.to_string());
                    (
                        label,
                        debug_of(&access(i, f.ident.as_ref()), &f.ty, pretty, 0),
                    )
                })
                .collect(),
            true,
        ),
        syn::Fields::Unnamed(u) => (
            u.unnamed
                .iter()
                .enumerate()
                .map(|(i, f)| (None, debug_of(&access(i, None), &f.ty, pretty, 0)))
                .collect(),
            false,
        ),
        syn::Fields::Unit => (vec![], false),
    }
}

fn struct_debug(name: &str, fields: &syn::Fields) -> String {
    let access = |i: usize, id: Option<&syn::Ident>| match id {
        Some(id) => format!("self.{id}"),
        None => format!("self.{i}"),
    };
    let body = |pretty: bool| {
        let (f, named) = fields_debug(fields, &access, pretty);
        debug_shape(name, &f, named, pretty)
    };
    format!(
        "impl {name} {{ fn {DERIVED_DEBUG}(&self, pretty: bool) -> String {{ \
         if pretty {{ {} }} else {{ {} }} }} }}",
        body(true),
        body(false)
    )
}

fn enum_debug(name: &str, e: &syn::ItemEnum) -> String {
    let mut arms = String::new();
    for v in &e.variants {
        let vn = format!("{name}::{}", v.ident);
        let pat = match &v.fields {
            syn::Fields::Unit => vn.clone(),
            syn::Fields::Unnamed(u) => {
                let b: Vec<String> = (0..u.unnamed.len()).map(|i| format!("a{i}")).collect();
                format!("{vn}({})", b.join(", "))
            }
            syn::Fields::Named(n) => {
                let b: Vec<String> = n
                    .named
                    .iter()
                    .enumerate()
                    .filter_map(|(i, f)| f.ident.as_ref().map(|id| format!("{id}: a{i}")))
                    .collect();
                format!("{vn} {{ {} }}", b.join(", "))
            }
        };
        let access = |i: usize, _: Option<&syn::Ident>| format!("a{i}");
        let body = |pretty: bool| {
            let (f, named) = fields_debug(&v.fields, &access, pretty);
            debug_shape(&v.ident.to_string(), &f, named, pretty)
        };
        arms += &format!(
            "{pat} => if pretty {{ {} }} else {{ {} }}, ",
            body(true),
            body(false)
        );
    }
    format!(
        "impl {name} {{ fn {DERIVED_DEBUG}(&self, pretty: bool) -> String {{ match self {{ {arms} }} }} }}"
    )
}
