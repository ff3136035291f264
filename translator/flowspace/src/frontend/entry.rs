//! `fn main() -> Result<(), E>`: as Rust's `Termination` does, an `Err(e)`
//! prints `Error: {e:?}` to stderr and exits with status 1. The frontend
//! adds an entry function, written in RRust, that calls `main` so.

use proc_macro2::TokenStream;
use std::str::FromStr;
use syn::spanned::Spanned;

/// The generated entry's name (a name no Rust program can collide with
/// by accident).
pub(crate) const RESULT_ENTRY: &str = "__rr_main_result";

/// Appends the entry function when `main` returns a `Result`.
pub(crate) fn expand(ast: &mut syn::File) {
    let Some(main) = ast.items.iter().find_map(|it| match it {
        syn::Item::Fn(f) if f.sig.ident == "main" => Some(f),
        _ => None,
    }) else {
        return;
    };
    let syn::ReturnType::Type(_, ty) = &main.sig.output else {
        return;
    };
    let syn::Type::Path(p) = &**ty else {
        return;
    };
    if p.path
        .segments
        .last()
        .map(|s| s.ident.to_string())
        .as_deref()
        != Some("Result")
    {
        return;
    }
    let code = format!(
        "fn {RESULT_ENTRY}() {{ \
            match main() {{ \
                Ok(()) => {{}} \
                Err(e) => {{ eprintln!(\"Error: {{:?}}\", e); std::process::exit(1); }} \
            }} \
        }}"
    );
    let Ok(ts) = TokenStream::from_str(&code) else {
        return;
    };
    let ts = super::derives::respan(ts, main.sig.output.span());
    if let Ok(item) = syn::parse2::<syn::Item>(ts) {
        ast.items.push(item);
    }
}
