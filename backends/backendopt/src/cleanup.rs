//! The small passes that tidy a graph after inlining and malloc removal:
//! copy propagation of `same_as`, folding of constant comparisons and
//! branches, threading of links through empty blocks, and removal of
//! unused pure ops and of block inputs nobody reads.

use cranelift_entity::{EntityRef, PrimaryMap};
use flowspace::model::{Block, IntTy, Var};
use rtyper::llgraph::{
    Cmp, LLConst, LLExit, LLGraph, LLLink, LLOpKind, LLValue, Prebuilt, PrebuiltId,
};
use rtyper::lltype::LLType;
use std::collections::{HashMap, HashSet};

/// Runs every cleanup pass to a fixpoint (bounded).
pub fn cleanup(g: &mut LLGraph, prebuilt: &PrimaryMap<PrebuiltId, Prebuilt>) {
    for _ in 0..4 {
        clear_unreachable(g);
        let mut changed = merge_inputs(g);
        changed |= propagate(g, prebuilt);
        changed |= thread_jumps(g);
        changed |= remove_dead_inputs(g);
        changed |= remove_dead_ops(g);
        changed |= merge_blocks(g);
        if !changed {
            break;
        }
    }
}

/// Replaces the results of `same_as` (of the same type) and of foldable
/// comparisons by their values within their block; folds `if`/`switch`
/// on constants into gotos.
fn propagate(g: &mut LLGraph, prebuilt: &PrimaryMap<PrebuiltId, Prebuilt>) -> bool {
    let mut changed = false;
    let types: Vec<_> = g.vars.values().map(|d| d.ty).collect();
    let ty_of = |v: &LLValue| match v {
        LLValue::Var(x) => types.get(x.as_u32() as usize).copied(),
        LLValue::Const(c) => Some(c.ty(prebuilt)),
    };
    for bd in g.blocks.values_mut() {
        let mut subst: HashMap<Var, LLValue> = HashMap::new();
        let mut kept = Vec::with_capacity(bd.ops.len());
        for mut op in std::mem::take(&mut bd.ops) {
            for a in &mut op.args {
                if let LLValue::Var(x) = a {
                    if let Some(v) = subst.get(x) {
                        *a = *v;
                    }
                }
            }
            let rt = types.get(op.result.as_u32() as usize).copied();
            let value = match (&op.kind, op.args.as_slice()) {
                (LLOpKind::SameAs, [a]) if ty_of(a) == rt => Some(*a),
                (LLOpKind::IntCmp(c), [LLValue::Const(a), LLValue::Const(b)]) => {
                    fold_cmp(*c, a, b).map(|x| LLValue::Const(LLConst::Bool(x)))
                }
                (LLOpKind::IntNot, [LLValue::Const(LLConst::Bool(b))]) => {
                    Some(LLValue::Const(LLConst::Bool(!b)))
                }
                // A cast to the operand's own type is a copy; null stays
                // null at the new type.
                (LLOpKind::PtrCast, [a]) if ty_of(a) == rt => Some(*a),
                (LLOpKind::PtrCast, [LLValue::Const(LLConst::Null(_))]) => match rt {
                    Some(LLType::Ptr(t)) => Some(LLValue::Const(LLConst::Null(t))),
                    _ => None,
                },
                // A prebuilt object's header holds its type's id.
                (LLOpKind::TypeIdOf, [LLValue::Const(LLConst::Prebuilt(p))]) => prebuilt
                    .get(*p)
                    .map(|pb| LLValue::Const(LLConst::Int(pb.ty.index() as i64, IntTy::U32))),
                _ => None,
            };
            match value {
                Some(v) => {
                    subst.insert(op.result, v);
                    changed = true;
                }
                None => kept.push(op),
            }
        }
        bd.ops = kept;
        bd.exit.values_mut(|v| {
            if let LLValue::Var(x) = v {
                if let Some(n) = subst.get(x) {
                    *v = *n;
                }
            }
        });
        if let Some(l) = constant_choice(&bd.exit) {
            bd.exit = LLExit::Goto(l);
            changed = true;
        }
    }
    changed
}

