//! Redundant loads and pure ops, over the dominator tree of the forward
//! edges (available expressions; a loop header starts afresh).
//!
//! A second `getfield` of the same field of the same object gives the
//! first one's value (or the value last stored there), unless something
//! in between may have written that field. Which writes may alias is
//! decided by type (low-level objects never overlap: a store into
//! `List<i64>.length` cannot change any `Vm.stack`), which Cranelift
//! cannot see: `vm.pop(); vm.pop()` reloads `vm.stack` and its length
//! after every store there. Array lengths and objects' type ids
//! (`type_id_of`) never change; a fresh `malloc`'s type id is known. A call may write
//! anything, unless its effects (`effects.rs`) say it writes nothing.
//!
//! Values are named canonically: an input that receives the same value on
//! every incoming link is that value. What is known at a join is what all
//! its predecessors know, with the same canonical value. Since variables
//! are local to their block, a value remembered from a dominating block is
//! brought to where it is reused through new block inputs
//! ([`Cse::materialize`]), which is how `vm.pop(); ...; vm.push(x)` keeps
//! the stack's length in a value across the branches in between.

use abi::Effects;
use cranelift_entity::EntityRef;
use flowspace::model::{Block, Var};
use rtyper::llgraph::{LLGraph, LLOpKind, LLValue, LLVarData};
use rtyper::lltype::GcTypeId;
use std::collections::HashMap;

/// What a remembered value is keyed by (arguments canonical).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
enum Key {
    Field(GcTypeId, u32, Val),
    Item(GcTypeId, Val, Val),
    Len(GcTypeId, Val),
    /// `type_id_of` of an object (never changes).
    TypeId(Val),
    /// A pure op: its kind's name and result type, and its arguments.
    Pure(String, Vec<Val>),
}

impl Key {
    /// The key with `f` applied to its arguments.
    fn map(&self, f: impl Fn(Val) -> Val) -> Key {
        match self {
            Key::Field(t, i, o) => Key::Field(*t, *i, f(*o)),
            Key::Item(t, a, i) => Key::Item(*t, f(*a), f(*i)),
            Key::Len(t, a) => Key::Len(*t, f(*a)),
            Key::TypeId(o) => Key::TypeId(f(*o)),
            Key::Pure(n, args) => Key::Pure(n.clone(), args.iter().map(|a| f(*a)).collect()),
        }
    }
}

/// Rounds of phis at a join: a phi for a key naming a phi of the round
/// before (`vm.stack`, then its length and items).
const MAX_PHI_ROUNDS: usize = 3;

/// An `LLValue` that can be hashed (floats by their bits).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Val {
    Var(Var),
    Const(u64, u8),
}

fn val(v: &LLValue) -> Val {
    use rtyper::llgraph::LLConst as C;
    match v {
        LLValue::Var(x) => Val::Var(*x),
        LLValue::Const(c) => match c {
            C::Int(n, t) => Val::Const(*n as u64, 16 + t.bits() as u8 + t.signed() as u8),
            C::Bool(b) => Val::Const(*b as u64, 1),
            C::Char(ch) => Val::Const(*ch as u64, 2),
            C::Float(f) => Val::Const(f.to_bits(), 3),
            C::Null(t) => Val::Const(t.index() as u64, 4),
            C::Prebuilt(p) => Val::Const(p.index() as u64, 5),
            C::Void => Val::Const(0, 6),
        },
    }
}

/// Known values at one point: key to canonical value.
#[derive(Clone, Default)]
struct State {
    known: HashMap<Key, LLValue>,
}

impl State {
    fn forget_field(&mut self, ty: GcTypeId, field: u32) {
        self.known
            .retain(|k, _| !matches!(k, Key::Field(t, f, _) if *t == ty && *f == field));
    }
    fn forget_items(&mut self, ty: GcTypeId) {
        self.known
            .retain(|k, _| !matches!(k, Key::Item(t, _, _) if *t == ty));
    }
    fn forget_heap(&mut self) {
        self.known
            .retain(|k, _| matches!(k, Key::Len(..) | Key::TypeId(_) | Key::Pure(..)));
    }

