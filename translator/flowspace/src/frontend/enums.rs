//! User `enum` items: their variants, fields and discriminants.
//!
//! An enum is a `StructDef` with an `EnumDef` (see `model.rs`): the fields
//! of all variants are flattened into the def's fields, named
//! `Variant.field`. Expressions and patterns that name a variant
//! (`Op::Add`, `Value::Int(n)`, `Shape::Rect { w, h }`) are in `calls.rs`,
//! `exprs.rs` and `patterns.rs`; they all find the variant here.

use super::builder::FnBuilder;
use super::collect::{syn_err, Items};
use super::consts::lit_const;
use super::reject::{attr_name, bad_attr, check_plain_attrs, error, unsupported, R};
use super::span_of;
use super::types::lower_type;
use crate::model::{Const, EnumDef, FieldDef, IntTy, StructId, VariantDef, VariantShape};
use syn::spanned::Spanned;

/// The fields, derives and variants of an enum item.
pub(crate) fn enum_def(
    items: &Items,
    e: &syn::ItemEnum,
) -> R<(Vec<FieldDef>, Vec<String>, EnumDef)> {
    let file = items.file;
    let mut derives = Vec::new();
    let mut repr = None;
    for a in &e.attrs {
        match attr_name(a).as_str() {
            "derive" => a
                .parse_nested_meta(|m| {
                    derives.push(super::reject::path_string(&m.path));
                    Ok(())
                })
                .map_err(|er| syn_err(file, er))?,
            "repr" => {
                let mut bad = false;
                a.parse_nested_meta(|m| {
                    match m
                        .path
                        .get_ident()
                        .and_then(|i| IntTy::from_name(&i.to_string()))
                    {
                        Some(t) => repr = Some(t),
                        None => bad = true,
                    }
                    Ok(())
                })
                .map_err(|er| syn_err(file, er))?;
                if bad {
                    return Err(unsupported(
                        span_of(file, a.span()),
                        "this `#[repr]`",
                        "use `#[repr(u8)]` (or another integer type) or no `#[repr]`",
                    ));
                }
            }
            "allow" | "doc" => {}
            _ => return Err(bad_attr(file, a, "on an enum")),
        }
    }
    let tp = super::collect::TypeParams {
        own: vec![],
        erased: super::collect::type_params(file, &e.generics)?,
    };
    let mut fields = Vec::new();
    let mut variants: Vec<VariantDef> = Vec::new();
    let mut next: i128 = 0;
    for v in &e.variants {
        // `#[default]` marks the variant `#[derive(Default)]` gives.
        let attrs: Vec<syn::Attribute> = v
            .attrs
            .iter()
            .filter(|a| attr_name(a) != "default")
            .cloned()
            .collect();
        check_plain_attrs(file, &attrs)?;
        let name = v.ident.to_string();
        let span = span_of(file, v.ident.span());
        if variants.iter().any(|x| x.name == name) {
            return Err(error(
                span,
                format!("the variant `{name}` is defined twice"),
                "second definition",
                "rename one of them",
            ));
        }
        let (shape, members): (VariantShape, Vec<&syn::Field>) = match &v.fields {
            syn::Fields::Unit => (VariantShape::Unit, vec![]),
            syn::Fields::Unnamed(u) => (VariantShape::Tuple, u.unnamed.iter().collect()),
            syn::Fields::Named(n) => (VariantShape::Struct, n.named.iter().collect()),
        };
        let first_field = fields.len();
        for (i, f) in members.iter().enumerate() {
            check_plain_attrs(file, &f.attrs)?;
            let fname = match &f.ident {
                Some(id) => id.to_string(),
                None => i.to_string(),
            };
            fields.push(FieldDef {
                name: format!("{name}.{fname}"),
                ty: items.with_type_params(tp.clone(), || lower_type(items, None, &f.ty))?,
                span: span_of(file, f.span()),
            });
        }
        let discriminant = match &v.discriminant {
            None => next,
            Some((_, expr)) => discriminant(items, expr)?,
        };
        next = discriminant + 1;
        variants.push(VariantDef {
            name,
            shape,
            first_field,
            field_count: members.len(),
            discriminant,
            span,
        });
    }
    let def = EnumDef { variants, repr };
    check_discriminants(items, e, &def)?;
    Ok((fields, derives, def))
}

