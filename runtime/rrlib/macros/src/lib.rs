//! The hint attributes of `rrlib::jit`, as no-ops for the untranslated
//! build. Each returns the item unchanged; the translator reads the
//! attribute from the source itself.

use proc_macro::TokenStream;

/// Marks the function whose loop is the interpreter's dispatch loop:
/// `#[jit_merge_point(greens(a, b), reds(c), get_printable_location = f)]`.
#[proc_macro_attribute]
pub fn jit_merge_point(_args: TokenStream, item: TokenStream) -> TokenStream {
    item
}

/// The function's result depends only on its arguments and it has no side
/// effects: the JIT may constant-fold calls with constant arguments.
#[proc_macro_attribute]
pub fn purefunction(_args: TokenStream, item: TokenStream) -> TokenStream {
    item
}

/// RPython's newer name for `purefunction`.
#[proc_macro_attribute]
pub fn elidable(_args: TokenStream, item: TokenStream) -> TokenStream {
    item
}

/// The JIT calls this function instead of tracing into it.
#[proc_macro_attribute]
pub fn dont_look_inside(_args: TokenStream, item: TokenStream) -> TokenStream {
    item
}

/// The JIT may unroll this function's loops when tracing.
#[proc_macro_attribute]
pub fn unroll_safe(_args: TokenStream, item: TokenStream) -> TokenStream {
    item
}
