//! Malloc removal: a struct object that never escapes its graph lives in
//! SSA values instead of the heap (RPython's malloc removal, on low-level
//! graphs). Run after inlining, it removes the `Option` of `Vec::pop`, the
//! `Result` of `parse` and small tuples that are built and taken apart in
//! one function.
//!
//! The variables that may hold one object are grouped by following links
//! (argument to block input) and `same_as` copies (a union-find). A group
//! is removed when every use of its variables is a field read or write of
//! the object (never the stored value, a call argument, a comparison, a
//! return) and its objects come only from `malloc`s in the graph, or from
//! prebuilt objects of the same type that are never written through it.
//! A `type_id_of` of the object is its type's constant id; a `ptr_cast`
//! of it (to `*Object` and back, for `dyn Trait`) makes it escape, since
//! the cast result is a variable of another type outside the group.
//! Each block then holds at most one object of the group at a time (its
//! *origin*: one block input or one `malloc`), so the object's fields can
//! be followed through the block op by op and passed along links as one
//! value per field.

use crate::unionfind::UnionFind;
use cranelift_entity::{EntityRef, SecondaryMap};
use flowspace::model::{Block, IntTy, Var};
use rtyper::llgraph::{
    LLBlock, LLConst, LLExit, LLGraph, LLLink, LLOp, LLOpKind, LLValue, LLVarData, Prebuilt,
    PrebuiltData, PrebuiltId,
};
use rtyper::lltype::{GcTypeId, GcTypeKind, GcTypes, LLType};
use rtyper::repr::Reprs;
use std::collections::HashMap;

use cranelift_entity::PrimaryMap;

/// What a group of variables needs to be removable.
#[derive(Clone, Debug)]
struct Group {
    ty: GcTypeId,
    ok: bool,
}

/// Removes the non-escaping struct objects of `g`; returns how many
/// `malloc`s went away.
pub fn remove_mallocs(
    g: &mut LLGraph,
    types: &GcTypes,
    prebuilt: &PrimaryMap<PrebuiltId, Prebuilt>,
) -> usize {
    if !well_formed(g) {
        return 0;
    }
    let mut uf = UnionFind::new(g.vars.len());
    let is_ptr = |g: &LLGraph, v: Var| g.vars.get(v).is_some_and(|d| d.ty.is_ptr());
    for bd in g.blocks.values() {
        for op in &bd.ops {
            if let (LLOpKind::SameAs, [LLValue::Var(a)]) = (&op.kind, op.args.as_slice()) {
                if is_ptr(g, *a) && is_ptr(g, op.result) {
                    uf.union(a.index(), op.result.index());
                }
            }
        }
        for l in bd.exit.links() {
            for (a, &input) in l.args.iter().zip(&g.blocks[l.target].inputs) {
                if let LLValue::Var(a) = a {
                    if is_ptr(g, *a) && is_ptr(g, input) {
                        uf.union(a.index(), input.index());
                    }
                }
            }
        }
    }
    // One candidate group per root holding a malloc of a struct type.
    let mut groups: HashMap<usize, Group> = HashMap::new();
    for op in g.blocks.values().flat_map(|b| &b.ops) {
        if let LLOpKind::Malloc(t) = op.kind {
            if matches!(
                types.get(t).map(|d| &d.kind),
                Some(GcTypeKind::Struct { .. })
            ) {
                let r = uf.find(op.result.index());
                let e = groups.entry(r).or_insert(Group { ty: t, ok: true });
                e.ok &= e.ty == t;
            }
        }
    }
    if groups.is_empty() {
        return 0;
    }
    validate(g, &mut uf, &mut groups, prebuilt);
    groups.retain(|_, grp| grp.ok);
    if groups.is_empty() {
        return 0;
    }
    match rewrite(g, &mut uf, &groups, types, prebuilt) {
        Some((blocks, vars, removed)) => {
            g.blocks = blocks;
            g.vars = vars;
            removed
        }
        None => 0,
    }
}

/// Every link names an existing block with the right number of arguments
/// (a malformed graph is left alone; the backend reports it).
pub(crate) fn well_formed(g: &LLGraph) -> bool {
    g.blocks.is_valid(g.start)
        && g.blocks.values().all(|b| {
            b.exit.links().iter().all(|l| {
                g.blocks
                    .get(l.target)
                    .is_some_and(|t| t.inputs.len() == l.args.len())
            }) && b.inputs.iter().all(|v| g.vars.is_valid(*v))
                && b.ops.iter().all(|op| {
                    g.vars.is_valid(op.result)
                        && op.args.iter().all(|a| match a {
                            LLValue::Var(v) => g.vars.is_valid(*v),
                            LLValue::Const(_) => true,
                        })
                })
        })
}

