//! The items of the file: structs, fns, impl blocks, consts, uses. Builds
//! the `Program`: first every name and signature, then every body.

use super::builder::FnBuilder;
use super::consts::{ConstEval, PendingConst};
use super::paths::UseMap;
use super::reject::{attr_name, bad_attr, check_plain_attrs, error, join, unsupported, R};
use super::span_of;
use super::types::lower_type;
use crate::diag::Diagnostic;
use crate::model::{
    Const, FieldDef, FnHints, FunctionGraph, GraphId, MergePoint, Program, SelfKind, StructDef,
    StructId, TraitDef, TraitId, Ty,
};
use crate::span::{FileId, Span};
use cranelift_entity::{EntityRef, PrimaryMap};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use syn::spanned::Spanned;

/// Everything the bodies may refer to.
pub(crate) struct Items {
    pub file: FileId,
    pub uses: UseMap,
    pub struct_ids: HashMap<String, StructId>,
    pub structs: PrimaryMap<StructId, StructDef>,
    /// `name` for free fns, `Struct::name` for methods and associated fns.
    pub fns: HashMap<String, GraphId>,
    /// Functions declared `-> !`.
    pub never_fns: HashSet<GraphId>,
    pub consts: HashMap<String, Const>,
    /// `type Name = T;` (without generics), by name.
    pub type_aliases: HashMap<String, syn::Type>,
    /// Enum variants imported by name (`use Op::Add;`, also renamed).
    pub variant_names: HashMap<String, (StructId, u32)>,
    /// Enums whose variants are all imported (`use Op::*;`).
    pub variant_globs: Vec<StructId>,
    /// The type parameters in scope where types are being lowered.
    pub type_params: RefCell<TypeParams>,
    /// The traits of the file (for `dyn Trait` types).
    pub traits: PrimaryMap<TraitId, TraitDef>,
}

impl Items {
    pub fn trait_id(&self, name: &str) -> Option<TraitId> {
        self.traits
            .iter()
            .find(|(_, t)| t.name == name)
            .map(|(id, _)| id)
    }
}

/// Type parameter names in scope: the function's own (`fn f<T>`, each a
/// `Ty::Param`) and those of the enclosing `impl<T>` or of the struct
/// whose fields are read (erased: `Ty::Infer`, as generic types have one
/// layout for all their uses).
#[derive(Clone, Default)]
pub(crate) struct TypeParams {
    pub own: Vec<String>,
    pub erased: Vec<String>,
}

impl TypeParams {
    /// What the type name `n` stands for, if it is a type parameter.
    pub fn lookup(&self, n: &str) -> Option<Ty> {
        if let Some(i) = self.own.iter().position(|p| p == n) {
            return Some(Ty::Param(i as u32));
        }
        self.erased.iter().any(|p| p == n).then_some(Ty::Infer)
    }
}

/// Variants imported by name (alias, enum, variant) and enums imported with `*`.
pub(crate) type VariantImports = (Vec<(String, (StructId, u32))>, Vec<StructId>);

impl Items {
    /// Runs `f` with `tp` as the type parameters in scope.
    pub fn with_type_params<T>(&self, tp: TypeParams, f: impl FnOnce() -> T) -> T {
        let old = self.type_params.replace(tp);
        let r = f();
        self.type_params.replace(old);
        r
    }

    /// The variant a single name refers to through a top-level `use`.
    pub fn imported_variant(&self, name: &str) -> Option<(StructId, u32)> {
        if let Some(v) = self.variant_names.get(name) {
            return Some(*v);
        }
        self.variant_globs
            .iter()
            .find_map(|sid| self.structs[*sid].variant(name).map(|(i, _)| (*sid, i)))
    }

    /// Checks the variant imports of `uses` against the enums; returns the
    /// named ones and the globs.
    pub fn resolve_variant_uses(&self, uses: &[super::paths::VariantUse]) -> R<VariantImports> {
        let mut names = Vec::new();
        let mut globs = Vec::new();
        for u in uses {
            let sid = match self.struct_ids.get(&u.ty) {
                Some(sid) if self.structs[*sid].is_enum() => *sid,
                _ => {
                    return Err(error(
                        u.span,
                        format!("`use {}::...` is not supported", u.ty),
                        "only the variants of an enum of this file can be imported",
                        "RRust programs are a single file: import only from `std`, `rrlib` or \
                         an enum of the file (`use Op::*;`)",
                    ))
                }
            };
            match &u.name {
                None => globs.push(sid),
                Some((v, alias)) => match self.structs[sid].variant(v) {
                    Some((i, _)) => names.push((alias.clone(), (sid, i))),
                    None => {
                        return Err(error(
                            u.span,
                            format!("the enum `{}` has no variant `{v}`", u.ty),
                            "not a variant",
                            "import one of its variants, or all of them with `*`",
                        ))
                    }
                },
            }
        }
        Ok((names, globs))
    }
}

