//! Redundant loads and pure ops, along extended basic blocks (a block and
//! the successors it alone leads to).
//!
//! A second `getfield` of the same field of the same object gives the
//! first one's value (or the value last stored there), unless something
//! in between may have written that field. Which writes may alias is
//! decided by type (low-level objects never overlap: a store into
//! `List<i64>.length` cannot change any `Vm.stack`), which Cranelift
//! cannot see: `vm.pop(); vm.pop()` reloads `vm.stack` and its length
//! after every store there. Array lengths never change. A call may write
//! anything, unless its effects (`effects.rs`) say it writes nothing.

use abi::Effects;
use cranelift_entity::EntityRef;
use flowspace::model::{Block, Var};
use rtyper::llgraph::{LLGraph, LLOpKind, LLValue};
use rtyper::lltype::GcTypeId;
use std::collections::HashMap;

/// What a remembered value is keyed by.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
enum Key {
    Field(GcTypeId, u32, Val),
    Item(GcTypeId, Val, Val),
    Len(GcTypeId, Val),
    /// A pure op: its kind's name and arguments.
    Pure(String, Vec<Val>),
}

/// An `LLValue` that can be hashed (floats by their bits).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Val {
    Var(Var),
    Const(u64, u8),
}

fn val(v: &LLValue) -> Option<Val> {
    use rtyper::llgraph::LLConst as C;
    Some(match v {
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
    })
}

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
            .retain(|k, _| matches!(k, Key::Len(..) | Key::Pure(..)));
    }
}

fn pure_name(k: &LLOpKind) -> Option<String> {
    use LLOpKind::*;
    match k {
        IntAdd | IntSub | IntMul | IntAnd | IntOr | IntXor | IntShl | IntShr | IntNeg | IntNot
        | IntCmp(_) | FloatCmp(_) | Cast | PtrEq | PtrNe => Some(format!("{k:?}")),
        _ => None,
    }
}

/// Rewrites repeated loads and pure ops into `same_as` of the first value
/// (cleanup's copy propagation then removes them). `graph_fx`: effects of
/// each graph, by index.
pub fn eliminate(g: &mut LLGraph, graph_fx: &[Effects]) -> bool {
    let n = g.blocks.len();
    let order = crate::cfg::reverse_postorder(g);
    // Predecessors among reachable blocks only (the passes leave
    // bypassed blocks behind).
    let mut preds: Vec<Vec<Block>> = vec![vec![]; n];
    for &b in &order {
        for l in g.blocks[b].exit.links() {
            if l.target.index() < n {
                preds[l.target.index()].push(b);
            }
        }
    }
    let mut out_state: HashMap<Block, State> = HashMap::new();
    let mut changed = false;
    for b in order {
        // The state a single predecessor leaves, renamed into b's inputs.
        let mut st = State::default();
        if let [p] = preds[b.index()].as_slice() {
            if let Some(ps) = out_state.get(p) {
                st = carry_into(g, *p, b, ps);
            }
        }
        let types: Vec<_> = g.vars.values().map(|d| d.ty).collect();
        let bd = &mut g.blocks[b];
        for op in &mut bd.ops {
            let args: Option<Vec<Val>> = op.args.iter().map(val).collect();
            let Some(args) = args else { continue };
            let key = match &op.kind {
                LLOpKind::GetField { ty, field } => Some(Key::Field(*ty, *field, args[0])),
                LLOpKind::GetArrayItem(t) if args.len() == 2 => {
                    Some(Key::Item(*t, args[0], args[1]))
                }
                LLOpKind::ArrayLen(t) => Some(Key::Len(*t, args[0])),
                // The result type too: `cast` of one value to two types.
                k => pure_name(k).map(|n| {
                    let rt = types.get(op.result.index());
                    Key::Pure(format!("{n}:{rt:?}"), args.clone())
                }),
            };
            if let Some(key) = key {
                if let Some(v) = st.known.get(&key) {
                    op.kind = LLOpKind::SameAs;
                    op.args = vec![*v];
                    changed = true;
                } else {
                    st.known.insert(key, LLValue::Var(op.result));
                }
                continue;
            }
            match &op.kind {
                LLOpKind::SetField { ty, field } if args.len() == 2 => {
                    st.forget_field(*ty, *field);
                    st.known
                        .insert(Key::Field(*ty, *field, args[0]), op.args[1]);
                }
                LLOpKind::SetArrayItem(t) if args.len() == 3 => {
                    st.forget_items(*t);
                    st.known.insert(Key::Item(*t, args[0], args[1]), op.args[2]);
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
                // Allocation, checks, promote: no write to existing objects.
                _ => {}
            }
        }
        out_state.insert(b, st);
    }
    changed
}

/// `ps` (the state at the end of `p`) as seen in `b`, whose only
/// predecessor is `p`: values are kept when they are constants or are
/// passed to one of `b`'s inputs.
fn carry_into(g: &LLGraph, p: Block, b: Block, ps: &State) -> State {
    let links = g.blocks[p].exit.links();
    // Two links from p to b (an `if` with both arms there): b's inputs are
    // then not one value each.
    let to_b: Vec<_> = links.iter().filter(|l| l.target == b).collect();
    let [l] = to_b.as_slice() else {
        return State::default();
    };
    let inputs = &g.blocks[b].inputs;
    if inputs.len() != l.args.len() {
        return State::default();
    }
    let mut rename: HashMap<Val, Val> = HashMap::new();
    for (a, i) in l.args.iter().zip(inputs) {
        if let Some(av @ Val::Var(_)) = val(a) {
            rename.entry(av).or_insert(Val::Var(*i));
        }
    }
    let map = |v: &Val| -> Option<Val> {
        match v {
            Val::Var(_) => rename.get(v).copied(),
            c => Some(*c),
        }
    };
    let map_value = |v: &LLValue| -> Option<LLValue> {
        match v {
            LLValue::Var(_) => match rename.get(&val(v)?)? {
                Val::Var(x) => Some(LLValue::Var(*x)),
                Val::Const(..) => None,
            },
            c => Some(*c),
        }
    };
    let mut st = State::default();
    for (k, v) in &ps.known {
        let nk = match k {
            Key::Field(t, f, o) => map(o).map(|o| Key::Field(*t, *f, o)),
            Key::Item(t, a, i) => match (map(a), map(i)) {
                (Some(a), Some(i)) => Some(Key::Item(*t, a, i)),
                _ => None,
            },
            Key::Len(t, a) => map(a).map(|a| Key::Len(*t, a)),
            Key::Pure(n, args) => args
                .iter()
                .map(map)
                .collect::<Option<Vec<_>>>()
                .map(|a| Key::Pure(n.clone(), a)),
        };
        if let (Some(nk), Some(nv)) = (nk, map_value(v)) {
            st.known.insert(nk, nv);
        }
    }
    st
}
