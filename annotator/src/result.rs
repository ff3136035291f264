//! The result of annotation, as later stages read it: per-variable
//! annotations of the reachable graphs, call resolutions, list/dict
//! definitions, field annotations and the types unsuffixed literals got.

use crate::builtins::Resolution;
use crate::engine::{Annotator, OpError};
use crate::model::*;
use flowspace::model::{Block, GraphId, IntTy, Program, StructId, Var};
use flowspace::Diagnostic;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Default)]
pub struct Annotations {
    /// Reachable graphs in discovery order (the entry first).
    pub reachable: Vec<GraphId>,
    /// Annotation of every variable that holds a value.
    pub vars: HashMap<GraphId, HashMap<Var, SomeValue>>,
    /// What each `MethodCall`/`CallPath` resolved to, by (graph, result).
    pub resolutions: HashMap<(GraphId, Var), Resolution>,
    /// For each `Resolution::DynMethod`: (type, the method it runs), one
    /// per implementor of the trait that declares the method.
    pub dyn_calls: HashMap<(GraphId, Var), Vec<(StructId, GraphId)>>,
    /// For each std method taking a closure (`o.map(f)`): the graph that
    /// runs it, and whether the closure object is its first argument (a
    /// closure's `__call`) or not (a function passed by name).
    pub closure_calls: HashMap<(GraphId, Var), (GraphId, bool)>,
    /// Indexed by `ListDefId`; merged defs hold a copy of their root.
    pub listdefs: Vec<ListDef>,
    pub dictdefs: Vec<DictDef>,
    /// Per struct, per field in declaration order.
    pub fields: HashMap<StructId, Vec<FieldAnn>>,
    /// Return annotation of each reachable graph (`Impossible`: never
    /// returns).
    pub returns: HashMap<GraphId, SomeValue>,
    /// The integer type of each unsuffixed literal operand.
    pub const_ints: HashMap<(GraphId, Site), IntTy>,
    /// The annotation of each constant operand (`"abc"` as a receiver).
    pub consts: HashMap<(GraphId, Site), SomeValue>,
    /// Blocks the annotator reached, per graph (others are dead code).
    pub reached_blocks: HashMap<GraphId, HashSet<Block>>,
}

impl Annotations {
    pub fn var(&self, g: GraphId, v: Var) -> SomeValue {
        self.vars
            .get(&g)
            .and_then(|m| m.get(&v))
            .cloned()
            .unwrap_or(SomeValue::Impossible)
    }
    pub fn listdef(&self, l: ListDefId) -> Option<&ListDef> {
        self.listdefs.get(l.0 as usize)
    }
    pub fn dictdef(&self, d: DictDefId) -> Option<&DictDef> {
        self.dictdefs.get(d.0 as usize)
    }
    pub fn is_reachable(&self, g: GraphId) -> bool {
        self.reached_blocks.contains_key(&g)
    }
    pub fn block_reached(&self, g: GraphId, b: Block) -> bool {
        self.reached_blocks.get(&g).is_some_and(|s| s.contains(&b))
    }
    pub fn const_int_ty(&self, g: GraphId, site: Site) -> Option<IntTy> {
        self.const_ints.get(&(g, site)).copied()
    }
    pub fn const_ann(&self, g: GraphId, site: Site) -> Option<&SomeValue> {
        self.consts.get(&(g, site))
    }
    pub fn resolution(&self, g: GraphId, v: Var) -> Option<Resolution> {
        self.resolutions.get(&(g, v)).copied()
    }
    /// Rust-like name of an annotation (`Vec<u8>`, `Option<usize>`).
    pub fn describe(&self, prog: &Program, a: &SomeValue) -> String {
        describe(prog, self, a)
    }
}