/// A fn item or a method, before its signature is read.
struct FnItem<'a> {
    attrs: &'a [syn::Attribute],
    sig: &'a syn::Signature,
    body: &'a syn::Block,
    sid: Option<StructId>,
    /// The type parameters of the enclosing `impl<T>`.
    impl_params: Vec<String>,
}

/// A function whose body is still to be lowered.
struct FnSource<'a> {
    sig: &'a syn::Signature,
    body: &'a syn::Block,
    self_struct: Option<StructId>,
    type_params: TypeParams,
}

pub(crate) fn build(
    file: FileId,
    ast: &syn::File,
    table: &super::traits::TraitTable,
    end: Span,
) -> Result<Program, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let mut items = Items {
        file,
        uses: UseMap::default(),
        struct_ids: HashMap::new(),
        structs: PrimaryMap::new(),
        fns: HashMap::new(),
        never_fns: HashSet::new(),
        consts: HashMap::new(),
        variant_names: HashMap::new(),
        variant_globs: Vec::new(),
        type_aliases: HashMap::new(),
        type_params: RefCell::new(TypeParams::default()),
        traits: PrimaryMap::new(),
    };
    for (name, methods, _) in &table.traits {
        items.traits.push(TraitDef {
            name: name.clone(),
            methods: methods.clone(),
            implementors: Vec::new(),
            supertraits: Vec::new(),
            std_supertraits: Vec::new(),
        });
    }
    for (k, (_, _, supers)) in table.traits.iter().enumerate() {
        for sup in supers {
            let t = TraitId::new(k);
            match items.trait_id(sup) {
                Some(st) => items.traits[t].supertraits.push(st),
                None => items.traits[t].std_supertraits.push(sup.clone()),
            }
        }
    }
    if let Err(d) = check_plain_attrs(file, &ast.attrs) {
        diags.push(d);
    }
    let mut pending: HashMap<String, PendingConst> = HashMap::new();
    let mut struct_items = Vec::new();
    let mut enum_items = Vec::new();
    let mut fn_items: Vec<FnItem> = Vec::new();
    let mut impl_items = Vec::new();

    // Pass 1: names.
    for item in &ast.items {
        let span = span_of(file, item.span());
        let r: R<()> = (|| {
            match item {
                syn::Item::Use(u) => {
                    check_plain_attrs(file, &u.attrs)?;
                    items.uses.add_use(file, u)?;
                }
                syn::Item::Struct(s) => {
                    let n = type_params(file, &s.generics)?.len();
                    let id = declare_type(&mut items, s.ident.to_string(), None, span, span, n)?;
                    struct_items.push((s, id));
                }
                syn::Item::Enum(e) => {
                    let def = crate::model::EnumDef {
                        variants: vec![],
                        repr: None,
                    };
                    let n = type_params(file, &e.generics)?.len();
                    let id = declare_type(
                        &mut items,
                        e.ident.to_string(),
                        Some(def),
                        span,
                        span_of(file, e.ident.span()),
                        n,
                    )?;
                    enum_items.push((e, id));
                }
                syn::Item::Const(c) => {
                    check_plain_attrs(file, &c.attrs)?;
                    no_generics(file, &c.generics)?;
                    add_pending(&mut pending, c.ident.to_string(), &c.ty, &c.expr, span)?;
                }
                syn::Item::Static(s) => {
                    check_plain_attrs(file, &s.attrs)?;
                    if !matches!(s.mutability, syn::StaticMutability::None) {
                        return Err(unsupported(
                            span,
                            "`static mut`",
                            "pass the state around in a struct instead of a global",
                        ));
                    }
                    add_pending(&mut pending, s.ident.to_string(), &s.ty, &s.expr, span)?;
                }
                syn::Item::Fn(f) => fn_items.push(FnItem {
                    attrs: &f.attrs,
                    sig: &f.sig,
                    body: &f.block,
                    sid: None,
                    impl_params: vec![],
                }),
                syn::Item::Impl(i) => impl_items.push(i),
                syn::Item::Trait(t) => {
                    return Err(unsupported(
                        join(file, t.trait_token.span, t.ident.span()),
                        "a `trait`",
                        "traits are not supported yet; write plain functions or methods",
                    ))
                }
                syn::Item::TraitAlias(_) => {
                    return Err(unsupported(
                        span,
                        "a `trait`",
                        "traits are not supported yet; write plain functions or methods",
                    ))
                }
                syn::Item::Mod(m) => {
                    return Err(unsupported(
                        join(file, m.mod_token.span, m.ident.span()),
                        "a `mod`",
                        "an RRust program is one file; put the items at the top level",
                    ))
                }
                syn::Item::Macro(m) => {
                    let what = if m.mac.path.is_ident("macro_rules") {
                        "a `macro_rules!` definition"
                    } else {
                        "a macro call at the top level"
                    };
                    let end = m
                        .ident
                        .as_ref()
                        .map(|i| i.span())
                        .unwrap_or(m.mac.bang_token.span);
                    return Err(unsupported(
                        join(file, m.mac.path.span(), end),
                        what,
                        "write the code out as functions",
                    ));
                }
                syn::Item::Type(t) => {
                    check_plain_attrs(file, &t.attrs)?;
                    if !t.generics.params.is_empty() {
                        return Err(unsupported(
                            span_of(file, t.generics.span()),
                            "a generic `type` alias",
                            "write the type itself",
                        ));
                    }
                    let name = t.ident.to_string();
                    if items.type_aliases.contains_key(&name)
                        || items.struct_ids.contains_key(&name)
                    {
                        return Err(duplicate(span, &name));
                    }
                    if alias_refers_to(&t.ty, &name, &items.type_aliases) {
                        return Err(error(
                            span,
                            format!("the type alias `{name}` refers to itself"),
                            "cycle",
                            "give the alias a concrete type",
                        ));
                    }
                    items.type_aliases.insert(name, (*t.ty).clone());
                }
                syn::Item::Union(_) => return Err(unsupported(span, "a `union`", "use a struct")),
                syn::Item::ExternCrate(_) | syn::Item::ForeignMod(_) => {
                    return Err(unsupported(
                        span,
                        "`extern`",
                        "RRust programs use only `std` and `rrlib`",
                    ))
                }
                _ => return Err(unsupported(span, "this item", "remove it")),
            }
            Ok(())
        })();
        if let Err(d) = r {
            diags.push(d);
        }
    }

    // Which types implement the traits of the file (an impl for a type
    // that is not a struct or enum of the file was rejected when it was
    // expanded).
    for (tr, ty) in &table.impls {
        if let (Some(t), Some(&s)) = (items.trait_id(tr), items.struct_ids.get(ty)) {
            items.traits[t].implementors.push(s);
        }
    }

    // Pass 2: struct fields.
    for (s, id) in &struct_items {
        match struct_def(&items, s) {
            Ok((fields, derives)) => {
                items.structs[*id].fields = fields;
                items.structs[*id].derives = derives;
            }
            Err(d) => diags.push(d),
        }
    }
    for (e, id) in &enum_items {
        match super::enums::enum_def(&items, e) {
            Ok((fields, derives, def)) => {
                let s = &mut items.structs[*id];
                s.fields = fields;
                s.derives = derives;
                s.enum_def = Some(def);
            }
            Err(d) => diags.push(d),
        }
    }

    // Imports of enum variants, now that the enums are known.
    match items.resolve_variant_uses(&items.uses.variants) {
        Ok((names, globs)) => {
            items.variant_names.extend(names);
            items.variant_globs = globs;
        }
        Err(d) => diags.push(d),
    }

    // Impl blocks: check the header, then collect their fns.
    for i in &impl_items {
        match impl_struct(&items, i) {
            Ok((sid, impl_params)) => {
                for it in &i.items {
                    match it {
                        syn::ImplItem::Fn(f) => {
                            fn_items.push(FnItem {
                                attrs: &f.attrs,
                                sig: &f.sig,
                                body: &f.block,
                                sid: Some(sid),
                                impl_params: impl_params.clone(),
                            });
                        }
                        // `impl T { const N: usize = 3; }` is the constant `T::N`.
                        syn::ImplItem::Const(c) => {
                            let r = check_plain_attrs(file, &c.attrs)
                                .and_then(|_| no_generics(file, &c.generics))
                                .and_then(|_| {
                                    let name = format!("{}::{}", items.structs[sid].name, c.ident);
                                    let span = span_of(file, c.span());
                                    add_pending(&mut pending, name, &c.ty, &c.expr, span)
                                });
                            if let Err(d) = r {
                                diags.push(d);
                            }
                        }
                        _ => diags.push(unsupported(
                            span_of(file, it.span()),
                            "this item inside `impl`",
                            "only methods, associated functions and `const`s may appear in an \
                             `impl` block",
                        )),
                    }
                }
            }
            Err(d) => diags.push(d),
        }
    }

    // Consts.
    {
        let mut ev = ConstEval {
            items: &items,
            pending: &pending,
            done: HashMap::new(),
            visiting: vec![],
        };
        let mut names: Vec<&String> = pending.keys().collect();
        names.sort();
        for n in names {
            ev.visiting.clear();
            if let Err(d) = ev.eval_named(n) {
                diags.push(d);
            }
        }
        let done = ev.done;
        items.consts = done;
    }

    // Pass 3: signatures.
    let mut graphs: PrimaryMap<GraphId, FunctionGraph> = PrimaryMap::new();
    let mut sources: Vec<FnSource> = Vec::new();
    for f in &fn_items {
        let sid = &f.sid;
        let qual = match sid {
            Some(s) => format!("{}::{}", items.structs[*s].name, f.sig.ident),
            None => f.sig.ident.to_string(),
        };
        let span = span_of(file, f.sig.ident.span());
        if items.fns.contains_key(&qual) {
            diags.push(duplicate(span, &qual));
            continue;
        }
        let tp = match type_params(file, &f.sig.generics) {
            Ok(own) => TypeParams {
                own,
                erased: f.impl_params.clone(),
            },
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        let sig = items.with_type_params(tp.clone(), || {
            signature(&items, f, *sid, qual.clone(), span)
        });
        match sig {
            Ok(mut g) => {
                g.generics = tp.own.clone();
                let never = g.ret_ty == Ty::Never;
                let id = graphs.push(g);
                if never {
                    items.never_fns.insert(id);
                }
                items.fns.insert(qual, id);
                sources.push(FnSource {
                    sig: f.sig,
                    body: f.body,
                    self_struct: *sid,
                    type_params: tp,
                });
            }
            Err(d) => diags.push(d),
        }
    }
    for (id, g) in graphs.iter() {
        if let Some(mp) = &g.hints.merge_point {
            if let Some(gpl) = &mp.get_printable_location {
                if !items.fns.contains_key(gpl) {
                    diags.push(error(
                        g.span,
                        format!("`get_printable_location = {gpl}` names no function"),
                        "in this function's #[jit_merge_point]",
                        "name a free function taking the green variables",
                    ));
                }
            }
        }
        let _ = id;
    }
    if !diags.is_empty() {
        return Err(diags);
    }

    // Pass 4: bodies.
    for ((_, g), src) in graphs.iter_mut().zip(sources.iter()) {
        let r = items.with_type_params(src.type_params.clone(), || {
            FnBuilder::new(&items, g, src.self_struct).lower_body(src.sig, src.body)
        });
        if let Err(d) = r {
            diags.push(d);
        }
    }
    let entry = match items.fns.get("main") {
        Some(id) => *id,
        None => {
            diags.push(
                Diagnostic::error(end, "the program has no `fn main()`")
                    .label("the file ends here without a `fn main()`")
                    .help("add `fn main() { ... }`: it is where the program starts"),
            );
            return Err(diags);
        }
    };
    let result_entry = items.fns.get(super::entry::RESULT_ENTRY).copied();
    if !graphs[entry].param_tys.is_empty() {
        diags.push(error(
            graphs[entry].span,
            "`main` takes no parameters".into(),
            "has parameters",
            "read arguments with `std::env::args()`",
        ));
    }
    let returns_result = matches!(graphs[entry].ret_ty, Ty::Result(..));
    if !matches!(graphs[entry].ret_ty, Ty::Unit | Ty::Never) && !returns_result {
        diags.push(error(
            graphs[entry].span,
            "`main` returns a value".into(),
            "declared with a return type",
            "`main` returns `()` or `Result<(), E>`; end the program with \
             `std::process::exit(code)` to set its exit status",
        ));
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let entry = match (returns_result, result_entry) {
        (true, Some(e)) => e,
        _ => entry,
    };
    let structs = std::mem::take(&mut items.structs);
    let traits = std::mem::take(&mut items.traits);
    Ok(Program {
        structs,
        traits,
        graphs,
        entry,
    })
}

fn duplicate(span: crate::span::Span, name: &str) -> Diagnostic {
    error(
        span,
        format!("`{name}` is defined twice"),
        "second definition",
        "rename one of them",
    )
}

/// Registers the name of a struct (`enum_def: None`) or an enum, its
/// fields to be filled once all names are known; `item` is where a
/// duplicate is reported, `span` the definition's own.
fn declare_type(
    items: &mut Items,
    name: String,
    enum_def: Option<crate::model::EnumDef>,
    item: Span,
    span: Span,
    type_params: usize,
) -> R<StructId> {
    if items.struct_ids.contains_key(&name) {
        return Err(duplicate(item, &name));
    }
    let id = items.structs.push(StructDef {
        name: name.clone(),
        fields: vec![],
        derives: vec![],
        enum_def,
        span,
        type_params,
    });
    items.struct_ids.insert(name, id);
    Ok(id)
}

/// Whether `ty` mentions `name`, directly or through the aliases known.
fn alias_refers_to(ty: &syn::Type, name: &str, aliases: &HashMap<String, syn::Type>) -> bool {
    use syn::visit::Visit;
    struct Finder<'a> {
        name: &'a str,
        aliases: &'a HashMap<String, syn::Type>,
        depth: usize,
        found: bool,
    }
    impl<'ast> Visit<'ast> for Finder<'_> {
        fn visit_path(&mut self, p: &'ast syn::Path) {
            if let Some(i) = p.get_ident() {
                let i = i.to_string();
                if i == self.name {
                    self.found = true;
                } else if let Some(t) = self.aliases.get(&i) {
                    if self.depth < 64 {
                        self.depth += 1;
                        self.visit_type(t);
                        self.depth -= 1;
                    }
                }
            }
            syn::visit::visit_path(self, p);
        }
    }
    let mut f = Finder {
        name,
        aliases,
        depth: 0,
        found: false,
    };
    f.visit_type(ty);
    f.found
}