fn fold_cmp(c: Cmp, a: &LLConst, b: &LLConst) -> Option<bool> {
    use std::cmp::Ordering;
    let ord: Ordering = match (a, b) {
        (LLConst::Int(x, tx), LLConst::Int(y, ty)) if tx == ty => {
            if tx.signed() {
                x.cmp(y)
            } else {
                (*x as u64).cmp(&(*y as u64))
            }
        }
        (LLConst::Bool(x), LLConst::Bool(y)) => x.cmp(y),
        (LLConst::Char(x), LLConst::Char(y)) => x.cmp(y),
        _ => return None,
    };
    Some(match c {
        Cmp::Eq => ord.is_eq(),
        Cmp::Ne => ord.is_ne(),
        Cmp::Lt => ord.is_lt(),
        Cmp::Le => ord.is_le(),
        Cmp::Gt => ord.is_gt(),
        Cmp::Ge => ord.is_ge(),
    })
}

/// The link an `if`/`switch` on a constant always takes.
fn constant_choice(exit: &LLExit) -> Option<LLLink> {
    match exit {
        LLExit::If {
            cond: LLValue::Const(LLConst::Bool(b)),
            then_link,
            else_link,
        } => Some(if *b { then_link } else { else_link }.clone()),
        LLExit::Switch {
            value: LLValue::Const(c),
            cases,
            default,
        } => {
            let k = match c {
                LLConst::Int(k, _) => *k,
                LLConst::Char(ch) => *ch as i64,
                _ => return None,
            };
            Some(
                cases
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map_or(default, |(_, l)| l)
                    .clone(),
            )
        }
        _ => None,
    }
}

/// A link into a block without ops goes straight on where that block's
/// exit would send it: always for a goto, and for an `if`/`switch` on one
/// of its inputs when the link passes a constant there (so a `None` built
/// on one path and tested right after the join never meets the test).
fn thread_jumps(g: &mut LLGraph) -> bool {
    let mut changed = false;
    let blocks: Vec<Block> = g.blocks.keys().collect();
    for b in blocks {
        let mut exit = g.blocks[b].exit.clone();
        let mut any = false;
        for l in exit.links_mut() {
            // Bounded: a cycle of empty blocks must not loop forever.
            for _ in 0..8 {
                let Some(next) = through(g, l) else { break };
                if next.target == l.target {
                    break;
                }
                *l = next;
                any = true;
            }
        }
        // A goto into an empty block that returns returns at once.
        if let LLExit::Goto(l) = &exit {
            if let Some(r) = returned(g, l) {
                exit = LLExit::Return(r);
                any = true;
            }
        }
        if any {
            g.blocks[b].exit = exit;
            changed = true;
        }
    }
    changed
}

/// The value a goto along `l` returns, when its target is an empty
/// block whose exit returns.
fn returned(g: &LLGraph, l: &LLLink) -> Option<LLValue> {
    let t = g.blocks.get(l.target)?;
    let LLExit::Return(v) = &t.exit else {
        return None;
    };
    if !t.ops.is_empty() || t.inputs.len() != l.args.len() || l.target == g.start {
        return None;
    }
    match v {
        LLValue::Var(x) => t.inputs.iter().position(|i| i == x).map(|i| l.args[i]),
        c => Some(*c),
    }
}

/// Where link `l` goes when its target has no ops and its exit is decided.
fn through(g: &LLGraph, l: &LLLink) -> Option<LLLink> {
    let t = g.blocks.get(l.target)?;
    if !t.ops.is_empty() || t.inputs.len() != l.args.len() || l.target == g.start {
        return None;
    }
    let map: HashMap<Var, LLValue> = t
        .inputs
        .iter()
        .copied()
        .zip(l.args.iter().copied())
        .collect();
    let sub = |v: &LLValue| -> Option<LLValue> {
        match v {
            LLValue::Var(x) => map.get(x).copied(),
            c => Some(*c),
        }
    };
    let decided = match &t.exit {
        LLExit::Goto(n) => n.clone(),
        LLExit::If {
            cond,
            then_link,
            else_link,
        } => match sub(cond)? {
            LLValue::Const(LLConst::Bool(b)) => if b { then_link } else { else_link }.clone(),
            _ => return None,
        },
        LLExit::Switch {
            value,
            cases,
            default,
        } => {
            let exit = LLExit::Switch {
                value: sub(value)?,
                cases: cases.clone(),
                default: default.clone(),
            };
            constant_choice(&exit)?
        }
        LLExit::Return(_) | LLExit::Unreachable => return None,
    };
    Some(LLLink {
        target: decided.target,
        args: decided.args.iter().map(sub).collect::<Option<Vec<_>>>()?,
    })
}