/// Rules on struct definitions, checked whether or not they are used.
pub(crate) fn check_structs(prog: &Program) -> Vec<Diagnostic> {
    let mut out = vec![];
    // The field names assigned anywhere (`p.x = ..`, `self.x += ..`), with
    // the first place. A name is enough: it over-approximates the writes to
    // one struct's fields.
    let mut assigned: std::collections::HashMap<&str, flowspace::span::Span> = Default::default();
    for g in prog.graphs.values() {
        for b in g.blocks.values() {
            for op in &b.ops {
                if let flowspace::model::OpKind::SetField(name) = &op.kind {
                    assigned.entry(name.as_str()).or_insert(op.span);
                }
            }
        }
    }
    for s in prog.structs.values() {
        // A `Copy` value whose fields are never assigned cannot tell a copy
        // from a shared object, so copies share it. Enums are never written
        // after they are built.
        if !s.derives("Copy") || s.is_enum() {
            continue;
        }
        if let Some((f, span)) = s
            .fields
            .iter()
            .find_map(|f| assigned.get(f.name.as_str()).map(|sp| (&f.name, *sp)))
        {
            out.push(
                Diagnostic::error(
                    span,
                    format!(
                        "a field named `{f}` is assigned, and `{}` derives `Copy` with such a field",
                        s.name
                    ),
                )
                .label("assigned here")
                .help(format!(
                    "RRust keeps `Copy` structs unchanged once built (copies share them): build \
                     a new value instead, `p = {} {{ {} }}`, or remove `Copy`",
                    s.name,
                    s.fields
                        .iter()
                        .map(|g| if &g.name == f {
                            format!("{f}: new_{f}")
                        } else {
                            format!("{0}: p.{0}", g.name)
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
        }
    }
    if let Some(main) = prog.graphs.get(prog.entry) {
        if !main.param_tys.is_empty() {
            out.push(Diagnostic::error(
                main.span,
                "`fn main` must not take parameters",
            ));
        }
    }
    out
}

/// Replaces remaining integer variables by rustc's default, `i32`.
fn default_ints(a: SomeValue) -> SomeValue {
    use SomeValue as S;
    match a {
        S::Int {
            kind: IntKind::Var(_),
            nonneg,
            konst,
        } => S::Int {
            kind: IntKind::Ty(IntTy::I32),
            nonneg,
            konst,
        },
        S::Tuple(xs) => S::Tuple(xs.into_iter().map(default_ints).collect()),
        S::Option(x) => S::Option(Box::new(default_ints(*x))),
        S::Result(o, e) => S::Result(Box::new(default_ints(*o)), Box::new(default_ints(*e))),
        other => other,
    }
}

pub(crate) fn finish(mut a: Annotator<'_>) -> (Annotations, Vec<Diagnostic>) {
    // `Rc<T>` is `T` from here on (the same object; see `SomeValue::Rc`).
    let fin = |a: &Annotator<'_>, x: &SomeValue| default_ints(a.canon(x).erase_rc());
    // Literal ranges, now that every literal has its type.
    let lits = a.int_lits.clone();
    for (g, site, span, n) in lits {
        let ty = a
            .lit_vars()
            .get(&(g, site))
            .map(|v| a.resolve_kind(IntKind::Var(*v)));
        let ty = match ty {
            Some(IntKind::Ty(t)) => t,
            _ => IntTy::I32,
        };
        let (lo, hi) = ty.range();
        // A negative literal arrives as `-(n)`, so allow `MIN`'s magnitude.
        let hi_allowed = if ty.signed() { hi + 1 } else { hi };
        if n < lo || n > hi_allowed {
            a.report(
                span,
                OpError::new(format!("literal out of range for `{}`", ty.name()))
                    .help(format!("the range of `{}` is {lo}..={hi}", ty.name())),
            );
        }
    }
    let mut out = Annotations {
        reachable: a.reachable.clone(),
        ..Default::default()
    };
    for (g, m) in &a.var_anns {
        out.vars
            .insert(*g, m.iter().map(|(v, x)| (*v, fin(&a, x))).collect());
    }
    out.resolutions = a.resolutions.clone();
    out.dyn_calls = a.dyn_calls.clone();
    out.closure_calls = a.closure_calls.clone();
    for i in 0..a.listdefs.len() {
        let id = ListDefId(i as u32);
        let root = a.list_root(id);
        if let Some(d) = a.listdefs.get(root.0 as usize) {
            let mut d = d.clone();
            d.item = fin(&a, &d.item);
            d.parent = root;
            out.listdefs.push(d);
        }
    }
    for i in 0..a.dictdefs.len() {
        let id = DictDefId(i as u32);
        let root = a.dict_root(id);
        if let Some(d) = a.dictdefs.get(root.0 as usize) {
            let mut d = d.clone();
            d.key = fin(&a, &d.key);
            d.value = fin(&a, &d.value);
            d.parent = root;
            out.dictdefs.push(d);
        }
    }
    for (s, fs) in &a.fields {
        out.fields.insert(
            *s,
            fs.iter()
                .map(|f| FieldAnn {
                    ann: fin(&a, &f.ann),
                    written_after_construction: f.written_after_construction,
                })
                .collect(),
        );
    }
    for (g, r) in &a.rets {
        out.returns.insert(*g, fin(&a, r));
    }
    for ((g, site), v) in a.lit_vars() {
        let t = match a.resolve_kind(IntKind::Var(*v)) {
            IntKind::Ty(t) => t,
            IntKind::Var(_) => IntTy::I32,
        };
        out.const_ints.insert((*g, *site), t);
    }
    for (k, c) in &a.const_anns {
        out.consts.insert(*k, fin(&a, c));
    }
    out.reached_blocks = a.reached.clone();
    crate::widen::widen_partial(a.prog, &mut out);
    let diags = a.take_diags();
    (out, diags)
}

impl Lookup for Annotations {
    fn int_ty(&self, a: &SomeValue) -> Option<IntTy> {
        a.int_ty()
    }
    fn list_item(&self, l: ListDefId) -> Option<SomeValue> {
        self.listdef(l).map(|d| d.item.clone())
    }
    fn dict_key_value(&self, d: DictDefId) -> Option<(SomeValue, SomeValue)> {
        self.dictdef(d).map(|d| (d.key.clone(), d.value.clone()))
    }
}
