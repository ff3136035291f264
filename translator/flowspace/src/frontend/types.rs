//! Types as written in the source -> `Ty`.

use super::collect::Items;
use super::reject::{error, unsupported, R};
use super::span_of;
use crate::model::{IntTy, StructId, Ty};
use syn::spanned::Spanned;

pub(crate) fn lower_type(items: &Items, self_struct: Option<StructId>, ty: &syn::Type) -> R<Ty> {
    let span = span_of(items.file, ty.span());
    match ty {
        syn::Type::Paren(p) => lower_type(items, self_struct, &p.elem),
        syn::Type::Group(g) => lower_type(items, self_struct, &g.elem),
        syn::Type::Never(_) => Ok(Ty::Never),
        syn::Type::Infer(_) => Ok(Ty::Infer),
        syn::Type::Tuple(t) => {
            if t.elems.is_empty() {
                return Ok(Ty::Unit);
            }
            let mut v = Vec::new();
            for e in &t.elems {
                v.push(lower_type(items, self_struct, e)?);
            }
            Ok(Ty::Tuple(v))
        }
        syn::Type::Reference(r) => {
            // Lifetimes (`&'a str`) are erased with the references.
            let inner = lower_type(items, self_struct, &r.elem)?;
            Ok(Ty::Ref {
                mutable: r.mutability.is_some(),
                inner: Box::new(inner),
            })
        }
        syn::Type::Slice(s) => Ok(Ty::Slice(Box::new(lower_type(
            items,
            self_struct,
            &s.elem,
        )?))),
        syn::Type::Array(_) => Err(unsupported(
            span,
            "an array type `[T; N]`",
            "use `Vec<T>` in types (array literals like `[0; 4]` are fine)",
        )),
        syn::Type::Path(p) => lower_path_type(items, self_struct, p, span),
        // `impl Trait` parameters became type parameters (frontend/traits.rs).
        syn::Type::ImplTrait(_) => Err(unsupported(
            span,
            "`impl Trait` as a return or variable type",
            "only a parameter may have an `impl Trait` type; write the concrete type here",
        )),
        syn::Type::TraitObject(o) => dyn_type(items, o, span),
        syn::Type::BareFn(_) => Err(unsupported(
            span,
            "a function pointer type",
            "call the function directly",
        )),
        syn::Type::Ptr(_) => Err(unsupported(
            span,
            "a raw pointer type",
            "use references or owned values",
        )),
        _ => Err(unsupported(
            span,
            "this type",
            "use a type listed in docs/rrust.md",
        )),
    }
}

