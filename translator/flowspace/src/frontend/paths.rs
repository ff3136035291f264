//! `use` aliases and canonical paths of std items.
//!
//! `use std::io; io::stdin()` and `std::io::stdin()` both become
//! `["std","io","stdin"]`; types of the prelude or that are usually imported
//! (`Vec`, `String`, `HashMap`, `Box`, integer types) lose their module:
//! `HashMap::new` is `["HashMap","new"]`.

use super::reject::{error, R};
use super::span_of;
use crate::span::FileId;
use std::collections::HashMap;
use syn::spanned::Spanned;

/// The names a `use` brought into scope, each with its full path.
#[derive(Default)]
pub(crate) struct UseMap {
    pub aliases: HashMap<String, Vec<String>>,
    /// Imports of a user enum's variants (`use Op::*;`, `use Op::{Add, Sub};`),
    /// checked against the enums once all items are known.
    pub variants: Vec<VariantUse>,
}

/// `use Ty::*` (`name: None`) or `use Ty::Variant as alias`.
#[derive(Clone)]
pub(crate) struct VariantUse {
    pub ty: String,
    pub name: Option<(String, String)>,
    pub span: crate::span::Span,
}

/// What `use rrlib::jit::*` brings in.
const RRLIB_JIT: &[&str] = &[
    "jit_merge_point",
    "purefunction",
    "elidable",
    "dont_look_inside",
    "unroll_safe",
    "promote",
    "we_are_jitted",
];

impl UseMap {
    pub fn add_use(&mut self, file: FileId, item: &syn::ItemUse) -> R<()> {
        let mut prefix = Vec::new();
        self.add_tree(file, &item.tree, &mut prefix)
    }

    fn add_tree(&mut self, file: FileId, tree: &syn::UseTree, prefix: &mut Vec<String>) -> R<()> {
        let span = span_of(file, tree.span());
        match tree {
            syn::UseTree::Path(p) => {
                let seg = p.ident.to_string();
                // `use self::Op::*` and `use crate::Op::*` name this file.
                if prefix.is_empty() && matches!(seg.as_str(), "self" | "crate") {
                    if let syn::UseTree::Path(inner) = &*p.tree {
                        return self.add_variants(file, &inner.ident.to_string(), &inner.tree);
                    }
                }
                if prefix.is_empty() && !matches!(seg.as_str(), "std" | "core" | "alloc" | "rrlib")
                {
                    if !matches!(&*p.tree, syn::UseTree::Path(_)) {
                        return self.add_variants(file, &seg, &p.tree);
                    }
                    return Err(error(
                        span,
                        format!("`use {seg}::...` is not supported"),
                        "only `std` and `rrlib` can be imported from",
                        "RRust programs are a single file: import only from `std` or `rrlib`",
                    ));
                }
                prefix.push(seg);
                let r = self.add_tree(file, &p.tree, prefix);
                prefix.pop();
                r
            }
            syn::UseTree::Name(n) => {
                let name = n.ident.to_string();
                if name == "self" {
                    let Some(last) = prefix.last() else {
                        return Err(bad_use(span));
                    };
                    self.aliases.insert(last.clone(), canonical(prefix));
                } else {
                    if prefix.is_empty() {
                        return Err(bad_use(span));
                    }
                    let mut full = prefix.clone();
                    full.push(name.clone());
                    self.aliases.insert(name, canonical(&full));
                }
                Ok(())
            }
            syn::UseTree::Rename(r) => {
                if prefix.is_empty() {
                    return Err(bad_use(span));
                }
                let mut full = prefix.clone();
                let name = r.ident.to_string();
                if name != "self" {
                    full.push(name);
                }
                self.aliases.insert(r.rename.to_string(), canonical(&full));
                Ok(())
            }
            syn::UseTree::Glob(_) => {
                let p: Vec<&str> = prefix.iter().map(|s| s.as_str()).collect();
                match p.as_slice() {
                    ["rrlib", "jit"] => {
                        for n in RRLIB_JIT {
                            let full = vec!["rrlib".into(), "jit".into(), n.to_string()];
                            self.aliases.insert(n.to_string(), full);
                        }
                        Ok(())
                    }
                    // The io prelude only holds traits; methods need no path.
                    ["std", "io", "prelude"] => Ok(()),
                    _ => Err(error(
                        span,
                        "glob imports (`use ...::*`) are not supported".into(),
                        "import the names one by one",
                        "write `use std::module::{Name1, Name2};`",
                    )),
                }
            }
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.add_tree(file, t, prefix)?;
                }
                Ok(())
            }
        }
    }

    /// `use Ty::{...}` below `Ty`, a type of this file: its variants.
    fn add_variants(&mut self, file: FileId, ty: &str, tree: &syn::UseTree) -> R<()> {
        let span = span_of(file, tree.span());
        match tree {
            syn::UseTree::Glob(_) => self.variants.push(VariantUse {
                ty: ty.to_string(),
                name: None,
                span,
            }),
            syn::UseTree::Name(n) => {
                let v = n.ident.to_string();
                self.variants.push(VariantUse {
                    ty: ty.to_string(),
                    name: Some((v.clone(), v)),
                    span,
                })
            }
            syn::UseTree::Rename(r) => self.variants.push(VariantUse {
                ty: ty.to_string(),
                name: Some((r.ident.to_string(), r.rename.to_string())),
                span,
            }),
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.add_variants(file, ty, t)?;
                }
            }
            syn::UseTree::Path(_) => {
                return Err(error(
                    span,
                    format!("`use {ty}::...` is not supported"),
                    "only the variants of an enum of this file can be imported",
                    "RRust programs are a single file: import only from `std`, `rrlib` or an \
                     enum (`use Op::*;`)",
                ))
            }
        }
        Ok(())
    }

    /// The canonical form of a path as written in an expression.
    pub fn resolve(&self, segs: &[String]) -> Vec<String> {
        let Some(first) = segs.first() else {
            return vec![];
        };
        let mut full = match self.aliases.get(first) {
            Some(p) => p.clone(),
            None => vec![first.clone()],
        };
        full.extend(segs[1..].iter().cloned());
        canonical(&full)
    }
}

