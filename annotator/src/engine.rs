//! The annotator's state and the lattice operations: `union`, integer type
//! variables, list/dict definitions, field annotations, and the worklist
//! fixpoint over blocks (the per-operation rules are in `ops.rs`).

use crate::builtins::Resolution;
use crate::model::*;
use flowspace::model::{
    Block, Const, Exit, GraphId, IntTy, Program, StructId, TraitId, Ty, Value, Var,
};
use flowspace::{Diagnostic, Span};
use std::collections::{HashMap, HashSet, VecDeque};

/// An error of one operation, given a span by the caller.
#[derive(Debug)]
pub(crate) struct OpError {
    pub msg: String,
    pub help: Option<String>,
}

impl OpError {
    pub fn new(msg: impl Into<String>) -> OpError {
        OpError {
            msg: msg.into(),
            help: None,
        }
    }
    pub fn help(mut self, h: impl Into<String>) -> OpError {
        self.help = Some(h.into());
        self
    }
}

/// Upper bound of whole-program reflow rounds; the lattice has finite
/// height, so this only guards against a bug turning into a hang.
const MAX_ROUNDS: usize = 10_000;

type DiagKey = (u32, u32, u32, String);

pub(crate) struct Annotator<'p> {
    pub prog: &'p Program,
    int_parent: Vec<u32>,
    int_bound: Vec<Option<IntTy>>,
    /// Span of the literal that created each int variable (range checks).
    pub int_lits: Vec<(GraphId, Site, Span, i128)>,
    pub listdefs: Vec<ListDef>,
    pub dictdefs: Vec<DictDef>,
    pub fields: HashMap<StructId, Vec<FieldAnn>>,
    pub rets: HashMap<GraphId, SomeValue>,
    pub var_anns: HashMap<GraphId, HashMap<Var, SomeValue>>,
    decl_anns: HashMap<(GraphId, Var), SomeValue>,
    param_decl: HashMap<(GraphId, usize), SomeValue>,
    ret_decl: HashMap<GraphId, SomeValue>,
    lit_vars: HashMap<(GraphId, Site), IntVar>,
    site_lists: HashMap<(GraphId, Var, u32), ListDefId>,
    site_dicts: HashMap<(GraphId, Var), DictDefId>,
    site_bytes: HashMap<(GraphId, Site), ListDefId>,
    /// The annotation of every constant operand, by site.
    pub const_anns: HashMap<(GraphId, Site), SomeValue>,
    used_vars: HashMap<GraphId, HashSet<Var>>,
    pub resolutions: HashMap<(GraphId, Var), Resolution>,
    pub dyn_calls: HashMap<(GraphId, Var), Vec<(StructId, GraphId)>>,
    pub closure_calls: HashMap<(GraphId, Var), (GraphId, bool)>,
    pub reached: HashMap<GraphId, HashSet<Block>>,
    pub reachable: Vec<GraphId>,
    worklist: VecDeque<(GraphId, Block)>,
    queued: HashSet<(GraphId, Block)>,
    /// Something other blocks may read changed (a field, a list item, a
    /// return annotation, an int variable): reflow everything reached.
    shared_changed: bool,
    pub diags: Vec<Diagnostic>,
    diag_keys: HashSet<(u32, u32, u32, String)>,
    /// The block being flowed, and the diagnostics of each block's latest
    /// flow: a block is flowed again when what it reads grows, and only
    /// what its last flow (on the final annotations) found is an error
    /// (`v.join(" ")` seen while `v`'s items are still unknown is not).
    cur_block: Option<(GraphId, Block)>,
    block_diags: HashMap<(GraphId, Block), Vec<(DiagKey, Diagnostic)>>,
    /// The instances of generic functions made so far, by template and
    /// binding of its type parameters (`generics.rs`).
    pub instances: HashMap<(GraphId, Vec<String>), GraphId>,
    /// Instances this run needed and did not find: made before the next.
    pub wanted: Vec<(GraphId, Vec<String>)>,
}

