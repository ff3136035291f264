//! Jump threading through small blocks. An interpreter's loop often
//! branches twice on the same value: `let next = pc + 1 + arity(op);`
//! switches on `op` (inlined `arity`), joins, and the dispatch `match op`
//! switches on it again. Each case of the first switch knows `op`, so:
//!
//! 1. `case_constants`: a link taken when `v == k` (a switch case, the
//!    then-link of `if v == K`, either link of `if c`) passes `k` instead
//!    of `v`;
//! 2. `duplicate`: a link that passes a constant to the input a small
//!    block branches on gets a copy of that block of its own, whose
//!    branch the constant decides (cleanup then folds it to a goto); so
//!    does a link into a small block that passes the constant on,
//!    unchanged, to such a block (up to `MAX_DEPTH` blocks away, one
//!    block per round);
//! 3. `merge_switches`: when the default of a switch on `v` leads to a
//!    small block that switches on `v` again, each case of the second
//!    switch joins the first one, with a copy of the small block of its
//!    own: one dispatch per step instead of two.

use cranelift_entity::PrimaryMap;
use flowspace::model::{Block, Var};
use rtyper::llgraph::{
    Cmp, LLBlock, LLConst, LLExit, LLGraph, LLLink, LLOpKind, LLValue, LLVarData,
};
use rtyper::lltype::LLType;
use std::collections::HashMap;

/// Blocks of at most this many ops are copied to thread a link.
const MAX_COPIED_OPS: usize = 8;
/// Copies made per graph, at most (code size).
const MAX_COPIES: usize = 128;

/// The constant `k` of `v`'s type, for a switch case.
fn case_const(ty: LLType, k: i64) -> Option<LLConst> {
    match ty {
        LLType::Int(t) => Some(LLConst::Int(k, t)),
        LLType::Char => char::from_u32(u32::try_from(k).ok()?).map(LLConst::Char),
        _ => None,
    }
}

fn replace_in(l: &mut LLLink, v: Var, c: LLConst) -> bool {
    let mut changed = false;
    for a in &mut l.args {
        if *a == LLValue::Var(v) {
            *a = LLValue::Const(c);
            changed = true;
        }
    }
    changed
}

/// Step 1: links pass the constant their branch implies.
pub fn case_constants(g: &mut LLGraph) -> bool {
    let types: PrimaryMap<Var, LLVarData> = g.vars.clone();
    let ty = |v: Var| types.get(v).map(|d| d.ty);
    let mut changed = false;
    for bd in g.blocks.values_mut() {
        // `c = x == K` defined in this block, for `if c`.
        let eqs: HashMap<Var, (Var, LLConst)> = bd
            .ops
            .iter()
            .filter_map(|op| match (&op.kind, op.args.as_slice()) {
                (LLOpKind::IntCmp(Cmp::Eq), [LLValue::Var(x), LLValue::Const(k)])
                | (LLOpKind::IntCmp(Cmp::Eq), [LLValue::Const(k), LLValue::Var(x)]) => {
                    Some((op.result, (*x, *k)))
                }
                _ => None,
            })
            .collect();
        match &mut bd.exit {
            LLExit::Switch {
                value: LLValue::Var(v),
                cases,
                ..
            } => {
                let Some(t) = ty(*v) else { continue };
                for (k, l) in cases.iter_mut() {
                    if let Some(c) = case_const(t, *k) {
                        changed |= replace_in(l, *v, c);
                    }
                }
            }
            LLExit::If {
                cond: LLValue::Var(c),
                then_link,
                else_link,
            } => {
                changed |= replace_in(then_link, *c, LLConst::Bool(true));
                changed |= replace_in(else_link, *c, LLConst::Bool(false));
                if let Some((x, k)) = eqs.get(c) {
                    if !matches!(k, LLConst::Float(_)) {
                        changed |= replace_in(then_link, *x, *k);
                    }
                }
            }
            _ => {}
        }
    }
    changed
}

/// The input of `b` its exit branches on, if it is one.
fn branch_input(bd: &LLBlock) -> Option<usize> {
    let v = match &bd.exit {
        LLExit::If {
            cond: LLValue::Var(v),
            ..
        }
        | LLExit::Switch {
            value: LLValue::Var(v),
            ..
        } => *v,
        _ => return None,
    };
    bd.inputs.iter().position(|i| *i == v)
}

/// A block small enough to copy, other than the start and the portal's
/// loop header (which stays one block).
fn small(g: &LLGraph, b: Block) -> bool {
    let bd = &g.blocks[b];
    b != g.start
        && bd.ops.len() <= MAX_COPIED_OPS
        && !bd
            .ops
            .iter()
            .any(|op| matches!(op.kind, LLOpKind::JitMergePoint { .. }))
}

fn copyable(g: &LLGraph, b: Block) -> bool {
    small(g, b) && branch_input(&g.blocks[b]).is_some()
}

/// How many small blocks a constant may travel through, unchanged, to
/// the branch it decides (`vm.pop2()` between `ADD | SUB => ..` and the
/// inlined `binop`'s `match op`).
pub const MAX_DEPTH: usize = 3;

