//! Helpers to build the diagnostics of the frontend: every rejection names
//! the construct, points at it and says what to write instead.

use crate::diag::Diagnostic;
use crate::span::Span;

pub(crate) type R<T> = Result<T, Diagnostic>;

/// "`what` is not supported" with a help text. `what` names one thing
/// ("a closure", "`unsafe`").
pub(crate) fn unsupported(span: Span, what: &str, help: &str) -> Diagnostic {
    Diagnostic::error(span, format!("{what} is not supported"))
        .label("not supported by the translator")
        .help(help)
}

/// An error with a message, label and help.
pub(crate) fn error(span: Span, message: String, label: &str, help: &str) -> Diagnostic {
    Diagnostic::error(span, message).label(label).help(help)
}

/// A problem in the frontend itself (a broken invariant). Reported instead
/// of panicking.
pub(crate) fn internal(span: Span, what: &str) -> Diagnostic {
    Diagnostic::error(span, format!("internal error in the flow builder: {what}"))
        .label("while translating this")
        .help("please report this as a bug of the translator, with the source")
}

/// Checks the attributes allowed everywhere except on fns and structs
/// (`#[allow]`, doc comments, `#[rustfmt::skip]`).
pub(crate) fn check_plain_attrs(file: crate::span::FileId, attrs: &[syn::Attribute]) -> R<()> {
    for a in attrs {
        let name = attr_name(a);
        if !matches!(name.as_str(), "allow" | "doc" | "rustfmt::skip" | "expect") {
            return Err(bad_attr(file, a, "here"));
        }
    }
    Ok(())
}

/// The attribute's path as written (`allow`, `rrlib::jit::purefunction`).
pub(crate) fn attr_name(a: &syn::Attribute) -> String {
    path_string(a.path())
}

pub(crate) fn path_string(p: &syn::Path) -> String {
    p.segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}

pub(crate) fn bad_attr(file: crate::span::FileId, a: &syn::Attribute, place: &str) -> Diagnostic {
    use syn::spanned::Spanned;
    let span = super::span_of(file, a.span());
    error(
        span,
        format!(
            "the attribute `#[{}]` is not supported {place}",
            attr_name(a)
        ),
        "unknown to the translator",
        "the translator understands #[jit_merge_point(..)], #[purefunction], #[elidable], \
         #[dont_look_inside], #[unroll_safe] and #[inline] on functions, #[derive(..)] on \
         structs, and #[allow(..)] and doc comments anywhere; remove this attribute",
    )
}

/// The span from `a` to `b` (both in the same file).
pub(crate) fn join(file: crate::span::FileId, a: proc_macro2::Span, b: proc_macro2::Span) -> Span {
    super::span_of(file, a.join(b).unwrap_or(a))
}