impl<'p> Annotator<'p> {
    pub fn new(
        prog: &'p Program,
        instances: HashMap<(GraphId, Vec<String>), GraphId>,
    ) -> Annotator<'p> {
        Annotator {
            instances,
            wanted: vec![],
            prog,
            int_parent: vec![],
            int_bound: vec![],
            int_lits: vec![],
            listdefs: vec![],
            dictdefs: vec![],
            fields: HashMap::new(),
            rets: HashMap::new(),
            var_anns: HashMap::new(),
            decl_anns: HashMap::new(),
            param_decl: HashMap::new(),
            ret_decl: HashMap::new(),
            lit_vars: HashMap::new(),
            site_lists: HashMap::new(),
            site_dicts: HashMap::new(),
            site_bytes: HashMap::new(),
            const_anns: HashMap::new(),
            used_vars: HashMap::new(),
            resolutions: HashMap::new(),
            dyn_calls: HashMap::new(),
            closure_calls: HashMap::new(),
            reached: HashMap::new(),
            reachable: vec![],
            worklist: VecDeque::new(),
            queued: HashSet::new(),
            shared_changed: false,
            diags: vec![],
            diag_keys: HashSet::new(),
            cur_block: None,
            block_diags: HashMap::new(),
        }
    }

    // ---------------------------------------------------------------- diags

    pub fn report(&mut self, span: Span, e: OpError) {
        let key = (span.file, span.lo, span.hi, e.msg.clone());
        if !self.diag_keys.insert(key.clone()) {
            return;
        }
        let help = e.help.unwrap_or_else(|| {
            "write it with the types and operations RRust supports (docs/rrust.md lists them)"
                .into()
        });
        let d = Diagnostic::error(span, e.msg)
            .label("rejected by the annotator")
            .help(help);
        match self.cur_block {
            Some(at) => self.block_diags.entry(at).or_default().push((key, d)),
            None => self.diags.push(d),
        }
    }

    /// Starts (`Some`) or ends (`None`) the flow of a block: forgets what
    /// its previous flow reported.
    pub(crate) fn flowing(&mut self, at: Option<(GraphId, Block)>) {
        if let Some(at) = at {
            for (key, _) in self.block_diags.remove(&at).unwrap_or_default() {
                self.diag_keys.remove(&key);
            }
        }
        self.cur_block = at;
    }

    /// Every diagnostic: the global ones, then the blocks' in source order.
    pub(crate) fn take_diags(&mut self) -> Vec<Diagnostic> {
        let mut out = std::mem::take(&mut self.diags);
        let mut blocks: Vec<Diagnostic> = self
            .block_diags
            .drain()
            .flat_map(|(_, ds)| ds.into_iter().map(|(_, d)| d))
            .collect();
        blocks.sort_by_key(|d| d.span.map(|s| (s.file, s.lo, s.hi)));
        out.extend(blocks);
        out
    }

    // --------------------------------------------------------- int variables

    fn new_int_var(&mut self) -> IntVar {
        let id = self.int_parent.len() as u32;
        self.int_parent.push(id);
        self.int_bound.push(None);
        IntVar(id)
    }

    fn find(&self, v: IntVar) -> u32 {
        let mut x = v.0;
        // Parents always point to smaller or equal valid indices we created.
        while let Some(&p) = self.int_parent.get(x as usize) {
            if p == x {
                break;
            }
            x = p;
        }
        x
    }

    pub fn resolve_kind(&self, k: IntKind) -> IntKind {
        match k {
            IntKind::Ty(_) => k,
            IntKind::Var(v) => {
                let r = self.find(v);
                match self.int_bound.get(r as usize).copied().flatten() {
                    Some(t) => IntKind::Ty(t),
                    None => IntKind::Var(IntVar(r)),
                }
            }
        }
    }

    pub fn unify_kinds(&mut self, a: IntKind, b: IntKind) -> Result<IntKind, String> {
        let (a, b) = (self.resolve_kind(a), self.resolve_kind(b));
        match (a, b) {
            (IntKind::Ty(x), IntKind::Ty(y)) => {
                if x == y {
                    Ok(a)
                } else {
                    Err(format!(
                        "mismatched integer types: expected `{}`, found `{}`",
                        x.name(),
                        y.name()
                    ))
                }
            }
            (IntKind::Var(v), IntKind::Ty(t)) | (IntKind::Ty(t), IntKind::Var(v)) => {
                if let Some(slot) = self.int_bound.get_mut(v.0 as usize) {
                    *slot = Some(t);
                    self.shared_changed = true;
                }
                Ok(IntKind::Ty(t))
            }
            (IntKind::Var(v), IntKind::Var(w)) => {
                if v != w {
                    if let Some(p) = self.int_parent.get_mut(w.0 as usize) {
                        *p = v.0;
                        self.shared_changed = true;
                    }
                }
                Ok(IntKind::Var(v))
            }
        }
    }

    /// The annotation of an integer literal at `site` (one stable type
    /// variable per site, so reflows do not create new ones).
    fn literal_int(&mut self, g: GraphId, site: Site, span: Span, n: i128) -> SomeValue {
        let v = match self.lit_vars.get(&(g, site)) {
            Some(v) => *v,
            None => {
                let v = self.new_int_var();
                self.lit_vars.insert((g, site), v);
                self.int_lits.push((g, site, span, n));
                v
            }
        };
        SomeValue::Int {
            kind: IntKind::Var(v),
            nonneg: n >= 0,
            konst: Some(n),
        }
    }

    pub fn lit_vars(&self) -> &HashMap<(GraphId, Site), IntVar> {
        &self.lit_vars
    }

    // ------------------------------------------------------ list/dict defs

    pub fn new_listdef(&mut self, item: SomeValue) -> ListDefId {
        let id = ListDefId(self.listdefs.len() as u32);
        self.listdefs.push(ListDef {
            item,
            resized: false,
            mutated: false,
            is_fixed_array: false,
            parent: id,
        });
        id
    }

    pub fn list_root(&self, mut l: ListDefId) -> ListDefId {
        while let Some(d) = self.listdefs.get(l.0 as usize) {
            if d.parent == l {
                break;
            }
            l = d.parent;
        }
        l
    }

    pub fn list_item(&self, l: ListDefId) -> SomeValue {
        let r = self.list_root(l);
        self.listdefs
            .get(r.0 as usize)
            .map(|d| d.item.clone())
            .unwrap_or(SomeValue::Impossible)
    }

    pub fn list_union_item(&mut self, l: ListDefId, v: &SomeValue) -> Result<(), OpError> {
        let old = self.list_item(l);
        let new = self
            .union(&old, v)
            .map_err(|m| OpError::new(format!("mismatched types in a list: {m}")))?;
        let r = self.list_root(l);
        if self.canon(&new) != self.canon(&old) {
            self.shared_changed = true;
            if let Some(d) = self.listdefs.get_mut(r.0 as usize) {
                d.item = new;
            }
        }
        Ok(())
    }

    pub fn list_flags(&mut self, l: ListDefId, resized: bool, mutated: bool) {
        let r = self.list_root(l);
        if let Some(d) = self.listdefs.get_mut(r.0 as usize) {
            if (resized && !d.resized) || (mutated && !d.mutated) {
                d.resized |= resized;
                d.mutated |= mutated;
                self.shared_changed = true;
            }
        }
    }

    fn merge_lists(&mut self, a: ListDefId, b: ListDefId) -> Result<ListDefId, String> {
        let (ra, rb) = (self.list_root(a), self.list_root(b));
        if ra == rb {
            return Ok(ra);
        }
        let (ia, ib) = (self.list_item(ra), self.list_item(rb));
        let (fa, fb) = match (
            self.listdefs.get(ra.0 as usize),
            self.listdefs.get(rb.0 as usize),
        ) {
            (Some(x), Some(y)) => (
                (x.resized, x.mutated, x.is_fixed_array),
                (y.resized, y.mutated, y.is_fixed_array),
            ),
            _ => return Ok(ra),
        };
        if let Some(d) = self.listdefs.get_mut(rb.0 as usize) {
            d.parent = ra;
        }
        self.shared_changed = true;
        let item = self.union(&ia, &ib)?;
        let ra = self.list_root(ra);
        if let Some(d) = self.listdefs.get_mut(ra.0 as usize) {
            d.item = item;
            d.resized = fa.0 || fb.0;
            d.mutated = fa.1 || fb.1;
            d.is_fixed_array = fa.2 && fb.2;
        }
        Ok(ra)
    }

    /// The list a call site creates (one per site, stable across reflows).
    pub fn site_list(&mut self, g: GraphId, v: Var, k: u32, item: SomeValue) -> ListDefId {
        if let Some(l) = self.site_lists.get(&(g, v, k)) {
            return *l;
        }
        let l = self.new_listdef(item);
        self.site_lists.insert((g, v, k), l);
        l
    }

    pub fn site_dict(&mut self, g: GraphId, v: Var) -> DictDefId {
        if let Some(d) = self.site_dicts.get(&(g, v)) {
            return *d;
        }
        let d = self.new_dictdef(SomeValue::Impossible, SomeValue::Impossible);
        self.site_dicts.insert((g, v), d);
        d
    }

    fn new_dictdef(&mut self, key: SomeValue, value: SomeValue) -> DictDefId {
        let id = DictDefId(self.dictdefs.len() as u32);
        self.dictdefs.push(DictDef {
            key,
            value,
            parent: id,
        });
        id
    }

    pub fn dict_root(&self, mut d: DictDefId) -> DictDefId {
        while let Some(x) = self.dictdefs.get(d.0 as usize) {
            if x.parent == d {
                break;
            }
            d = x.parent;
        }
        d
    }

    pub fn dict_value(&self, d: DictDefId) -> SomeValue {
        let r = self.dict_root(d);
        self.dictdefs
            .get(r.0 as usize)
            .map(|x| x.value.clone())
            .unwrap_or(SomeValue::Impossible)
    }

    pub fn dict_key(&self, d: DictDefId) -> SomeValue {
        let r = self.dict_root(d);
        self.dictdefs
            .get(r.0 as usize)
            .map(|x| x.key.clone())
            .unwrap_or(SomeValue::Impossible)
    }

    pub fn dict_union(
        &mut self,
        d: DictDefId,
        key: &SomeValue,
        value: &SomeValue,
    ) -> Result<(), OpError> {
        let (ok, ov) = (self.dict_key(d), self.dict_value(d));
        let nk = self
            .union(&ok, key)
            .map_err(|m| OpError::new(format!("mismatched HashMap key types: {m}")))?;
        let nv = self
            .union(&ov, value)
            .map_err(|m| OpError::new(format!("mismatched HashMap value types: {m}")))?;
        match &nk {
            SomeValue::Impossible
            | SomeValue::Int { .. }
            | SomeValue::Bool { .. }
            | SomeValue::Char
            | SomeValue::Str { .. } => {}
            other => {
                return Err(OpError::new(format!(
                    "HashMap keys of type `{}` are not supported",
                    self.describe(other)
                ))
                .help("use integer, bool, char or string keys"))
            }
        }
        if self.canon(&nk) != self.canon(&ok) || self.canon(&nv) != self.canon(&ov) {
            self.shared_changed = true;
            let r = self.dict_root(d);
            if let Some(x) = self.dictdefs.get_mut(r.0 as usize) {
                x.key = nk;
                x.value = nv;
            }
        }
        Ok(())
    }

    fn merge_dicts(&mut self, a: DictDefId, b: DictDefId) -> Result<DictDefId, String> {
        let (ra, rb) = (self.dict_root(a), self.dict_root(b));
        if ra == rb {
            return Ok(ra);
        }
        let (kb, vb) = (self.dict_key(rb), self.dict_value(rb));
        if let Some(x) = self.dictdefs.get_mut(rb.0 as usize) {
            x.parent = ra;
        }
        self.shared_changed = true;
        self.dict_union(ra, &kb, &vb).map_err(|e| e.msg)?;
        Ok(self.dict_root(ra))
    }

    // ------------------------------------------------------------- lattice

    /// The least annotation covering both, or why none exists.
    pub fn union(&mut self, a: &SomeValue, b: &SomeValue) -> Result<SomeValue, String> {
        use SomeValue as S;
        Ok(match (a, b) {
            (S::Impossible, x) | (x, S::Impossible) => x.clone(),
            (
                S::Int {
                    kind: k1,
                    nonneg: n1,
                    konst: c1,
                },
                S::Int {
                    kind: k2,
                    nonneg: n2,
                    konst: c2,
                },
            ) => {
                let kind = self.unify_kinds(*k1, *k2)?;
                S::Int {
                    kind,
                    nonneg: *n1 && *n2,
                    konst: if c1 == c2 { *c1 } else { None },
                }
            }
            (S::Bool { konst: c1 }, S::Bool { konst: c2 }) => S::Bool {
                konst: if c1 == c2 { *c1 } else { None },
            },
            (S::Char, S::Char) => S::Char,
            (S::Float, S::Float) => S::Float,
            (S::Unit, S::Unit) => S::Unit,
            (S::Str { owned: o1 }, S::Str { owned: o2 }) => S::Str { owned: *o1 || *o2 },
            (S::List(x), S::List(y)) => S::List(self.merge_lists(*x, *y)?),
            (S::Dict(x), S::Dict(y)) => S::Dict(self.merge_dicts(*x, *y)?),
            (S::Instance(x), S::Instance(y)) if x == y => S::Instance(*x),
            // Objects of two types meet where Rust coerced them to a
            // `dyn Trait` of a trait both implement.
            (S::Instance(x), S::Instance(y)) => {
                let common = self.dyn_traits(&self.traits_of(*x), *y)?;
                let common = self.dyn_traits(&common, *x)?;
                if common.is_empty() {
                    return Err(format!(
                        "mismatched types: `{}` and `{}`",
                        self.describe(a),
                        self.describe(b)
                    ));
                }
                S::Dyn(DynSet::of(common, vec![*x, *y]))
            }
            (S::Dyn(d), S::Instance(s)) | (S::Instance(s), S::Dyn(d)) => {
                let common = self.dyn_traits(&d.traits, *s)?;
                if common.is_empty() {
                    return Err(format!(
                        "`{}` does not implement `{}`",
                        self.describe(&S::Instance(*s)),
                        self.describe(&S::Dyn(d.clone()))
                    ));
                }
                let mut types = d.types.clone();
                types.push(*s);
                S::Dyn(DynSet::of(common, types))
            }
            // A function stored with closures (`Box::new(double)` in a
            // `Vec<Box<dyn Fn(i64) -> i64>>`).
            (S::Func(f), S::Instance(_) | S::Dyn(_)) | (S::Instance(_) | S::Dyn(_), S::Func(f))
                if self.describe(a).contains("closure")
                    || self.describe(b).contains("closure")
                    || matches!((a, b), (S::Dyn(_), _) | (_, S::Dyn(_))) =>
            {
                let name = self.prog.graphs.get(*f).map_or("f", |g| g.name.as_str());
                return Err(format!(
                    "the function `{name}` is used where a closure is expected: wrap it in one, \
                     `|x| {name}(x)`, to keep it with closures"
                ));
            }
            (S::Dyn(x), S::Dyn(y)) => {
                let common: Vec<_> = x
                    .traits
                    .iter()
                    .filter(|t| y.traits.contains(t))
                    .copied()
                    .collect();
                if common.is_empty() {
                    return Err(format!(
                        "mismatched types: `{}` and `{}`",
                        self.describe(a),
                        self.describe(b)
                    ));
                }
                let mut types = x.types.clone();
                types.extend(y.types.iter().copied());
                S::Dyn(DynSet::of(common, types))
            }
            (S::Tuple(xs), S::Tuple(ys)) if xs.len() == ys.len() => {
                let mut out = Vec::with_capacity(xs.len());
                for (x, y) in xs.iter().zip(ys) {
                    out.push(self.union(x, y)?);
                }
                S::Tuple(out)
            }
            (S::Option(x), S::Option(y)) => S::Option(Box::new(self.union(x, y)?)),
            (S::Rc(x), S::Rc(y)) => S::Rc(Box::new(self.union(x, y)?)),
            // An `Rc<T>` where a `T` is expected (`&rc` passed as `&T`) is
            // its value: deref coercion.
            (S::Rc(x), y) | (y, S::Rc(x)) => self.union(x, y)?,
            (S::RefCell(x), S::RefCell(y)) => S::RefCell(self.merge_lists(*x, *y)?),
            (S::Cell(x), S::Cell(y)) => S::Cell(self.merge_lists(*x, *y)?),
            (S::Result(o1, e1), S::Result(o2, e2)) => {
                S::Result(Box::new(self.union(o1, o2)?), Box::new(self.union(e1, e2)?))
            }
            (S::IoError, S::IoError) => S::IoError,
            (S::ParseIntError, S::ParseIntError) => S::ParseIntError,
            (S::ParseFloatError, S::ParseFloatError) => S::ParseFloatError,
            (S::TryFromIntError, S::TryFromIntError) => S::TryFromIntError,
            (S::FmtError, S::FmtError) => S::FmtError,
            (S::Builtin(x), S::Builtin(y)) if x == y => S::Builtin(*x),
            (S::Func(x), S::Func(y)) if x == y => S::Func(*x),
            _ => {
                return Err(format!(
                    "mismatched types: `{}` and `{}`",
                    self.describe(a),
                    self.describe(b)
                ))
            }
        })
    }

    /// `s` is an enum without fields (a bare discriminant).
    pub fn is_fieldless_enum(&self, s: StructId) -> bool {
        self.prog
            .structs
            .get(s)
            .is_some_and(|d| d.is_fieldless_enum())
    }

    /// The traits of the file that `s` implements (sorted).
    pub fn traits_of(&self, s: StructId) -> Vec<TraitId> {
        self.prog
            .traits
            .iter()
            .filter(|(_, t)| t.implementors.contains(&s))
            .map(|(id, _)| id)
            .collect()
    }

    /// The traits of `ts` that `s` implements too; an error when `s` cannot
    /// be a `dyn` value.
    fn dyn_traits(&self, ts: &[TraitId], s: StructId) -> Result<Vec<TraitId>, String> {
        let of_s = self.traits_of(s);
        let common: Vec<TraitId> = ts.iter().filter(|t| of_s.contains(t)).copied().collect();
        let def = self.prog.structs.get(s);
        if !common.is_empty() && def.is_some_and(|d| d.is_fieldless_enum()) {
            // A fieldless enum is a bare discriminant, with no header to
            // tell its type by.
            return Err(format!(
                "a value of the fieldless enum `{0}` as a `dyn` trait object is not supported \
                 yet (wrap it in a struct, `struct {0}Op({0});`, and implement the trait for \
                 that)",
                def.map_or("?", |d| d.name.as_str())
            ));
        }
        Ok(common)
    }

    /// The annotation with int variables and def ids replaced by their
    /// current representatives (for comparisons and the final result).
    pub fn canon(&self, a: &SomeValue) -> SomeValue {
        use SomeValue as S;
        match a {
            S::Int {
                kind,
                nonneg,
                konst,
            } => {
                let kind = self.resolve_kind(*kind);
                let unsigned = matches!(kind, IntKind::Ty(t) if !t.signed());
                S::Int {
                    kind,
                    nonneg: *nonneg || unsigned,
                    konst: *konst,
                }
            }
            S::List(l) => S::List(self.list_root(*l)),
            S::RefCell(l) => S::RefCell(self.list_root(*l)),
            S::Cell(l) => S::Cell(self.list_root(*l)),
            S::Rc(x) => S::Rc(Box::new(self.canon(x))),
            S::Dict(d) => S::Dict(self.dict_root(*d)),
            S::Tuple(xs) => S::Tuple(xs.iter().map(|x| self.canon(x)).collect()),
            S::Option(x) => S::Option(Box::new(self.canon(x))),
            S::Result(o, e) => S::Result(Box::new(self.canon(o)), Box::new(self.canon(e))),
            other => other.clone(),
        }
    }

    pub fn strip_konst(&self, a: &SomeValue) -> SomeValue {
        match a {
            SomeValue::Int { kind, nonneg, .. } => SomeValue::Int {
                kind: *kind,
                nonneg: *nonneg,
                konst: None,
            },
            SomeValue::Bool { .. } => SomeValue::bool(),
            other => other.clone(),
        }
    }

    pub fn with_nonneg(&self, a: &SomeValue, nonneg: bool) -> SomeValue {
        match a {
            SomeValue::Int { kind, .. } => SomeValue::Int {
                kind: *kind,
                nonneg,
                konst: None,
            },
            other => other.clone(),
        }
    }

    /// Unifies two integer operands; the result has no constant.
    pub fn union_int_operands(
        &mut self,
        a: &SomeValue,
        b: &SomeValue,
    ) -> Result<SomeValue, OpError> {
        match (a, b) {
            (SomeValue::Int { kind: k1, .. }, SomeValue::Int { kind: k2, .. }) => {
                let kind = self.unify_kinds(*k1, *k2).map_err(OpError::new)?;
                Ok(SomeValue::Int {
                    kind,
                    nonneg: false,
                    konst: None,
                })
            }
            _ => Err(OpError::new(format!(
                "expected two integers, found `{}` and `{}`",
                self.describe(a),
                self.describe(b)
            ))),
        }
    }

    pub fn expect_int(&mut self, a: &SomeValue, ty: IntTy) -> Result<(), OpError> {
        match a {
            SomeValue::Int { kind, .. } => {
                self.unify_kinds(*kind, IntKind::Ty(ty))
                    .map_err(OpError::new)?;
                Ok(())
            }
            SomeValue::Impossible => Ok(()),
            _ => Err(OpError::new(format!(
                "expected `{}`, found `{}`",
                ty.name(),
                self.describe(a)
            ))),
        }
    }

    /// Checks that `a` has the same shape as `want` (unifying).
    pub fn expect_shape(
        &mut self,
        a: &SomeValue,
        want: &SomeValue,
        what: &str,
    ) -> Result<(), OpError> {
        self.union(a, want)
            .map(|_| ())
            .map_err(|_| OpError::new(format!("expected `{what}`, found `{}`", self.describe(a))))
    }

    /// `a` must be a list of u8 (`&[u8]`, `Vec<u8>`); returns its def.
    pub fn expect_byte_list(&mut self, a: &SomeValue) -> Result<ListDefId, OpError> {
        if let SomeValue::List(l) = a {
            let item = self.list_item(*l);
            let l = *l;
            self.list_union_item(l, &SomeValue::int(IntTy::U8))
                .map_err(|_| {
                    OpError::new(format!(
                        "expected a byte buffer (`[u8]`), found a list of `{}`",
                        self.describe(&item)
                    ))
                })?;
            return Ok(l);
        }
        Err(OpError::new(format!(
            "expected a byte buffer (`[u8]`), found `{}`",
            self.describe(a)
        )))
    }

    /// Rust-like name of an annotation, for messages.
    pub fn describe(&self, a: &SomeValue) -> String {
        describe(self.prog, self, a)
    }

    // ------------------------------------------------------ declared types

    /// The annotation a written type stands for (fresh defs inside).
    pub fn ann_from_ty(&mut self, ty: &Ty) -> SomeValue {
        use SomeValue as S;
        match ty {
            Ty::Int(t) => S::int(*t),
            Ty::Bool => S::bool(),
            Ty::Char => S::Char,
            Ty::F64 => S::Float,
            Ty::Unit => S::Unit,
            Ty::Never | Ty::Infer | Ty::Param(_) => S::Impossible,
            Ty::Str => S::Str { owned: false },
            Ty::String => S::string(),
            Ty::Vec(t) | Ty::Slice(t) => {
                let item = self.ann_from_ty(t);
                S::List(self.new_listdef(item))
            }
            Ty::Box(t) | Ty::Ref { inner: t, .. } => self.ann_from_ty(t),
            Ty::Rc(t) => S::Rc(Box::new(self.ann_from_ty(t))),
            Ty::RefCell(t) => {
                let item = self.ann_from_ty(t);
                S::RefCell(self.new_listdef(item))
            }
            Ty::Cell(t) => {
                let item = self.ann_from_ty(t);
                S::Cell(self.new_listdef(item))
            }
            Ty::Option(t) => S::Option(Box::new(self.ann_from_ty(t))),
            Ty::Result(o, e) => {
                S::Result(Box::new(self.ann_from_ty(o)), Box::new(self.ann_from_ty(e)))
            }
            Ty::HashMap(k, v) => {
                let (k, v) = (self.ann_from_ty(k), self.ann_from_ty(v));
                S::Dict(self.new_dictdef(k, v))
            }
            Ty::Tuple(ts) if ts.is_empty() => S::Unit,
            Ty::Tuple(ts) => S::Tuple(ts.iter().map(|t| self.ann_from_ty(t)).collect()),
            Ty::Struct(s) => S::Instance(*s),
            Ty::Dyn(t) => S::Dyn(DynSet::of(vec![*t], vec![])),
            Ty::FmtError => S::FmtError,
            Ty::ParseIntError => S::ParseIntError,
            Ty::ParseFloatError => S::ParseFloatError,
            Ty::TryFromIntError => S::TryFromIntError,
        }
    }

    fn decl_of_var(&mut self, g: GraphId, v: Var) -> SomeValue {
        if let Some(a) = self.decl_anns.get(&(g, v)) {
            return a.clone();
        }
        let ty = self
            .prog
            .graphs
            .get(g)
            .and_then(|gr| gr.vars.get(v))
            .map(|d| d.declared.clone())
            .unwrap_or(Ty::Infer);
        let a = self.ann_from_ty(&ty);
        self.decl_anns.insert((g, v), a.clone());
        a
    }

    pub fn param_decl(&mut self, g: GraphId, i: usize) -> SomeValue {
        if let Some(a) = self.param_decl.get(&(g, i)) {
            return a.clone();
        }
        let ty = self
            .prog
            .graphs
            .get(g)
            .and_then(|gr| gr.param_tys.get(i))
            .cloned()
            .unwrap_or(Ty::Infer);
        let a = self.ann_from_ty(&ty);
        self.param_decl.insert((g, i), a.clone());
        a
    }

    pub fn ret_decl(&mut self, g: GraphId) -> SomeValue {
        if let Some(a) = self.ret_decl.get(&g) {
            return a.clone();
        }
        let ty = self
            .prog
            .graphs
            .get(g)
            .map(|gr| gr.ret_ty.clone())
            .unwrap_or(Ty::Infer);
        let a = self.ann_from_ty(&ty);
        self.ret_decl.insert(g, a.clone());
        a
    }

    /// The field annotations of a struct, starting from the declared types.
    pub fn struct_fields(&mut self, s: StructId) -> Vec<FieldAnn> {
        if let Some(f) = self.fields.get(&s) {
            return f.clone();
        }
        let tys: Vec<Ty> = self
            .prog
            .structs
            .get(s)
            .map(|d| d.fields.iter().map(|f| f.ty.clone()).collect())
            .unwrap_or_default();
        let anns: Vec<FieldAnn> = tys
            .iter()
            .map(|t| FieldAnn {
                ann: self.ann_from_ty(t),
                written_after_construction: false,
            })
            .collect();
        self.fields.insert(s, anns.clone());
        anns
    }

    pub fn union_field(
        &mut self,
        s: StructId,
        i: usize,
        v: &SomeValue,
        is_write: bool,
    ) -> Result<(), OpError> {
        let fields = self.struct_fields(s);
        let Some(old) = fields.get(i) else {
            return Err(OpError::new("no such field"));
        };
        let new = self
            .union(&old.ann, v)
            .map_err(|m| match self.generic_type_name(Some(s)) {
                Some(name) => one_layout_error(&name, &m),
                None => OpError::new(format!("mismatched types for a field: {m}")),
            })?;
        let changed = self.canon(&new) != self.canon(&old.ann)
            || (is_write && !old.written_after_construction);
        if changed {
            self.shared_changed = true;
            if let Some(f) = self.fields.get_mut(&s).and_then(|f| f.get_mut(i)) {
                f.ann = new;
                f.written_after_construction |= is_write;
            }
        }
        Ok(())
    }

    /// The name of `s` when it is a generic struct or enum.
    fn generic_type_name(&self, s: Option<StructId>) -> Option<String> {
        let d = self.prog.structs.get(s?)?;
        (d.type_params > 0).then(|| d.name.clone())
    }

    // ------------------------------------------------------- variables

    pub fn var_ann(&self, g: GraphId, v: Var) -> SomeValue {
        self.var_anns
            .get(&g)
            .and_then(|m| m.get(&v))
            .cloned()
            .unwrap_or(SomeValue::Impossible)
    }

    /// Generalises the annotation of `v` with `new` (and its declared type);
    /// returns whether it changed.
    pub fn set_var(&mut self, g: GraphId, v: Var, new: &SomeValue) -> Result<bool, OpError> {
        let old = self.var_ann(g, v);
        let decl = self.decl_of_var(g, v);
        let name = self
            .prog
            .graphs
            .get(g)
            .and_then(|gr| gr.vars.get(v))
            .and_then(|d| d.name.clone());
        let generic = self.generic_type_name(self.prog.graphs.get(g).and_then(|gr| gr.impl_of));
        let ctx = |m: String| match (&generic, &name) {
            (Some(t), Some(n)) => one_layout_error(t, &format!("{m} for `{n}`")),
            (Some(t), None) => one_layout_error(t, &m),
            (None, Some(n)) => OpError::new(format!("{m} (for `{n}`)")),
            (None, None) => OpError::new(m),
        };
        let u = self.union(&old, new).map_err(ctx)?;
        let u = self.conform(&decl, &u).map_err(ctx)?;
        let changed = self.canon(&u) != self.canon(&old);
        if changed {
            self.var_anns.entry(g).or_default().insert(v, u);
        }
        Ok(changed)
    }

    /// Checks `a` against a declared annotation (unifying integer types and
    /// merging list/dict defs). Keeps the facts of precise ints and bools;
    /// takes the declaration's shape for the rest (e.g. `None` as
    /// `Option<T>`).
    pub fn conform(&mut self, decl: &SomeValue, a: &SomeValue) -> Result<SomeValue, String> {
        if decl.is_impossible() || a.is_impossible() {
            return Ok(a.clone());
        }
        let checked = self.union(decl, a)?;
        Ok(match a {
            SomeValue::Int { .. } | SomeValue::Bool { .. } => a.clone(),
            _ => checked,
        })
    }

    /// The annotation of an operand at `site`.
    pub fn value_ann(&mut self, g: GraphId, site: Site, span: Span, v: &Value) -> SomeValue {
        match v {
            Value::Var(v) => self.var_ann(g, *v),
            Value::Const(c) => {
                let a = self.const_ann(g, site, span, c);
                self.const_anns.insert((g, site), a.clone());
                a
            }
        }
    }

    fn const_ann(&mut self, g: GraphId, site: Site, span: Span, c: &Const) -> SomeValue {
        {
            match c {
                Const::Int(n, Some(t)) => SomeValue::Int {
                    kind: IntKind::Ty(*t),
                    nonneg: *n >= 0,
                    konst: Some(*n),
                },
                Const::Int(n, None) => self.literal_int(g, site, span, *n),
                Const::Bool(b) => SomeValue::Bool { konst: Some(*b) },
                Const::Char(_) => SomeValue::Char,
                Const::Float(_) => SomeValue::Float,
                Const::Str(_) => SomeValue::Str { owned: false },
                Const::ByteStr(_) => {
                    // One list def per byte-string site, stable across reflows.
                    let l = match self.site_bytes.get(&(g, site)) {
                        Some(l) => *l,
                        None => {
                            let l = self.new_listdef(SomeValue::int(IntTy::U8));
                            self.site_bytes.insert((g, site), l);
                            l
                        }
                    };
                    let root = self.list_root(l);
                    if let Some(d) = self.listdefs.get_mut(root.0 as usize) {
                        d.is_fixed_array = true;
                    }
                    SomeValue::List(l)
                }
                Const::Unit => SomeValue::Unit,
                Const::None => SomeValue::Option(Box::new(SomeValue::Impossible)),
                Const::Fn(f) => SomeValue::Func(*f),
            }
        }
    }

    pub fn var_used(&mut self, g: GraphId, v: Var) -> bool {
        if !self.used_vars.contains_key(&g) {
            let mut set = HashSet::new();
            if let Some(gr) = self.prog.graphs.get(g) {
                let mut add = |x: &Value| {
                    if let Value::Var(x) = x {
                        set.insert(*x);
                    }
                };
                for b in gr.blocks.values() {
                    for op in &b.ops {
                        op.args.iter().for_each(&mut add);
                    }
                    match &b.exit {
                        Exit::If { cond, .. } => add(cond),
                        Exit::Switch { value, .. } => add(value),
                        Exit::Return(x) => add(x),
                        _ => {}
                    }
                    for l in b.exit.links() {
                        l.args.iter().for_each(&mut add);
                    }
                }
            }
            self.used_vars.insert(g, set);
        }
        self.used_vars.get(&g).is_some_and(|s| s.contains(&v))
    }

    // ------------------------------------------------------- fixpoint

    pub fn schedule(&mut self, g: GraphId, b: Block) {
        if self.queued.insert((g, b)) {
            self.worklist.push_back((g, b));
        }
    }

    /// Marks a graph reachable (first time: schedules its start block).
    pub fn reach_graph(&mut self, g: GraphId) {
        if self.reached.contains_key(&g) {
            return;
        }
        let Some(gr) = self.prog.graphs.get(g) else {
            return;
        };
        self.reachable.push(g);
        let mut set = HashSet::new();
        set.insert(gr.start);
        self.reached.insert(g, set);
        self.shared_changed = true;
        self.schedule(g, gr.start);
    }

    /// Flows `args` into the start block of `g` (a call).
    pub fn flow_into_params(&mut self, g: GraphId, args: &[SomeValue]) -> Result<(), OpError> {
        self.reach_graph(g);
        let Some(gr) = self.prog.graphs.get(g) else {
            return Err(OpError::new("call of an unknown function"));
        };
        let params = gr.params().to_vec();
        let start = gr.start;
        if params.len() != args.len() {
            return Err(OpError::new(format!(
                "`{}` takes {} argument(s) but {} were given",
                gr.name,
                params.len(),
                args.len()
            )));
        }
        for (i, (p, a)) in params.iter().zip(args).enumerate() {
            let decl = self.param_decl(g, i);
            let a = self
                .conform(&decl, a)
                .map_err(|m| OpError::new(format!("argument {} of `{}`: {m}", i + 1, gr.name)))?;
            if self.set_var(g, *p, &a)? {
                self.shared_changed = true;
                self.schedule(g, start);
            }
        }
        Ok(())
    }

    pub fn run(&mut self) {
        let entry = self.prog.entry;
        self.reach_graph(entry);
        // The JIT calls `get_printable_location` with the greens: annotate
        // it from its declared parameter types.
        for (g, gr) in self.prog.graphs.iter() {
            let Some(mp) = &gr.hints.merge_point else {
                continue;
            };
            let Some(name) = &mp.get_printable_location else {
                continue;
            };
            if let Some(f) = self.prog.graph_by_name(name) {
                let n = self
                    .prog
                    .graphs
                    .get(f)
                    .map(|x| x.param_tys.len())
                    .unwrap_or(0);
                let anns: Vec<SomeValue> = (0..n).map(|i| self.param_decl(f, i)).collect();
                if let Err(e) = self.flow_into_params(f, &anns) {
                    let span = gr.span;
                    self.report(span, e);
                }
                let _ = g;
            }
        }
        for round in 0.. {
            self.shared_changed = false;
            while let Some((g, b)) = self.worklist.pop_front() {
                self.queued.remove(&(g, b));
                self.flow_block(g, b);
            }
            if !self.shared_changed {
                break;
            }
            if round > MAX_ROUNDS {
                self.diags.push(Diagnostic::global(
                    "internal error: annotation did not reach a fixpoint",
                ));
                break;
            }
            let all: Vec<(GraphId, Block)> = self
                .reached
                .iter()
                .flat_map(|(g, bs)| bs.iter().map(move |b| (*g, *b)))
                .collect();
            let mut all = all;
            all.sort();
            for (g, b) in all {
                self.schedule(g, b);
            }
        }
    }

    pub fn note_shared_change(&mut self) {
        self.shared_changed = true;
    }

    pub fn mark_reached(&mut self, g: GraphId, b: Block) -> bool {
        self.reached.entry(g).or_default().insert(b)
    }
}

impl Lookup for Annotator<'_> {
    fn int_ty(&self, a: &SomeValue) -> Option<IntTy> {
        match a {
            SomeValue::Int { kind, .. } => match self.resolve_kind(*kind) {
                IntKind::Ty(t) => Some(t),
                IntKind::Var(_) => None,
            },
            _ => None,
        }
    }
    fn list_item(&self, l: ListDefId) -> Option<SomeValue> {
        Some(Annotator::list_item(self, l))
    }
    fn dict_key_value(&self, d: DictDefId) -> Option<(SomeValue, SomeValue)> {
        Some((self.dict_key(d), self.dict_value(d)))
    }
}

/// A generic struct or enum met with two types for its parameters: today
/// such a type has one layout for all its uses.
fn one_layout_error(name: &str, m: &str) -> OpError {
    let m = m.strip_prefix("mismatched types: ").unwrap_or(m);
    OpError::new(format!(
        "mismatched types in a use of the generic type `{name}`: {m}"
    ))
    .help(format!(
        "if `{name}` is used with two different types for a type parameter: the \
         translator gives a generic struct or enum one layout for all its uses (for now); \
         use `{name}` at one type per program, or declare a second type for the other use"
    ))
}