/// Marks the groups that escape or cannot be followed block by block.
fn validate(
    g: &LLGraph,
    uf: &mut UnionFind,
    groups: &mut HashMap<usize, Group>,
    prebuilt: &PrimaryMap<PrebuiltId, Prebuilt>,
) {
    let group_of = |v: Var, uf: &mut UnionFind| {
        let r = uf.find(v.index());
        groups.contains_key(&r).then_some(r)
    };
    let mut bad: Vec<usize> = vec![];
    let mut from_prebuilt: Vec<usize> = vec![];
    // Variables of a group all have the group's pointer type.
    for (v, d) in g.vars.iter() {
        if let Some(r) = group_of(v, uf) {
            if d.ty != LLType::Ptr(groups[&r].ty) {
                bad.push(r);
            }
        }
    }
    // (group, block) pairs where the block's origin is an input, and the
    // blocks holding a set through such an origin.
    let mut written_via_input: Vec<usize> = vec![];
    for (b, bd) in g.blocks.iter() {
        let mut origins: HashMap<usize, (usize, bool)> = HashMap::new();
        for &v in &bd.inputs {
            if let Some(r) = group_of(v, uf) {
                if b == g.start {
                    // A parameter: an object from the caller.
                    bad.push(r);
                }
                origins.entry(r).or_insert((0, true)).0 += 1;
            }
        }
        for op in &bd.ops {
            if let Some(r) = group_of(op.result, uf) {
                match op.kind {
                    LLOpKind::Malloc(_) => {
                        let e = origins.entry(r).or_insert((0, false));
                        e.0 += 1;
                    }
                    LLOpKind::SameAs => {}
                    // An object from elsewhere (a call, a field) joins.
                    _ => bad.push(r),
                }
            }
            for (i, a) in op.args.iter().enumerate() {
                let LLValue::Var(a) = a else { continue };
                let Some(r) = group_of(*a, uf) else { continue };
                let ty = groups[&r].ty;
                match op.kind {
                    LLOpKind::GetField { ty: t, .. } if i == 0 && t == ty => {}
                    LLOpKind::SetField { ty: t, .. } if i == 0 && t == ty => {
                        if origins.get(&r).is_some_and(|o| o.1) {
                            written_via_input.push(r);
                        }
                    }
                    LLOpKind::SameAs => {}
                    // The header's type id: the group's type, a constant.
                    LLOpKind::TypeIdOf if i == 0 => {}
                    // Includes `PtrCast`: the object escapes (correct, if
                    // not optimal).
                    _ => bad.push(r),
                }
            }
        }
        for (r, (n, _)) in &origins {
            if *n > 1 {
                bad.push(*r);
            }
        }
        let mut exit_use = |v: &LLValue, uf: &mut UnionFind| {
            if let LLValue::Var(v) = v {
                if let Some(r) = group_of(*v, uf) {
                    bad.push(r);
                }
            }
        };
        match &bd.exit {
            LLExit::If { cond, .. } => exit_use(cond, uf),
            LLExit::Switch { value, .. } => exit_use(value, uf),
            LLExit::Return(v) => exit_use(v, uf),
            LLExit::Goto(_) | LLExit::Unreachable => {}
        }
        for l in bd.exit.links() {
            for (a, &input) in l.args.iter().zip(&g.blocks[l.target].inputs) {
                let LLValue::Const(c) = a else { continue };
                let Some(r) = group_of(input, uf) else {
                    continue;
                };
                match c {
                    LLConst::Prebuilt(p)
                        if prebuilt.get(*p).is_some_and(|pb| {
                            pb.ty == groups[&r].ty && matches!(pb.data, PrebuiltData::Struct(_))
                        }) =>
                    {
                        from_prebuilt.push(r);
                    }
                    _ => bad.push(r),
                }
            }
        }
    }
    // A write through an object that may be a prebuilt one would change
    // the prebuilt object in the program but only a copy here.
    for r in written_via_input {
        if from_prebuilt.contains(&r) {
            bad.push(r);
        }
    }
    for r in bad {
        if let Some(grp) = groups.get_mut(&r) {
            grp.ok = false;
        }
    }
}

type Rewritten = (
    PrimaryMap<Block, LLBlock>,
    PrimaryMap<Var, LLVarData>,
    usize,
);