/// Block inputs that every link passes the same constant, or the same
/// value as another input, are replaced by that constant or input (the
/// inliner and the SSA builder pass one value under several names); the
/// dead-input pass then drops them.
fn merge_inputs(g: &mut LLGraph) -> bool {
    let n = g.blocks.len();
    let mut preds: Vec<Vec<Vec<LLValue>>> = vec![vec![]; n];
    for bd in g.blocks.values() {
        for l in bd.exit.links() {
            if let Some(p) = preds.get_mut(l.target.index()) {
                p.push(l.args.clone());
            }
        }
    }
    let mut changed = false;
    for (b, bd) in g.blocks.iter_mut() {
        let links = &preds[b.index()];
        if b == g.start || links.is_empty() || links.iter().any(|a| a.len() != bd.inputs.len()) {
            continue;
        }
        let mut subst: HashMap<Var, LLValue> = HashMap::new();
        for j in 0..bd.inputs.len() {
            let first = links[0][j];
            if let LLValue::Const(_) = first {
                if links.iter().all(|a| a[j] == first) {
                    subst.insert(bd.inputs[j], first);
                    continue;
                }
            }
            // An earlier input that always receives the same value.
            if let Some(i) = (0..j)
                .find(|&i| !subst.contains_key(&bd.inputs[i]) && links.iter().all(|a| a[i] == a[j]))
            {
                subst.insert(bd.inputs[j], LLValue::Var(bd.inputs[i]));
            }
        }
        if subst.is_empty() {
            continue;
        }
        changed = true;
        let sub = |v: &mut LLValue| {
            if let LLValue::Var(x) = v {
                if let Some(n) = subst.get(x) {
                    *v = *n;
                }
            }
        };
        for op in &mut bd.ops {
            op.args.iter_mut().for_each(sub);
        }
        bd.exit.values_mut(sub);
    }
    // Inputs now unused go in `remove_dead_inputs`; an input still passed
    // on to itself around a loop is kept by it, which is harmless.
    changed
}

/// Empties the blocks the start cannot reach, so their links no longer
/// count as predecessors anywhere (the backend never compiles them).
fn clear_unreachable(g: &mut LLGraph) {
    let mut reachable = vec![false; g.blocks.len()];
    for b in crate::cfg::reverse_postorder(g) {
        reachable[b.index()] = true;
    }
    for (b, bd) in g.blocks.iter_mut() {
        let empty =
            bd.inputs.is_empty() && bd.ops.is_empty() && matches!(bd.exit, LLExit::Unreachable);
        if !reachable[b.index()] && !empty {
            bd.inputs.clear();
            bd.ops.clear();
            bd.exit = LLExit::Unreachable;
        }
    }
}

/// A block that ends in a goto to a block nothing else links to takes that
/// block's ops and exit (its inputs become copies of the goto's
/// arguments), so later passes and Cranelift see one longer block.
fn merge_blocks(g: &mut LLGraph) -> bool {
    let n = g.blocks.len();
    let order = crate::cfg::reverse_postorder(g);
    let mut preds = vec![0usize; n];
    for bd in g.blocks.values() {
        for l in bd.exit.links() {
            if let Some(p) = preds.get_mut(l.target.index()) {
                *p += 1;
            }
        }
    }
    let mut changed = false;
    for b in order {
        // Repeatedly, along a straight chain.
        while let LLExit::Goto(l) = &g.blocks[b].exit {
            let t = l.target;
            if t == b
                || t == g.start
                || preds.get(t.index()) != Some(&1)
                || g.blocks[t].inputs.len() != l.args.len()
                || g.blocks[t]
                    .ops
                    .iter()
                    .any(|op| matches!(op.kind, LLOpKind::JitMergePoint { .. }))
            {
                break;
            }
            let args = l.args.clone();
            let tail = std::mem::replace(
                &mut g.blocks[t],
                rtyper::llgraph::LLBlock {
                    inputs: vec![],
                    ops: vec![],
                    exit: LLExit::Unreachable,
                },
            );
            let span = tail
                .ops
                .first()
                .map(|o| o.span)
                .or_else(|| g.blocks[b].ops.last().map(|o| o.span))
                .unwrap_or_default();
            let bd = &mut g.blocks[b];
            for (input, a) in tail.inputs.into_iter().zip(args) {
                bd.ops.push(rtyper::llgraph::LLOp {
                    kind: LLOpKind::SameAs,
                    args: vec![a],
                    result: input,
                    span,
                });
            }
            bd.ops.extend(tail.ops);
            bd.exit = tail.exit;
            // `t` is empty and unreachable now; its successors keep their
            // single predecessor (now `b`).
            preds[t.index()] = 0;
            changed = true;
        }
    }
    changed
}

