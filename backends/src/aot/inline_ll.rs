//! Inlining of small graphs that may collect, on the low-level graphs,
//! before the shadow-stack plan is made (RPython inlines before its GC
//! transform for the same reason). Cranelift's inliner (`inline.rs`) runs
//! after lowering, when the caller already spills its live references
//! around the whole call: for a callee like `Tape::advance` that allocates
//! only on a rare path (`Vec::push` growing), every call would pay the
//! spills, the reloads and the callee's own frame. Inlined here, the
//! caller's references are spilled only around the callee's allocating
//! call itself, on its own path.

use cranelift_entity::EntityRef;
use flowspace::model::{Block, Var};
use rtyper::llgraph::{
    LLBlock, LLExit, LLGraph, LLGraphId, LLLink, LLOpKind, LLProgram, LLValue, LLVarData,
};
use rtyper::lltype::LLType;
use std::collections::HashMap;

/// Largest callee (in ops) inlined here.
pub(crate) const MAX_CALLEE_OPS: usize = 24;
/// Ops inlining may add to one caller.
const BUDGET_OPS: usize = 400;
/// Inlining inside inlined bodies stops at this depth (recursion).
const MAX_DEPTH: usize = 3;

/// Whether `g` holds a jit merge point.
pub(crate) fn is_portal(g: &LLGraph) -> bool {
    g.blocks
        .values()
        .flat_map(|b| &b.ops)
        .any(|op| matches!(op.kind, LLOpKind::JitMergePoint { .. }))
}

/// The graph `caller` with its calls of small collecting graphs inlined,
/// or None when there is nothing to inline.
pub(crate) fn inline_collecting_calls(
    program: &LLProgram,
    caller: LLGraphId,
    collecting: &[bool],
) -> Option<LLGraph> {
    let g = &program.graphs[caller];
    let eligible = |callee: LLGraphId, args: usize| -> bool {
        let Some(c) = program.graphs.get(callee) else {
            return false;
        };
        callee != caller
            // A portal's merge point may return from the portal itself
            // (`aot/jit.rs`): it must stay a function of its own.
            && !is_portal(c)
            && collecting.get(callee.index()).copied().unwrap_or(false)
            && c.op_count() <= MAX_CALLEE_OPS
            && c.params().len() == args
            && c.blocks.is_valid(c.start)
            // A malformed callee is lowered (and reported) on its own.
            && c.blocks
                .values()
                .all(|b| b.exit.links().iter().all(|l| c.blocks.is_valid(l.target)))
    };
    let any = g
        .blocks
        .values()
        .flat_map(|b| &b.ops)
        .any(|op| matches!(op.kind, LLOpKind::DirectCall(c) if eligible(c, op.args.len())));
    if !any {
        return None;
    }
    let mut out = LLGraph {
        name: g.name.clone(),
        ret: g.ret,
        start: g.start,
        blocks: g.blocks.clone(),
        vars: g.vars.clone(),
        hints: g.hints.clone(),
        span: g.span,
    };
    let mut budget = BUDGET_OPS;
    let mut work: Vec<(Block, usize)> = out.blocks.keys().map(|b| (b, 0)).collect();
    while let Some((b, depth)) = work.pop() {
        if depth >= MAX_DEPTH {
            continue;
        }
        let found = out.blocks[b].ops.iter().position(|op| {
            matches!(op.kind, LLOpKind::DirectCall(c)
                if eligible(c, op.args.len()) && program.graphs[c].op_count() <= budget)
        });
        let Some(i) = found else { continue };
        let LLOpKind::DirectCall(callee) = out.blocks[b].ops[i].kind else {
            unreachable!("found a DirectCall")
        };
        let callee = &program.graphs[callee];
        budget -= callee.op_count();
        // Split `b` at the call: the ops after it and the exit move to a
        // new block whose input is the call's result.
        let call = out.blocks[b].ops[i].clone();
        let rest = out.blocks[b].ops.split_off(i + 1);
        out.blocks[b].ops.pop();
        let post = out.blocks.push(LLBlock {
            inputs: vec![call.result],
            ops: rest,
            exit: LLExit::Unreachable,
        });
        let mut r = Renamer {
            callee,
            vars: HashMap::new(),
            blocks: HashMap::new(),
        };
        for cb in callee.blocks.keys() {
            let nb = out.blocks.push(LLBlock {
                inputs: vec![],
                ops: vec![],
                exit: LLExit::Unreachable,
            });
            r.blocks.insert(cb, nb);
        }
        let exit = std::mem::replace(
            &mut out.blocks[b].exit,
            LLExit::Goto(LLLink {
                target: r.blocks[&callee.start],
                args: call.args.clone(),
            }),
        );
        out.blocks[post].exit = exit;
        for (cb, cbd) in callee.blocks.iter() {
            let mut nbd = LLBlock {
                inputs: cbd.inputs.iter().map(|v| r.var(&mut out, *v)).collect(),
                ops: Vec::with_capacity(cbd.ops.len()),
                exit: LLExit::Unreachable,
            };
            for op in &cbd.ops {
                let mut op = op.clone();
                for a in &mut op.args {
                    *a = r.val(&mut out, a);
                }
                op.result = r.var(&mut out, op.result);
                nbd.ops.push(op);
            }
            nbd.exit = match &cbd.exit {
                LLExit::Goto(l) => LLExit::Goto(r.link(&mut out, l)),
                LLExit::If {
                    cond,
                    then_link,
                    else_link,
                } => LLExit::If {
                    cond: r.val(&mut out, cond),
                    then_link: r.link(&mut out, then_link),
                    else_link: r.link(&mut out, else_link),
                },
                LLExit::Switch {
                    value,
                    cases,
                    default,
                } => LLExit::Switch {
                    value: r.val(&mut out, value),
                    cases: cases
                        .iter()
                        .map(|(k, l)| (*k, r.link(&mut out, l)))
                        .collect(),
                    default: r.link(&mut out, default),
                },
                // The callee's return: on to the rest of the caller's block.
                LLExit::Return(v) => LLExit::Goto(LLLink {
                    target: post,
                    args: vec![r.val(&mut out, v)],
                }),
                LLExit::Unreachable => LLExit::Unreachable,
            };
            out.blocks[r.blocks[&cb]] = nbd;
        }
        work.push((post, depth));
        work.extend(r.blocks.values().map(|nb| (*nb, depth + 1)));
    }
    Some(out)
}

/// Copies the callee's variables and blocks into the caller.
struct Renamer<'c> {
    callee: &'c LLGraph,
    vars: HashMap<Var, Var>,
    blocks: HashMap<Block, Block>,
}

impl Renamer<'_> {
    fn var(&mut self, out: &mut LLGraph, v: Var) -> Var {
        let callee = self.callee;
        *self.vars.entry(v).or_insert_with(|| {
            // An unknown variable stays unknown-typed (Void); the lowering
            // reports its use.
            let data = callee.vars.get(v).cloned().unwrap_or(LLVarData {
                ty: LLType::Void,
                name: None,
            });
            out.vars.push(data)
        })
    }

    fn val(&mut self, out: &mut LLGraph, v: &LLValue) -> LLValue {
        match v {
            LLValue::Var(x) => LLValue::Var(self.var(out, *x)),
            c => *c,
        }
    }

    fn link(&mut self, out: &mut LLGraph, l: &LLLink) -> LLLink {
        LLLink {
            target: self.blocks[&l.target],
            args: l.args.iter().map(|a| self.val(out, a)).collect(),
        }
    }
}