    /// What every state of `states` knows with the same value.
    fn meet(states: &[&State]) -> State {
        let Some((first, rest)) = states.split_first() else {
            return State::default();
        };
        let mut st = (*first).clone();
        st.known.retain(|k, v| {
            rest.iter()
                .all(|s| s.known.get(k).is_some_and(|w| val(w) == val(v)))
        });
        st
    }
}

fn pure_name(k: &LLOpKind) -> Option<String> {
    use LLOpKind::*;
    match k {
        IntAdd | IntSub | IntMul | IntAnd | IntOr | IntXor | IntShl | IntShr | IntNeg | IntNot
        | IntCmp(_) | FloatCmp(_) | Cast | PtrCast | PtrEq | PtrNe => Some(format!("{k:?}")),
        _ => None,
    }
}

struct Cse<'g> {
    g: &'g mut LLGraph,
    /// Each variable's canonical value (absent: itself).
    canon: HashMap<Var, LLValue>,
    /// Per block: canonical variable to the local variable holding it.
    avail: Vec<HashMap<Var, Var>>,
    /// Per block: the incoming links, as (predecessor, index among its
    /// links); only forward links from visited blocks, or None when some
    /// predecessor comes later in the order (a loop header).
    incoming: Vec<Option<Vec<(Block, usize)>>>,
}

impl Cse<'_> {
    fn canon_of(&self, v: &LLValue) -> LLValue {
        match v {
            LLValue::Var(x) => self.canon.get(x).copied().unwrap_or(*v),
            c => *c,
        }
    }

    /// A local of `b` holding canonical value `v`, passing it down from
    /// the dominating block that defines it through new inputs.
    fn materialize(&mut self, v: LLValue, b: Block) -> LLValue {
        let LLValue::Var(c) = v else { return v };
        if let Some(local) = self.avail[b.index()].get(&c) {
            return LLValue::Var(*local);
        }
        // Only reached for values every incoming link can supply (the
        // state of `b` is the meet of its predecessors').
        let edges = self.incoming[b.index()]
            .clone()
            .expect("a remembered value reaches only blocks with known predecessors");
        let nv = self.new_input(b, &edges, &vec![v; edges.len()]);
        self.canon.insert(nv, v);
        self.avail[b.index()].insert(c, nv);
        LLValue::Var(nv)
    }

    /// A new input of `b` that receives canonical value `vals[e]` along
    /// incoming link `edges[e]`; its type is that of the first variable
    /// among `vals`.
    fn new_input(&mut self, b: Block, edges: &[(Block, usize)], vals: &[LLValue]) -> Var {
        let ty = vals
            .iter()
            .find_map(|v| match v {
                LLValue::Var(x) => Some(self.g.vars[*x].ty),
                LLValue::Const(_) => None,
            })
            .expect("a new input receives a variable on some link");
        let nv = self.g.vars.push(LLVarData { ty, name: None });
        self.g.blocks[b].inputs.push(nv);
        for (&(p, i), &v) in edges.iter().zip(vals) {
            let a = self.materialize(v, p);
            self.g.blocks[p].exit.links_mut()[i].args.push(a);
        }
        nv
    }

    /// What is known at `b`, reached along `edges` whose states are
    /// `states`: what all know with one value, and, for a key every edge
    /// knows with values of its own, a new input of `b` receiving them
    /// (a phi; unused ones are dropped by cleanup). A key may name such a
    /// phi: after one for `vm.stack` (a list loaded on each path), the
    /// list's length loaded on each path gets one too.
    fn meet_at_join(&mut self, b: Block, edges: &[(Block, usize)], states: &[&State]) -> State {
        let mut st = State::meet(states);
        if states.len() < 2 {
            return st;
        }
        // Per edge: a value there to the phi receiving it; per phi, the
        // value on each edge.
        let mut phis: Vec<HashMap<Val, Val>> = vec![HashMap::new(); edges.len()];
        let mut per_edge: HashMap<Val, Vec<LLValue>> = HashMap::new();
        for _ in 0..MAX_PHI_ROUNDS {
            let mut added = false;
            let keys: Vec<Key> = states[0].known.keys().cloned().collect();
            for k0 in keys {
                let kj = k0.map(|a| phis[0].get(&a).copied().unwrap_or(a));
                if st.known.contains_key(&kj) {
                    continue;
                }
                let mut vals = Vec::with_capacity(states.len());
                for (e, s) in states.iter().enumerate() {
                    let ke = kj.map(|a| per_edge.get(&a).map_or(a, |vs| val(&vs[e])));
                    match s.known.get(&ke) {
                        Some(v) => vals.push(*v),
                        None => break,
                    }
                }
                if vals.len() != states.len() {
                    continue;
                }
                if vals.iter().all(|v| val(v) == val(&vals[0])) {
                    st.known.insert(kj, vals[0]);
                    continue;
                }
                // Constants that differ: no variable to take a type from.
                if !vals.iter().any(|v| matches!(v, LLValue::Var(_))) {
                    continue;
                }
                let nv = self.new_input(b, edges, &vals);
                for (e, v) in vals.iter().enumerate() {
                    phis[e].entry(val(v)).or_insert(Val::Var(nv));
                }
                per_edge.insert(Val::Var(nv), vals);
                self.define(b, nv, LLValue::Var(nv));
                st.known.insert(kj, LLValue::Var(nv));
                added = true;
            }
            if !added {
                break;
            }
        }
        st
    }

    /// Records that local `x` of `b` holds canonical `v`.
    fn define(&mut self, b: Block, x: Var, v: LLValue) {
        if v != LLValue::Var(x) {
            self.canon.insert(x, v);
        }
        if let LLValue::Var(c) = v {
            self.avail[b.index()].entry(c).or_insert(x);
        }
    }
}