/// The graph's blocks and variables with the groups' objects replaced by
/// their fields; None if the graph turns out not to fit (left unchanged).
fn rewrite(
    g: &LLGraph,
    uf: &mut UnionFind,
    groups: &HashMap<usize, Group>,
    types: &GcTypes,
    prebuilt: &PrimaryMap<PrebuiltId, Prebuilt>,
) -> Option<Rewritten> {
    let mut vars = g.vars.clone();
    let mut removed = 0;
    let fields_of = |t: GcTypeId| -> Vec<LLType> {
        match types.get(t).map(|d| &d.kind) {
            Some(GcTypeKind::Struct { fields, .. }) => fields.iter().map(|f| f.ty).collect(),
            _ => vec![],
        }
    };
    let mut group: SecondaryMap<Var, Option<usize>> = SecondaryMap::new();
    for v in g.vars.keys() {
        let r = uf.find(v.index());
        if groups.contains_key(&r) {
            group[v] = Some(r);
        }
    }
    let mut blocks = g.blocks.clone();
    for (b, bd) in g.blocks.iter() {
        // The current field values of the block's object, per group.
        let mut cur: HashMap<usize, Vec<LLValue>> = HashMap::new();
        let mut inputs = Vec::with_capacity(bd.inputs.len());
        for &v in &bd.inputs {
            let Some(r) = group[v] else {
                inputs.push(v);
                continue;
            };
            let name = vars[v].name.clone();
            let mut vals = vec![];
            for (i, t) in fields_of(groups[&r].ty).into_iter().enumerate() {
                if t == LLType::Void {
                    vals.push(LLValue::Const(LLConst::Void));
                    continue;
                }
                let nv = vars.push(LLVarData {
                    ty: t,
                    name: name.as_ref().map(|n| format!("{n}.{i}")),
                });
                inputs.push(nv);
                vals.push(LLValue::Var(nv));
            }
            cur.insert(r, vals);
        }
        let mut ops: Vec<LLOp> = Vec::with_capacity(bd.ops.len());
        for op in &bd.ops {
            let obj = match op.args.first() {
                Some(LLValue::Var(a)) => group[*a],
                _ => None,
            };
            match (&op.kind, group[op.result], obj) {
                (LLOpKind::Malloc(t), Some(r), _) => {
                    cur.insert(r, fields_of(*t).into_iter().map(zero).collect());
                    removed += 1;
                }
                (LLOpKind::SameAs, Some(_), _) => {}
                (LLOpKind::GetField { field, .. }, _, Some(r)) => {
                    let v = *cur.get(&r)?.get(*field as usize)?;
                    ops.push(LLOp {
                        kind: LLOpKind::SameAs,
                        args: vec![v],
                        result: op.result,
                        span: op.span,
                    });
                }
                (LLOpKind::SetField { field, .. }, _, Some(r)) => {
                    let v = *op.args.get(1)?;
                    *cur.get_mut(&r)?.get_mut(*field as usize)? = v;
                }
                (LLOpKind::TypeIdOf, _, Some(r)) => {
                    let id = groups[&r].ty.index() as i64;
                    ops.push(LLOp {
                        kind: LLOpKind::SameAs,
                        args: vec![LLValue::Const(LLConst::Int(id, IntTy::U32))],
                        result: op.result,
                        span: op.span,
                    });
                }
                _ => ops.push(op.clone()),
            }
        }
        let link = |l: &LLLink, cur: &HashMap<usize, Vec<LLValue>>| -> Option<LLLink> {
            let mut args = vec![];
            for (a, &input) in l.args.iter().zip(&g.blocks[l.target].inputs) {
                let Some(r) = group[input] else {
                    args.push(*a);
                    continue;
                };
                let vals: Vec<LLValue> = match a {
                    LLValue::Var(_) => cur.get(&r)?.clone(),
                    LLValue::Const(LLConst::Prebuilt(p)) => match &prebuilt.get(*p)?.data {
                        PrebuiltData::Struct(cs) => cs.iter().map(|c| LLValue::Const(*c)).collect(),
                        _ => return None,
                    },
                    LLValue::Const(_) => return None,
                };
                let tys = fields_of(groups[&r].ty);
                if vals.len() != tys.len() {
                    return None;
                }
                args.extend(
                    vals.into_iter()
                        .zip(tys)
                        .filter(|(_, t)| *t != LLType::Void)
                        .map(|(v, _)| v),
                );
            }
            Some(LLLink {
                target: l.target,
                args,
            })
        };
        let exit = match &bd.exit {
            LLExit::Goto(l) => LLExit::Goto(link(l, &cur)?),
            LLExit::If {
                cond,
                then_link,
                else_link,
            } => LLExit::If {
                cond: *cond,
                then_link: link(then_link, &cur)?,
                else_link: link(else_link, &cur)?,
            },
            LLExit::Switch {
                value,
                cases,
                default,
            } => LLExit::Switch {
                value: *value,
                cases: cases
                    .iter()
                    .map(|(k, l)| Some((*k, link(l, &cur)?)))
                    .collect::<Option<Vec<_>>>()?,
                default: link(default, &cur)?,
            },
            e @ (LLExit::Return(_) | LLExit::Unreachable) => e.clone(),
        };
        blocks[b] = LLBlock { inputs, ops, exit };
    }
    Some((blocks, vars, removed))
}

fn zero(t: LLType) -> LLValue {
    LLValue::Const(Reprs::zero(t))
}
