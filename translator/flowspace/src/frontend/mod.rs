//! The frontend: RRust source text -> `Program` (one flow graph per fn).
//!
//! Layout:
//! - `collect`: the items of the file (structs, fns, impls, consts, uses).
//! - `consts`: evaluation of `const` initialisers.
//! - `types`: `syn::Type` -> `Ty`.
//! - `paths`: `use` aliases and canonical std paths.
//! - `builder`: the per-function graph builder (environment, joins, SSA).
//! - `stmts`, `exprs`, `calls`: statements and expressions.
//! - `patterns`, `matches`: pattern tests, `match`, `if let`.
//! - `loops`: `while`, `loop`, `for`, `break`, `continue`.
//! - `macros`, `fmt`: `println!` and friends, format strings.
//! - `reject`: helpers for diagnostics.

mod builder;
mod calls;
mod collect;
mod consts;
mod exprs;
mod fmt;
mod loops;
mod macros;
mod matches;
mod paths;
mod patterns;
mod reject;
mod stmts;
mod types;

use crate::diag::Diagnostic;
use crate::model::Program;
use crate::span::{FileId, SourceMap, Span};

pub use fmt::parse_format_string;

/// Parses `text` (added to `sources` under `path`) and builds the flow graph
/// of every function. All problems found are returned as diagnostics.
pub fn build_program(
    sources: &mut SourceMap,
    path: &str,
    text: &str,
) -> Result<Program, Vec<Diagnostic>> {
    let file = sources.add(path.to_string(), text.to_string());
    let ast = match syn::parse_file(text) {
        Ok(ast) => ast,
        Err(e) => {
            let span = span_of(file, e.span());
            return Err(vec![Diagnostic::error(span, format!("cannot parse: {e}"))
                .label("the parser stopped here")
                .help(
                    "the source must be valid Rust; check it with `cargo build` first",
                )]);
        }
    };
    collect::build(file, &ast)
}

/// Turns a proc-macro2 span into our `Span` (1-based line and column).
pub(crate) fn span_of(file: FileId, s: proc_macro2::Span) -> Span {
    let start = s.start();
    let range = s.byte_range();
    Span {
        file,
        lo: range.start as u32,
        hi: range.end.max(range.start) as u32,
        line: start.line as u32,
        col: start.column as u32 + 1,
    }
}