/// An explicit discriminant: an integer literal, possibly negated.
fn discriminant(items: &Items, e: &syn::Expr) -> R<i128> {
    let span = span_of(items.file, e.span());
    let bad = || {
        unsupported(
            span,
            "this discriminant",
            "write an integer literal (`Add = 1`)",
        )
    };
    match e {
        syn::Expr::Lit(l) => match lit_const(items.file, &l.lit)? {
            Const::Int(v, _) => Ok(v),
            _ => Err(bad()),
        },
        syn::Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => {
            Ok(-discriminant(items, &u.expr)?)
        }
        syn::Expr::Paren(p) => discriminant(items, &p.expr),
        _ => Err(bad()),
    }
}

fn check_discriminants(items: &Items, e: &syn::ItemEnum, def: &EnumDef) -> R<()> {
    let file = items.file;
    let explicit = e.variants.iter().any(|v| v.discriminant.is_some());
    if explicit && !def.is_fieldless() {
        return Err(unsupported(
            span_of(file, e.ident.span()),
            "an explicit discriminant on an enum with fields",
            "remove the `= value` parts, or the fields",
        ));
    }
    let ty = def.discr_ty();
    let (lo, hi) = ty.range();
    for (i, v) in def.variants.iter().enumerate() {
        if v.discriminant < lo || v.discriminant > hi {
            return Err(error(
                v.span,
                format!(
                    "the discriminant {} of `{}` does not fit in `{}`",
                    v.discriminant,
                    v.name,
                    ty.name()
                ),
                "out of range",
                &format!("use values in {lo}..={hi}, or another `#[repr]`"),
            ));
        }
        if let Some(w) = def.variants[..i]
            .iter()
            .find(|w| w.discriminant == v.discriminant)
        {
            return Err(error(
                v.span,
                format!(
                    "`{}` and `{}` have the same discriminant {}",
                    w.name, v.name, v.discriminant
                ),
                "duplicate discriminant",
                "give every variant its own value",
            ));
        }
    }
    Ok(())
}

impl FnBuilder<'_> {
    /// `Enum::Variant` or `Self::Variant` (two segments) naming a variant of
    /// a user enum: the enum and the variant's index.
    pub fn variant_of_path(&self, p: &syn::Path) -> Option<(StructId, u32)> {
        let segs: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
        if let [name] = segs.as_slice() {
            return self.variant_named(name);
        }
        let [ty, var] = segs.as_slice() else {
            return None;
        };
        let sid = if ty == "Self" {
            self.self_struct?
        } else {
            *self.items.struct_ids.get(ty)?
        };
        let (i, _) = self.items.structs[sid].variant(var)?;
        Some((sid, i))
    }

    /// The variant a single name refers to through a `use` (the innermost
    /// block's first).
    pub fn variant_named(&self, name: &str) -> Option<(StructId, u32)> {
        if let Some((_, sid, v)) = self.local_variants.iter().rev().find(|(n, ..)| n == name) {
            return Some((*sid, *v));
        }
        self.items.imported_variant(name)
    }

    pub fn variant_def(&self, sid: StructId, variant: u32) -> &VariantDef {
        &self.items.structs[sid]
            .enum_def
            .as_ref()
            .expect("variant_def of an enum")
            .variants[variant as usize]
    }

    /// "`Enum::Variant`", for messages.
    pub fn variant_name(&self, sid: StructId, variant: u32) -> String {
        format!(
            "{}::{}",
            self.items.structs[sid].name,
            self.variant_def(sid, variant).name
        )
    }
}