fn add_pending<'a>(
    pending: &mut HashMap<String, PendingConst<'a>>,
    name: String,
    ty: &'a syn::Type,
    expr: &'a syn::Expr,
    span: crate::span::Span,
) -> R<()> {
    if pending.contains_key(&name) {
        return Err(duplicate(span, &name));
    }
    pending.insert(name, PendingConst { ty, expr, span });
    Ok(())
}

/// The names of the type parameters of `g`. Lifetimes are erased (as all
/// references are) and bounds were checked by rustc; const parameters
/// are rejected.
pub(crate) fn type_params(file: FileId, g: &syn::Generics) -> R<Vec<String>> {
    let mut names = Vec::new();
    for p in &g.params {
        match p {
            syn::GenericParam::Lifetime(_) => {}
            syn::GenericParam::Type(t) => {
                if t.default.is_some() {
                    return Err(unsupported(
                        span_of(file, t.span()),
                        "a default type parameter",
                        "remove the default and write the type at each use",
                    ));
                }
                names.push(t.ident.to_string());
            }
            syn::GenericParam::Const(c) => {
                return Err(unsupported(
                    span_of(file, c.span()),
                    "a const generic parameter",
                    "take a slice `&[T]` where the parameter is an array `[T; N]` of any length, or pass the number as an ordinary parameter",
                ))
            }
        }
    }
    Ok(names)
}