fn lower_path_type(
    items: &Items,
    self_struct: Option<StructId>,
    p: &syn::TypePath,
    span: crate::span::Span,
) -> R<Ty> {
    if p.qself.is_some() {
        return Err(unsupported(
            span,
            "a qualified type `<T as Trait>::X`",
            "write the type",
        ));
    }
    let segs: Vec<String> = p
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    // A type parameter in scope (it shadows types of the same name).
    if let [name] = segs.as_slice() {
        if let Some(t) = items.type_params.borrow().lookup(name) {
            if matches!(p.path.segments[0].arguments, syn::PathArguments::None) {
                return Ok(t);
            }
        }
    }
    // `type Reg = usize;` stands for its type (aliases of aliases too; a
    // cycle was rejected when the aliases were collected).
    if let [name] = segs.as_slice() {
        if let Some(t) = items.type_aliases.get(name) {
            if matches!(p.path.segments[0].arguments, syn::PathArguments::None) {
                return lower_type(items, self_struct, t);
            }
        }
    }
    let canon = items.uses.resolve(&segs);
    let last = match p.path.segments.last() {
        Some(l) => l,
        None => return Err(unsupported(span, "this type", "write a type name")),
    };
    // Generic arguments of the last segment.
    let mut args = Vec::new();
    match &last.arguments {
        syn::PathArguments::None => {}
        syn::PathArguments::AngleBracketed(a) => {
            for ga in &a.args {
                match ga {
                    syn::GenericArgument::Type(t) => args.push(lower_type(items, self_struct, t)?),
                    syn::GenericArgument::Lifetime(_) => {}
                    _ => {
                        return Err(unsupported(
                            span_of(items.file, ga.span()),
                            "this generic argument",
                            "only type arguments such as `Vec<u8>` are supported",
                        ))
                    }
                }
            }
        }
        syn::PathArguments::Parenthesized(_) => {
            return Err(unsupported(
                span,
                "a closure type",
                "call functions directly",
            ))
        }
    }
    let name: Vec<&str> = canon.iter().map(|s| s.as_str()).collect();
    let arity = |n: usize, what: &str| -> R<()> {
        if args.len() == n {
            Ok(())
        } else {
            Err(error(
                span,
                format!("`{what}` takes {n} type argument(s) here"),
                "wrong number of type arguments",
                "write the type arguments, e.g. `Vec<u8>` or `HashMap<usize, usize>`",
            ))
        }
    };
    let ty = match name.as_slice() {
        [n] if IntTy::from_name(n).is_some() => {
            arity(0, n)?;
            Ty::Int(IntTy::from_name(n).unwrap_or(IntTy::I64))
        }
        ["bool"] => Ty::Bool,
        ["char"] => Ty::Char,
        ["f64"] => Ty::F64,
        ["f32"] => {
            return Err(unsupported(span, "`f32`", "use `f64`"));
        }
        ["i128"] | ["u128"] => {
            return Err(unsupported(
                span,
                "a 128-bit integer type",
                "use `i64` or `u64`",
            ));
        }
        ["str"] => Ty::Str,
        ["String"] => Ty::String,
        ["Vec"] => {
            arity(1, "Vec")?;
            Ty::Vec(Box::new(args.remove(0)))
        }
        ["Box"] => {
            arity(1, "Box")?;
            Ty::Box(Box::new(args.remove(0)))
        }
        ["Rc"] => {
            arity(1, "Rc")?;
            Ty::Rc(Box::new(args.remove(0)))
        }
        ["RefCell"] => {
            arity(1, "RefCell")?;
            Ty::RefCell(Box::new(args.remove(0)))
        }
        ["Cell"] => {
            arity(1, "Cell")?;
            Ty::Cell(Box::new(args.remove(0)))
        }
        ["Ref"] | ["RefMut"] => {
            return Err(unsupported(
                span,
                "a `RefCell` guard type (`Ref`, `RefMut`) in a signature or a field",
                "pass the value itself (`&T` or `&mut T`, which a guard derefs to), or the \
                 `RefCell` and borrow it where it is used",
            ));
        }
        ["Weak"] => {
            return Err(unsupported(
                span,
                "`Weak`",
                "use an `Rc` (a collector frees cycles of `Rc`s), or an index into a `Vec`",
            ));
        }
        ["Option"] => {
            arity(1, "Option")?;
            Ty::Option(Box::new(args.remove(0)))
        }
        ["HashMap"] => {
            arity(2, "HashMap")?;
            let k = args.remove(0);
            let v = args.remove(0);
            Ty::HashMap(Box::new(k), Box::new(v))
        }
        ["Self"] => match self_struct {
            Some(s) => Ty::Struct(s),
            None => {
                return Err(error(
                    span,
                    "`Self` outside an `impl` block".into(),
                    "no `impl` here",
                    "write the struct's name",
                ))
            }
        },
        [n] if items.struct_ids.contains_key(*n) => {
            let want = items
                .struct_ids
                .get(*n)
                .map_or(0, |id| items.structs[*id].type_params);
            arity(want, n)?;
            match items.struct_ids.get(*n) {
                Some(id) => Ty::Struct(*id),
                None => Ty::Infer,
            }
        }
        // A `Formatter` is the text being built (`write!(f, ..)` appends).
        ["std", "fmt", "Formatter"] => Ty::String,
        ["std", "fmt", "Result"] => {
            arity(0, "fmt::Result")?;
            Ty::Result(Box::new(Ty::Unit), Box::new(Ty::FmtError))
        }
        ["std", "fmt", "Error"] => Ty::FmtError,
        ["std", "num", "ParseIntError"] => Ty::ParseIntError,
        ["std", "num", "ParseFloatError"] => Ty::ParseFloatError,
        ["std", "num", "TryFromIntError"] => Ty::TryFromIntError,
        ["Result"] => {
            arity(2, "Result")?;
            let o = args.remove(0);
            let e = args.remove(0);
            Ty::Result(Box::new(o), Box::new(e))
        }
        _ => {
            return Err(error(
                span,
                format!("unknown type `{}`", canon.join("::")),
                "not a type the translator knows",
                "use integers, bool, char, f64, String, &str, Vec<T>, &[T], Option<T>, \
                 Box<T>, HashMap<K, V>, tuples or your own structs",
            ))
        }
    };
    Ok(ty)
}

/// `dyn Trait` of a trait of the file (lifetime bounds are erased).
fn dyn_type(items: &Items, o: &syn::TypeTraitObject, span: crate::span::Span) -> R<Ty> {
    let traits: Vec<&syn::TraitBound> = o
        .bounds
        .iter()
        .filter_map(|b| match b {
            syn::TypeParamBound::Trait(t) => Some(t),
            _ => None,
        })
        .collect();
    let name = match traits.as_slice() {
        [t] if t.path.segments.len() == 1 && t.path.segments[0].arguments.is_empty() => {
            t.path.segments[0].ident.to_string()
        }
        [t] => t
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default(),
        _ => {
            return Err(unsupported(
                span,
                "a `dyn` type of several traits",
                "name one trait of this file: `dyn Shape`",
            ))
        }
    };
    // The closure traits are one here (closures.rs).
    let name = match name.as_str() {
        "FnMut" | "FnOnce" => "Fn".to_string(),
        _ => name,
    };
    match items.trait_id(&name) {
        Some(t) => Ok(Ty::Dyn(t)),
        None => Err(unsupported(
            span,
            &format!("`dyn {name}`"),
            "a trait object must be of a trait of this file or a closure type (`dyn Fn(i64) -> \
             i64`); std traits such as `Display` cannot be used as `dyn` yet: take a generic \
             parameter `<T: Trait>`, or use an `enum` with one variant per type",
        )),
    }
}