/// Ops without effects whose result nobody uses.
fn is_pure(k: &LLOpKind) -> bool {
    use LLOpKind::*;
    matches!(
        k,
        IntAdd
            | IntSub
            | IntMul
            | IntDiv
            | IntRem
            | IntAnd
            | IntOr
            | IntXor
            | IntShl
            | IntShr
            | IntNeg
            | IntNot
            | IntCmp(_)
            | FloatAdd
            | FloatSub
            | FloatMul
            | FloatDiv
            | FloatRem
            | FloatNeg
            | FloatCmp(_)
            | Cast
            | SameAs
            | GetField { .. }
            | GetArrayItem(_)
            | ArrayLen(_)
            | PtrEq
            | PtrNe
            | TypeIdOf
            | PtrCast
    )
}

fn exit_uses(exit: &LLExit, out: &mut HashSet<Var>) {
    for v in exit.values() {
        if let LLValue::Var(x) = v {
            out.insert(*x);
        }
    }
}

fn remove_dead_ops(g: &mut LLGraph) -> bool {
    let mut changed = false;
    for bd in g.blocks.values_mut() {
        let mut live = HashSet::new();
        exit_uses(&bd.exit, &mut live);
        let mut keep = vec![true; bd.ops.len()];
        for (i, op) in bd.ops.iter().enumerate().rev() {
            if is_pure(&op.kind) && !live.contains(&op.result) {
                keep[i] = false;
                changed = true;
                continue;
            }
            for a in &op.args {
                if let LLValue::Var(x) = a {
                    live.insert(*x);
                }
            }
        }
        let mut it = keep.into_iter();
        bd.ops.retain(|_| it.next().unwrap_or(true));
    }
    changed
}

/// Drops the inputs of non-start blocks that no op or exit reads, except
/// to pass them on to inputs that are dropped too.
fn remove_dead_inputs(g: &mut LLGraph) -> bool {
    // Inputs read directly.
    let mut live: HashSet<Var> = HashSet::new();
    for (b, bd) in g.blocks.iter() {
        if b == g.start {
            live.extend(bd.inputs.iter().copied());
        }
        for op in &bd.ops {
            for a in &op.args {
                if let LLValue::Var(x) = a {
                    live.insert(*x);
                }
            }
        }
        let mut direct = HashSet::new();
        match &bd.exit {
            LLExit::If { cond, .. } => exit_value(cond, &mut direct),
            LLExit::Switch { value, .. } => exit_value(value, &mut direct),
            LLExit::Return(v) => exit_value(v, &mut direct),
            _ => {}
        }
        live.extend(direct);
    }
    // Inputs passed on to live inputs, to a fixpoint.
    loop {
        let mut grew = false;
        for bd in g.blocks.values() {
            for l in bd.exit.links() {
                let Some(t) = g.blocks.get(l.target) else {
                    continue;
                };
                for (a, input) in l.args.iter().zip(&t.inputs) {
                    if let LLValue::Var(x) = a {
                        if live.contains(input) && live.insert(*x) {
                            grew = true;
                        }
                    }
                }
            }
        }
        if !grew {
            break;
        }
    }
    let mut dead: HashMap<Block, Vec<bool>> = HashMap::new();
    for (b, bd) in g.blocks.iter() {
        if b == g.start {
            continue;
        }
        let d: Vec<bool> = bd.inputs.iter().map(|v| !live.contains(v)).collect();
        if d.iter().any(|x| *x) {
            dead.insert(b, d);
        }
    }
    if dead.is_empty() {
        return false;
    }
    for bd in g.blocks.values_mut() {
        for l in bd.exit.links_mut() {
            if let Some(d) = dead.get(&l.target) {
                if d.len() == l.args.len() {
                    let mut it = d.iter();
                    l.args.retain(|_| !*it.next().unwrap_or(&false));
                }
            }
        }
    }
    for (b, d) in dead {
        let mut it = d.into_iter();
        g.blocks[b].inputs.retain(|_| !it.next().unwrap_or(false));
    }
    true
}

fn exit_value(v: &LLValue, out: &mut HashSet<Var>) {
    if let LLValue::Var(x) = v {
        out.insert(*x);
    }
}