fn no_generics(file: FileId, g: &syn::Generics) -> R<()> {
    if !g.params.is_empty() || g.where_clause.is_some() {
        return Err(unsupported(
            span_of(file, g.span()),
            "a generic parameter (type or lifetime)",
            "write the function for the concrete types it is used with, and drop lifetimes: \
             the translator erases references",
        ));
    }
    Ok(())
}

fn struct_def(items: &Items, s: &syn::ItemStruct) -> R<(Vec<FieldDef>, Vec<String>)> {
    let file = items.file;
    let mut derives = Vec::new();
    for a in &s.attrs {
        match attr_name(a).as_str() {
            "derive" => {
                a.parse_nested_meta(|m| {
                    derives.push(super::reject::path_string(&m.path));
                    Ok(())
                })
                .map_err(|e| syn_err(file, e))?;
            }
            "allow" | "doc" => {}
            _ => return Err(bad_attr(file, a, "on a struct")),
        }
    }
    let tp = TypeParams {
        own: vec![],
        erased: type_params(file, &s.generics)?,
    };
    let mut fields = Vec::new();
    for (i, f) in s.fields.iter().enumerate() {
        check_plain_attrs(file, &f.attrs)?;
        let name = match &f.ident {
            Some(id) => id.to_string(),
            None => i.to_string(),
        };
        fields.push(FieldDef {
            name,
            ty: items.with_type_params(tp.clone(), || lower_type(items, None, &f.ty))?,
            span: span_of(file, f.span()),
        });
    }
    Ok((fields, derives))
}

