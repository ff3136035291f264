//! The frontend: RRust source text -> `Program` (one flow graph per fn).
//!
//! Layout:
//! - `derives`: `#[derive(PartialEq)]` expanded into a method in RRust.
//! - `traits`: `impl Trait for Type` expanded into plain `impl`s (defaults
//!   copied, std trait methods renamed to what `==`, `{}`, `{:?}` call).
//! - `cells`: scalar locals behind `&mut`, kept in one-item cells.
//! - `collect`: the items of the file (structs, fns, impls, consts, uses).
//! - `enums`: user enums (variants, flattened fields, discriminants).
//! - `consts`: evaluation of `const` initialisers.
//! - `types`: `syn::Type` -> `Ty`.
//! - `paths`: `use` aliases and canonical std paths.
//! - `builder`: the per-function graph builder (environment, joins, SSA).
//! - `stmts`, `exprs`, `calls`: statements and expressions.
//! - `patterns`, `matches`: pattern tests, `match`, `if let`.
//! - `loops`: `while`, `loop`, `for`, `break`, `continue`.
//! - `macros`, `fmt`, `pretty`: `println!` and friends, format strings, the
//!   text of `assert!` conditions.
//! - `reject`: helpers for diagnostics.

//!
//! Conventions of the graphs built here (what later stages can rely on):
//! - Every block takes all locals in scope as inputs (RPython style); a
//!   variable keeps the source name (`VarData::name`) and declared type of
//!   its local in every block. Hidden temporaries are named `#scrut` (a
//!   `match` scrutinee), `#i`/`#limit`/`#seq`/`#done` (a `for` loop),
//!   `#pat` (a value being matched), `#left`/`#right` (`assert_eq!`),
//!   `#fmtarg` (a format argument), `#tmp` (an operand already evaluated
//!   while a later one is lowered: a receiver, earlier arguments or
//!   elements, a left operand, an index base, an assigned value).
//! - A variable is used only in the block that defines it (an input or an
//!   op result); values cross blocks only as link arguments, also operands
//!   evaluated before an operand that branches (`f(a + 1, if c {..})`).
//! - `let x: T = e` emits `SameAs(e)` into a variable declared `T`.
//! - `for` loops are index loops: `a..b` compares `#i < #limit` and adds 1;
//!   `a..=b` also keeps `#done` so that it never steps past `b` (which may be
//!   the type's MAX); `.rev()` steps down; over a sequence `s` (`s.iter()`,
//!   `&s`, `s.bytes()`, ...) it calls `MethodCall("len")` once before the loop
//!   and reads elements with `GetIndex(s, i)` (the element itself, not a
//!   reference; `&x` patterns emit `Deref`).
//! - A `match` on integer/byte/char literals is an `Exit::Switch`; other
//!   matches are chains of `IsVariant`/`VariantField`/`Bin(Eq)`/range tests.
//!   Blocks where rustc's exhaustiveness check says control cannot go end
//!   with `Exit::Unreachable`, as do blocks after `Panic`, `std::process::exit`
//!   or a call of a user fn returning `!`.
//! - Assignments evaluate the right-hand side first, then the place (as
//!   rustc does for `=` and for compound assignment on primitives).
//! - Struct literals evaluate fields in source order and pass them to
//!   `NewStruct` in declaration order.

mod borrows;
mod builder;
mod calls;
mod cells;
mod closures;
mod collect;
mod consts;
mod derives;
mod elems;
mod entry;
mod enums;
mod exprs;
mod fmt;
mod iterchains;
mod loops;
mod macros;
mod matches;
mod parse_types;
mod paths;
mod patterns;
mod pretty;
mod reject;
mod slices;
mod stmts;
mod traits;
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
    let mut ast = match syn::parse_file(text) {
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
    let (mut traits, mut diags) = traits::expand(file, &mut ast);
    parse_types::expand(&mut ast);
    iterchains::expand(&mut ast);
    let (closure_types, more) = closures::expand(file, &mut ast);
    diags.extend(more);
    traits.add_fn_trait(closure_types);
    derives::expand(&mut ast);
    entry::expand(&mut ast);
    match collect::build(file, &ast, &traits, end_of(file, text)) {
        Ok(p) if diags.is_empty() => Ok(p),
        Ok(_) => Err(diags),
        Err(more) => {
            diags.extend(more);
            diags.sort_by_key(|d| d.span.map(|s| (s.lo, s.hi)));
            Err(diags)
        }
    }
}

/// An empty span at the end of the text (where a missing item belongs).
fn end_of(file: FileId, text: &str) -> Span {
    let body = text.trim_end();
    let line = body.lines().count().max(1) as u32;
    let last = body.lines().last().unwrap_or("");
    let end = body.len() as u32;
    Span {
        file,
        lo: end.saturating_sub(1),
        hi: end,
        line,
        col: last.chars().count().max(1) as u32,
    }
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