/// Whether input `i` of `b` decides a branch within `depth` more blocks:
/// `b` branches on it, or passes it on unchanged to a block where it does.
/// Each copy made for it passes the constant one block further, and the
/// next round of `duplicate` copies that block.
fn decides(g: &LLGraph, b: Block, i: usize, depth: usize) -> bool {
    if !g.blocks.is_valid(b) || !small(g, b) {
        return false;
    }
    let bd = &g.blocks[b];
    if branch_input(bd) == Some(i) {
        return true;
    }
    let Some(&v) = bd.inputs.get(i) else {
        return false;
    };
    depth > 0
        && bd.exit.links().iter().any(|l| {
            l.target != b
                && l.args
                    .iter()
                    .position(|a| *a == LLValue::Var(v))
                    .is_some_and(|j| decides(g, l.target, j, depth - 1))
        })
}

/// Step 2: copies small blocks for links that decide their branch.
pub fn duplicate(g: &mut LLGraph) -> bool {
    let mut copies = 0;
    let blocks: Vec<Block> = g.blocks.keys().collect();
    for p in blocks {
        let n_links = g.blocks[p].exit.links().len();
        for li in 0..n_links {
            if copies >= MAX_COPIES {
                return copies > 0;
            }
            let l = g.blocks[p].exit.links()[li].clone();
            let Some(t) = g.blocks.get(l.target) else {
                continue;
            };
            if l.args.len() != t.inputs.len() {
                continue;
            }
            let decided =
                l.args.iter().enumerate().any(|(i, a)| {
                    matches!(a, LLValue::Const(_)) && decides(g, l.target, i, MAX_DEPTH)
                });
            if !decided {
                continue;
            }
            let copy = copy_block(g, l.target);
            if let Some(link) = g.blocks[p].exit.links_mut().into_iter().nth(li) {
                link.target = copy;
                copies += 1;
            }
        }
    }
    copies > 0
}

/// A copy of block `b` with fresh variables.
fn copy_block(g: &mut LLGraph, b: Block) -> Block {
    let src = g.blocks[b].clone();
    let mut map: HashMap<Var, Var> = HashMap::new();
    let mut fresh = |g: &mut LLGraph, v: Var| -> Var {
        *map.entry(v).or_insert_with(|| {
            let d = g.vars.get(v).cloned().unwrap_or(LLVarData {
                ty: LLType::Void,
                name: None,
            });
            g.vars.push(d)
        })
    };
    let inputs: Vec<Var> = src.inputs.iter().map(|v| fresh(g, *v)).collect();
    let mut ops = src.ops.clone();
    for op in &mut ops {
        for a in &mut op.args {
            if let LLValue::Var(x) = a {
                *x = fresh(g, *x);
            }
        }
        op.result = fresh(g, op.result);
    }
    let mut exit = src.exit.clone();
    exit.values_mut(|v| {
        if let LLValue::Var(x) = v {
            *x = fresh(g, *x);
        }
    });
    g.blocks.push(LLBlock { inputs, ops, exit })
}

/// Cases a second switch may bring into the first, at most.
const MAX_MERGED_CASES: usize = 64;

/// Step 3: the default edge of a switch into a small block switching on
/// the same value.
pub fn merge_switches(g: &mut LLGraph) -> bool {
    let mut changed = false;
    let mut copies = 0;
    let blocks: Vec<Block> = g.blocks.keys().collect();
    for s in blocks {
        let LLExit::Switch {
            value: LLValue::Var(v),
            cases,
            default,
        } = &g.blocks[s].exit
        else {
            continue;
        };
        let (v, default) = (*v, default.clone());
        let known: std::collections::HashSet<i64> = cases.iter().map(|(k, _)| *k).collect();
        let b = default.target;
        if b == s || !g.blocks.is_valid(b) || !copyable(g, b) {
            continue;
        }
        let bd = &g.blocks[b];
        if bd.inputs.len() != default.args.len() {
            continue;
        }
        let LLExit::Switch { cases: inner, .. } = &bd.exit else {
            continue;
        };
        let Some(i) = branch_input(bd) else { continue };
        if default.args[i] != LLValue::Var(v) {
            continue;
        }
        let Some(ty) = g.vars.get(v).map(|d| d.ty) else {
            continue;
        };
        let new: Vec<i64> = inner
            .iter()
            .map(|(k, _)| *k)
            .filter(|k| !known.contains(k))
            .collect();
        if new.is_empty() || new.len() > MAX_MERGED_CASES || copies + new.len() > MAX_COPIES {
            continue;
        }
        let mut added = vec![];
        for k in new {
            let Some(c) = case_const(ty, k) else { continue };
            let copy = copy_block(g, b);
            let mut args = default.args.clone();
            args[i] = LLValue::Const(c);
            added.push((k, LLLink { target: copy, args }));
            copies += 1;
        }
        if let LLExit::Switch { cases, .. } = &mut g.blocks[s].exit {
            cases.extend(added);
            changed = true;
        }
    }
    changed
}