pub(crate) fn syn_err(file: FileId, e: syn::Error) -> Diagnostic {
    error(
        span_of(file, e.span()),
        format!("cannot read this attribute: {e}"),
        "here",
        "write it as in docs/rrust.md, e.g. #[jit_merge_point(greens(pc), reds(frame))]",
    )
}

/// The struct or enum an `impl` block is for, and the block's type
/// parameters.
fn impl_struct(items: &Items, i: &syn::ItemImpl) -> R<(StructId, Vec<String>)> {
    let file = items.file;
    let span = span_of(file, i.self_ty.span());
    if let Some((_, path, _)) = &i.trait_ {
        return Err(unsupported(
            span_of(file, path.span()),
            "`impl Trait for Type`",
            "traits are not supported yet; put the methods in a plain `impl Type { ... }`",
        ));
    }
    check_plain_attrs(file, &i.attrs)?;
    let params = type_params(file, &i.generics)?;
    if i.unsafety.is_some() {
        return Err(unsupported(span, "`unsafe impl`", "remove `unsafe`"));
    }
    if let syn::Type::Path(p) = &*i.self_ty {
        if p.qself.is_none() && p.path.segments.len() == 1 {
            let seg = &p.path.segments[0];
            if let Some(id) = items.struct_ids.get(&seg.ident.to_string()) {
                // `impl<T> Stack<T>`: the arguments name the parameters.
                let only_lifetimes = match &seg.arguments {
                    syn::PathArguments::AngleBracketed(a) => a
                        .args
                        .iter()
                        .all(|g| matches!(g, syn::GenericArgument::Lifetime(_))),
                    _ => seg.arguments.is_empty(),
                };
                if !only_lifetimes && items.structs[*id].type_params == 0 {
                    return Err(unsupported(span, "generic arguments here", "remove them"));
                }
                return Ok((*id, params));
            }
        }
    }
    Err(error(
        span,
        "`impl` blocks are only supported for structs and enums of this file".into(),
        "not a struct or enum defined in this file",
        "define a struct with `struct Name { ... }` and write `impl Name { ... }`",
    ))
}