fn bad_use(span: crate::span::Span) -> crate::diag::Diagnostic {
    error(
        span,
        "this form of `use` is not supported".into(),
        "cannot be resolved",
        "write `use std::module::Name;` or `use std::module::{self, Name};`",
    )
}

/// `core::`/`alloc::` -> `std::`; drops the module of prelude-like types.
pub(crate) fn canonical(path: &[String]) -> Vec<String> {
    let mut p: Vec<String> = path.to_vec();
    if let Some(f) = p.first_mut() {
        if f == "core" || f == "alloc" {
            *f = "std".into();
        }
    }
    let strip: &[(&str, &str)] = &[
        ("collections", "HashMap"),
        ("vec", "Vec"),
        ("string", "String"),
        ("boxed", "Box"),
        ("rc", "Rc"),
        ("cell", "RefCell"),
        ("cell", "Cell"),
        ("cell", "Ref"),
        ("cell", "RefMut"),
        ("rc", "Weak"),
        ("option", "Option"),
        ("result", "Result"),
    ];
    if p.len() >= 3 && p[0] == "std" {
        for (m, t) in strip {
            if p[1] == *m && p[2] == *t {
                return p[2..].to_vec();
            }
        }
    }
    p
}

/// Is this canonical path a std (or rrlib) function the later stages know?
pub(crate) fn is_known_function(p: &[String]) -> bool {
    let v: Vec<&str> = p.iter().map(|s| s.as_str()).collect();
    match v.as_slice() {
        // Keep in step with the annotator's `builtins.rs`: a path listed
        // here must be one it can annotate.
        ["std", "io", "stdin" | "stdout" | "stderr"]
        | ["std", "env", "args"]
        | ["std", "fs", "read" | "read_to_string"]
        | ["std", "process", "exit"]
        | ["std", "cmp", "min" | "max"]
        | ["Vec", "new" | "with_capacity"]
        | ["String", "new" | "from" | "with_capacity"]
        | ["HashMap", "new" | "with_capacity"]
        | ["Box", "new"]
        | ["Rc", "new" | "clone" | "ptr_eq"]
        | ["RefCell" | "Cell", "new"]
        | ["rrlib", "jit", "promote" | "we_are_jitted"]
        | ["rrlib", "gc", "identity_hash"] => true,
        [t, "try_from"] => crate::model::IntTy::from_name(t).is_some(),
        _ => false,
    }
}

/// Calls that never return.
pub(crate) fn is_never_returning(p: &[String]) -> bool {
    p.len() == 3 && p[0] == "std" && p[1] == "process" && p[2] == "exit"
}

pub(crate) const KNOWN_FUNCTIONS_HELP: &str =
    "the std functions the translator knows are std::io::{stdin, stdout, stderr}, \
     std::env::args, std::fs::{read, read_to_string}, std::process::exit, \
     std::cmp::{min, max}, Vec::{new, with_capacity}, String::{new, from, with_capacity}, \
     the integer conversions `i64::from(x)` and `u8::try_from(x)`, \
     HashMap::{new, with_capacity}, Box::new, rrlib::jit::{promote, we_are_jitted} and \
     rrlib::gc::identity_hash";
