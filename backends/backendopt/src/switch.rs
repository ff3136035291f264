//! Chains of equality tests against constants become one `switch`: a
//! `match` on named constants (`ADD => .., SUB => ..`) is lowered as one
//! `==` and branch per arm, where literal patterns already give a switch
//! (which Cranelift turns into a jump table or a binary search).
//!
//! The chain starts at a block whose exit branches on `x == K1` and goes
//! on through else-blocks that hold nothing but the next `x == K2` test
//! of the same value (passed along as one of their inputs).

use flowspace::model::{Block, Var};
use rtyper::llgraph::{Cmp, LLConst, LLExit, LLGraph, LLLink, LLOpKind, LLValue};
use std::collections::{HashMap, HashSet};

/// Chains shorter than this stay compares (two or three tests are as
/// fast as a table).
const MIN_CASES: usize = 4;

/// `v == K` with an integer or char constant: (v, K).
fn eq_test(kind: &LLOpKind, args: &[LLValue]) -> Option<(LLValue, i64)> {
    if *kind != LLOpKind::IntCmp(Cmp::Eq) {
        return None;
    }
    let k = |c: &LLConst| match c {
        LLConst::Int(n, _) => Some(*n),
        LLConst::Char(ch) => Some(*ch as i64),
        _ => None,
    };
    match args {
        [v @ LLValue::Var(_), LLValue::Const(c)] | [LLValue::Const(c), v @ LLValue::Var(_)] => {
            Some((*v, k(c)?))
        }
        _ => None,
    }
}

/// The test a block ends with: (tested value, constant, then, else), when
/// its last op is the test and only the branch reads it.
fn block_test(g: &LLGraph, b: Block) -> Option<(LLValue, i64, LLLink, LLLink)> {
    let bd = g.blocks.get(b)?;
    let LLExit::If {
        cond: LLValue::Var(c),
        then_link,
        else_link,
    } = &bd.exit
    else {
        return None;
    };
    let last = bd.ops.last()?;
    if last.result != *c {
        return None;
    }
    let reads_c = |l: &LLLink| l.args.contains(&LLValue::Var(*c));
    if reads_c(then_link) || reads_c(else_link) {
        return None;
    }
    let (v, k) = eq_test(&last.kind, &last.args)?;
    Some((v, k, then_link.clone(), else_link.clone()))
}

/// Rewrites every chain of at least `MIN_CASES` tests; returns how many.
pub fn chains_to_switches(g: &mut LLGraph) -> usize {
    let mut made = 0;
    // Heads first (reverse postorder), so a chain is rewritten from its
    // first test and its tail blocks do not start chains of their own.
    let mut absorbed: HashSet<Block> = HashSet::new();
    for b in crate::cfg::reverse_postorder(g) {
        if absorbed.contains(&b) {
            continue;
        }
        let Some((value, k0, then0, else0)) = block_test(g, b) else {
            continue;
        };
        if !matches!(value, LLValue::Var(_)) {
            continue;
        }
        let mut cases: Vec<(i64, LLLink)> = vec![(k0, then0)];
        let mut seen: HashSet<i64> = HashSet::from([k0]);
        let mut visited: HashSet<Block> = HashSet::from([b]);
        let mut default = else0;
        loop {
            let e = default.target;
            if !visited.insert(e) || e == g.start {
                break;
            }
            let ed = &g.blocks[e];
            if ed.ops.len() != 1 || ed.inputs.len() != default.args.len() {
                break;
            }
            let Some((LLValue::Var(xe), k, then_e, else_e)) = block_test(g, e) else {
                break;
            };
            // The else-block must test the same value, received as input.
            let map: HashMap<Var, LLValue> = ed
                .inputs
                .iter()
                .copied()
                .zip(default.args.iter().copied())
                .collect();
            if map.get(&xe) != Some(&value) {
                break;
            }
            let sub = |l: &LLLink| -> Option<LLLink> {
                Some(LLLink {
                    target: l.target,
                    args: l
                        .args
                        .iter()
                        .map(|a| match a {
                            LLValue::Var(x) => map.get(x).copied(),
                            c => Some(*c),
                        })
                        .collect::<Option<Vec<_>>>()?,
                })
            };
            let (Some(t), Some(el)) = (sub(&then_e), sub(&else_e)) else {
                break;
            };
            // A repeated constant never matches after the first.
            if seen.insert(k) {
                cases.push((k, t));
            }
            default = el;
        }
        if cases.len() < MIN_CASES {
            continue;
        }
        absorbed.extend(visited);
        let bd = &mut g.blocks[b];
        bd.ops.pop();
        bd.exit = LLExit::Switch {
            value,
            cases,
            default,
        };
        made += 1;
    }
    made
}