fn hints(items: &Items, attrs: &[syn::Attribute]) -> R<FnHints> {
    let file = items.file;
    let mut h = FnHints::default();
    for a in attrs {
        let full = attr_name(a);
        let name = full.rsplit("::").next().unwrap_or("").to_string();
        let plain = !matches!(a.meta, syn::Meta::List(_) | syn::Meta::NameValue(_));
        match name.as_str() {
            "purefunction" | "elidable" if plain => h.purefunction = true,
            "dont_look_inside" if plain => h.dont_look_inside = true,
            "unroll_safe" if plain => h.unroll_safe = true,
            "inline" | "allow" | "doc" | "expect" => {}
            "jit_merge_point" => h.merge_point = Some(merge_point(file, a)?),
            _ => return Err(bad_attr(file, a, "on a function")),
        }
    }
    Ok(h)
}

fn merge_point(file: FileId, a: &syn::Attribute) -> R<MergePoint> {
    let mut mp = MergePoint {
        span: Some(span_of(file, a.span())),
        ..MergePoint::default()
    };
    let mut seen_greens = false;
    a.parse_nested_meta(|m| {
        let key = super::reject::path_string(&m.path);
        match key.as_str() {
            "greens" | "reds" => {
                // `greens()` is valid (RPython's `greens=[]`): read the
                // list as paths separated by commas, possibly none.
                let content;
                syn::parenthesized!(content in m.input);
                let paths =
                    syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated(
                        &content,
                    )?;
                let names: Vec<String> = paths.iter().map(super::reject::path_string).collect();
                if key == "greens" {
                    seen_greens = true;
                    mp.greens = names;
                } else {
                    mp.reds = names;
                }
            }
            "get_printable_location" => {
                let id: syn::Ident = m.value()?.parse()?;
                mp.get_printable_location = Some(id.to_string());
            }
            _ => {
                return Err(
                    m.error("expected `greens(..)`, `reds(..)` or `get_printable_location = f`")
                )
            }
        }
        Ok(())
    })
    .map_err(|e| syn_err(file, e))?;
    if !seen_greens {
        return Err(error(
            span_of(file, a.span()),
            "#[jit_merge_point] needs `greens(..)`".into(),
            "no greens",
            "list the variables that identify the position in the user program, e.g. \
             #[jit_merge_point(greens(pc, program), reds(frame))]",
        ));
    }
    Ok(mp)
}