/// Rewrites repeated loads and pure ops into `same_as` of the first value
/// (cleanup's copy propagation then removes them). `graph_fx`: effects of
/// each graph, by index.
pub fn eliminate(g: &mut LLGraph, graph_fx: &[Effects]) -> bool {
    let n = g.blocks.len();
    let order = crate::cfg::reverse_postorder(g);
    let mut position = vec![usize::MAX; n];
    for (i, b) in order.iter().enumerate() {
        position[b.index()] = i;
    }
    let mut incoming: Vec<Option<Vec<(Block, usize)>>> = vec![Some(vec![]); n];
    for &b in &order {
        for (i, l) in g.blocks[b].exit.links().iter().enumerate() {
            let t = l.target.index();
            if t >= n {
                continue;
            }
            if position[t] <= position[b.index()] {
                incoming[t] = None;
            } else if let Some(e) = &mut incoming[t] {
                e.push((b, i));
            }
        }
    }
    let mut cx = Cse {
        g,
        canon: HashMap::new(),
        avail: vec![HashMap::new(); n],
        incoming,
    };
    let types: Vec<_> = cx.g.vars.values().map(|d| d.ty).collect();
    let mut out_state: HashMap<Block, State> = HashMap::new();
    let mut changed = false;
    for &b in &order {
        let mut st = State::default();
        let inputs = cx.g.blocks[b].inputs.clone();
        match cx.incoming[b.index()].clone() {
            Some(edges) if !edges.is_empty() => {
                // An input is the value all its links pass, if they agree.
                for (k, &x) in inputs.iter().enumerate() {
                    let mut common: Option<LLValue> = None;
                    let mut agree = true;
                    for &(p, i) in &edges {
                        let a = cx.g.blocks[p].exit.links()[i].args.get(k).copied();
                        let Some(a) = a.map(|a| cx.canon_of(&a)) else {
                            agree = false;
                            break;
                        };
                        match common {
                            None => common = Some(a),
                            Some(c) if val(&c) == val(&a) => {}
                            Some(_) => agree = false,
                        }
                    }
                    match common {
                        Some(c) if agree => cx.define(b, x, c),
                        _ => cx.define(b, x, LLValue::Var(x)),
                    }
                }
                let preds: Vec<&State> =
                    edges.iter().filter_map(|(p, _)| out_state.get(p)).collect();
                if preds.len() == edges.len() {
                    st = cx.meet_at_join(b, &edges, &preds);
                }
            }
            _ => {
                for &x in &inputs {
                    cx.define(b, x, LLValue::Var(x));
                }
            }
        }
        for k in 0..cx.g.blocks[b].ops.len() {
            let op = &cx.g.blocks[b].ops[k];
            let result = op.result;
            let args: Vec<Val> = op.args.iter().map(|a| val(&cx.canon_of(a))).collect();
            let key = match &op.kind {
                LLOpKind::GetField { ty, field } => Some(Key::Field(*ty, *field, args[0])),
                LLOpKind::GetArrayItem(t) if args.len() == 2 => {
                    Some(Key::Item(*t, args[0], args[1]))
                }
                LLOpKind::ArrayLen(t) => Some(Key::Len(*t, args[0])),
                LLOpKind::TypeIdOf if args.len() == 1 => Some(Key::TypeId(args[0])),
                // The result type too: `cast` of one value to two types.
                k => pure_name(k).map(|n| {
                    let rt = types.get(result.index());
                    Key::Pure(format!("{n}:{rt:?}"), args.clone())
                }),
            };
            if let Some(key) = key {
                if let Some(v) = st.known.get(&key).copied() {
                    let local = cx.materialize(v, b);
                    let op = &mut cx.g.blocks[b].ops[k];
                    op.kind = LLOpKind::SameAs;
                    op.args = vec![local];
                    cx.define(b, result, v);
                    changed = true;
                } else {
                    st.known.insert(key, LLValue::Var(result));
                    cx.define(b, result, LLValue::Var(result));
                }
                continue;
            }
            match &op.kind {
                LLOpKind::SameAs if op.args.len() == 1 => {
                    let v = cx.canon_of(&op.args[0]);
                    cx.define(b, result, v);
                    continue;
                }
                LLOpKind::SetField { ty, field } if args.len() == 2 => {
                    st.forget_field(*ty, *field);
                    let stored = cx.canon_of(&op.args[1]);
                    st.known.insert(Key::Field(*ty, *field, args[0]), stored);
                }
                LLOpKind::SetArrayItem(t) if args.len() == 3 => {
                    st.forget_items(*t);
                    let stored = cx.canon_of(&op.args[2]);
                    st.known.insert(Key::Item(*t, args[0], args[1]), stored);
                }
                LLOpKind::RuntimeCall(name) if abi::runtime_fns::effects(name).writes_heap => {
                    st.forget_heap();
                }
                LLOpKind::DirectCall(c)
                    if graph_fx.get(c.index()).is_none_or(|e| e.writes_heap) =>
                {
                    st.forget_heap();
                }
                LLOpKind::JitMergePoint { .. } => st.forget_heap(),
                // A fresh object's type id is its type's.
                LLOpKind::Malloc(t) => {
                    let id = rtyper::llgraph::LLConst::Int(
                        t.index() as i64,
                        flowspace::model::IntTy::U32,
                    );
                    st.known
                        .insert(Key::TypeId(Val::Var(result)), LLValue::Const(id));
                }
                // Allocation, checks, promote: no write to existing objects.
                _ => {}
            }
            cx.define(b, result, LLValue::Var(result));
        }
        out_state.insert(b, st);
    }
    changed
}