fn signature(
    items: &Items,
    f: &FnItem,
    sid: Option<StructId>,
    name: String,
    span: crate::span::Span,
) -> R<FunctionGraph> {
    let file = items.file;
    let sig = f.sig;
    if let Some(a) = &sig.asyncness {
        return Err(unsupported(
            span_of(file, a.span()),
            "`async fn`",
            "write a plain `fn`",
        ));
    }
    if let Some(u) = &sig.unsafety {
        return Err(unsupported(
            span_of(file, u.span()),
            "`unsafe fn`",
            "remove `unsafe`",
        ));
    }
    if let Some(x) = &sig.abi {
        return Err(unsupported(
            span_of(file, x.span()),
            "`extern fn`",
            "write a plain `fn`",
        ));
    }
    if sig.variadic.is_some() {
        return Err(unsupported(
            span,
            "a variadic function",
            "write a plain `fn`",
        ));
    }
    let mut g = FunctionGraph::new(name, span);
    g.impl_of = sid;
    g.hints = hints(items, f.attrs)?;
    for arg in &sig.inputs {
        match arg {
            syn::FnArg::Receiver(r) => {
                let Some(s) = sid else {
                    return Err(internal_self(file, r));
                };
                if r.colon_token.is_some() {
                    return Err(unsupported(
                        span_of(file, r.span()),
                        "a typed `self` parameter",
                        "write `self`, `&self` or `&mut self`",
                    ));
                }
                let (kind, ty) = match &r.reference {
                    None => (SelfKind::Value, Ty::Struct(s)),
                    Some((_, lt)) => {
                        if lt.is_some() {
                            return Err(unsupported(
                                span_of(file, r.span()),
                                "a named lifetime",
                                "write `&self` or `&mut self`",
                            ));
                        }
                        let m = r.mutability.is_some();
                        (
                            if m { SelfKind::RefMut } else { SelfKind::Ref },
                            Ty::Ref {
                                mutable: m,
                                inner: Box::new(Ty::Struct(s)),
                            },
                        )
                    }
                };
                g.self_kind = Some(kind);
                g.param_tys.push(ty);
            }
            syn::FnArg::Typed(t) => {
                let ty = lower_type(items, sid, &t.ty)?;
                // The caller passes a cell for `&mut` to a scalar.
                let ty = match ty.scalar_mut_ref() {
                    Some(inner) => Ty::Vec(Box::new(inner.clone())),
                    None => ty,
                };
                g.param_tys.push(ty);
            }
        }
    }
    g.ret_ty = match &sig.output {
        syn::ReturnType::Default => Ty::Unit,
        syn::ReturnType::Type(_, t) => lower_type(items, sid, t)?,
    };
    Ok(g)
}

fn internal_self(file: FileId, r: &syn::Receiver) -> Diagnostic {
    error(
        span_of(file, r.span()),
        "`self` outside an `impl` block".into(),
        "no `impl` here",
        "move the function into `impl Name { ... }`",
    )
}
