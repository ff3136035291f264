//! Inlining on the low-level graphs, with a cost model: small callees are
//! always inlined, medium ones where the call sits in a loop of the caller,
//! never a callee in a recursive cycle with its caller (the call graph's
//! strongly connected components) nor a portal (its merge point may return
//! from the portal itself, `backends/src/aot/jit.rs`).
//!
//! Inlining here, before the GC's shadow-stack plan is made (RPython also
//! inlines before its GC transform), means a callee like `Tape::advance`
//! that allocates only on a rare path (`Vec::push` growing) costs the
//! caller spills only around that allocation, on its own path; and an
//! object the callee returns (the `Option` of a `pop`) can then be taken
//! apart by malloc removal in the caller.

use crate::callgraph::CallGraph;
use crate::loops::blocks_in_loops;
use flowspace::model::{Block, Var};
use rtyper::llgraph::{
    LLBlock, LLExit, LLGraph, LLGraphId, LLLink, LLOpKind, LLProgram, LLValue, LLVarData,
};
use rtyper::lltype::LLType;
use std::collections::{HashMap, HashSet};

/// The knobs of the cost model (ops are low-level ops of the callee as it
/// is when its caller is optimised: callees are optimised first).
#[derive(Clone, Copy, Debug)]
pub struct InlineLimits {
    /// Callees of at most this many ops are inlined everywhere.
    pub small: usize,
    /// Callees of at most this many ops are inlined at calls in loops.
    pub medium: usize,
    /// Ops inlining may add to one caller.
    pub budget: usize,
    /// Inlining inside inlined bodies stops at this depth.
    pub depth: usize,
}

impl Default for InlineLimits {
    fn default() -> Self {
        InlineLimits {
            small: 30,
            medium: 150,
            budget: 1500,
            depth: 4,
        }
    }
}

/// Whether `g` holds a jit merge point.
pub fn is_portal(g: &LLGraph) -> bool {
    g.blocks
        .values()
        .flat_map(|b| &b.ops)
        .any(|op| matches!(op.kind, LLOpKind::JitMergePoint { .. }))
}

/// A callee that could be inlined into `caller` at all.
fn inlinable(
    program: &LLProgram,
    calls: &CallGraph,
    caller: LLGraphId,
    callee: LLGraphId,
    args: usize,
) -> bool {
    let Some(c) = program.graphs.get(callee) else {
        return false;
    };
    !calls.same_cycle(caller, callee)
        && !is_portal(c)
        && c.params().len() == args
        && c.blocks.is_valid(c.start)
        // A malformed callee is lowered (and reported) on its own.
        && c.blocks
            .values()
            .all(|b| b.exit.links().iter().all(|l| c.blocks.is_valid(l.target)))
}

/// Inlines the calls of `caller` the cost model picks; returns how many
/// calls were inlined.
pub fn inline_calls(
    program: &mut LLProgram,
    calls: &CallGraph,
    caller: LLGraphId,
    limits: &InlineLimits,
) -> usize {
    let in_loop = blocks_in_loops(&program.graphs[caller]);
    let mut out = std::mem::replace(&mut program.graphs[caller], placeholder());
    let mut budget = limits.budget;
    let mut inlined = 0;
    // (block, depth, whether the block is in a loop of the caller)
    let mut work: Vec<(Block, usize, bool)> = out
        .blocks
        .keys()
        .map(|b| (b, 0, in_loop.contains(&b)))
        .collect();
    while let Some((b, depth, looped)) = work.pop() {
        if depth >= limits.depth {
            continue;
        }
        let found = out.blocks[b].ops.iter().position(|op| {
            let LLOpKind::DirectCall(c) = op.kind else {
                return false;
            };
            if !inlinable(program, calls, caller, c, op.args.len()) {
                return false;
            }
            let size = program.graphs[c].op_count();
            size <= budget && (size <= limits.small || (looped && size <= limits.medium))
        });
        let Some(i) = found else { continue };
        let LLOpKind::DirectCall(callee) = out.blocks[b].ops[i].kind else {
            unreachable!("found a DirectCall")
        };
        let callee = &program.graphs[callee];
        budget -= callee.op_count();
        inlined += 1;
        // Split `b` at the call: the ops after it and the exit move to a
        // new block whose inputs are the call's result and the values of
        // `b` they read, which every block of the inlined body carries
        // along (variables are local to their block).
        let call = out.blocks[b].ops[i].clone();
        let mut rest = out.blocks[b].ops.split_off(i + 1);
        out.blocks[b].ops.pop();
        let mut exit = std::mem::replace(&mut out.blocks[b].exit, LLExit::Unreachable);
        let carried = carried_vars(&out.blocks[b], &rest, &exit);
        let fresh = |out: &mut LLGraph, vs: &[Var]| -> Vec<Var> {
            vs.iter()
                .map(|v| out.vars.push(out.vars[*v].clone()))
                .collect()
        };
        let post_copies = fresh(&mut out, &carried);
        let rename: HashMap<Var, Var> = carried
            .iter()
            .copied()
            .zip(post_copies.iter().copied())
            .collect();
        let sub = |v: &mut LLValue| {
            if let LLValue::Var(x) = v {
                if let Some(n) = rename.get(x) {
                    *x = *n;
                }
            }
        };
        for op in &mut rest {
            op.args.iter_mut().for_each(sub);
        }
        exit.values_mut(sub);
        let mut post_inputs = vec![call.result];
        post_inputs.extend(&post_copies);
        let post = out.blocks.push(LLBlock {
            inputs: post_inputs,
            ops: rest,
            exit,
        });
        let mut r = Renamer {
            callee,
            vars: HashMap::new(),
            blocks: HashMap::new(),
            extra: vec![],
        };
        let mut copies: HashMap<Block, Vec<Var>> = HashMap::new();
        for cb in callee.blocks.keys() {
            let nb = out.blocks.push(LLBlock {
                inputs: vec![],
                ops: vec![],
                exit: LLExit::Unreachable,
            });
            r.blocks.insert(cb, nb);
            copies.insert(cb, fresh(&mut out, &carried));
        }
        let carry =
            |cb: Block| -> Vec<LLValue> { copies[&cb].iter().map(|v| LLValue::Var(*v)).collect() };
        let mut entry_args = call.args.clone();
        entry_args.extend(carried.iter().map(|v| LLValue::Var(*v)));
        out.blocks[b].exit = LLExit::Goto(LLLink {
            target: r.blocks[&callee.start],
            args: entry_args,
        });
        for (cb, cbd) in callee.blocks.iter() {
            let mut inputs: Vec<Var> = cbd.inputs.iter().map(|v| r.var(&mut out, *v)).collect();
            inputs.extend(&copies[&cb]);
            let mut nbd = LLBlock {
                inputs,
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
            r.extra = carry(cb);
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
                LLExit::Return(v) => {
                    let mut args = vec![r.val(&mut out, v)];
                    args.extend(r.extra.iter().copied());
                    LLExit::Goto(LLLink { target: post, args })
                }
                LLExit::Unreachable => LLExit::Unreachable,
            };
            out.blocks[r.blocks[&cb]] = nbd;
        }
        work.push((post, depth, looped));
        // A loop inside the callee makes its blocks loop blocks too, but
        // the call site's status is what the cost model asks about.
        work.extend(r.blocks.values().map(|nb| (*nb, depth + 1, looped)));
    }
    program.graphs[caller] = out;
    inlined
}

/// The variables of `head` (its inputs and op results) that `rest` and
/// `exit` read, each once, in order of first use.
fn carried_vars(head: &LLBlock, rest: &[rtyper::llgraph::LLOp], exit: &LLExit) -> Vec<Var> {
    let mut defined: HashSet<Var> = head.inputs.iter().copied().collect();
    defined.extend(head.ops.iter().map(|op| op.result));
    let mut out = vec![];
    let mut seen = HashSet::new();
    let mut visit = |v: &LLValue| {
        if let LLValue::Var(x) = v {
            if defined.contains(x) && seen.insert(*x) {
                out.push(*x);
            }
        }
    };
    for op in rest {
        op.args.iter().for_each(&mut visit);
    }
    exit.values().into_iter().for_each(visit);
    out
}

/// Stands in for the caller while its graph is being rewritten.
fn placeholder() -> LLGraph {
    let mut blocks = cranelift_entity::PrimaryMap::new();
    let start = blocks.push(LLBlock {
        inputs: vec![],
        ops: vec![],
        exit: LLExit::Unreachable,
    });
    LLGraph {
        name: String::new(),
        ret: LLType::Void,
        start,
        blocks,
        vars: cranelift_entity::PrimaryMap::new(),
        hints: Default::default(),
        span: Default::default(),
    }
}

/// Copies the callee's variables and blocks into the caller.
struct Renamer<'c> {
    callee: &'c LLGraph,
    vars: HashMap<Var, Var>,
    blocks: HashMap<Block, Block>,
    /// The caller's carried values in the block being copied, appended to
    /// each of its links.
    extra: Vec<LLValue>,
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
            args: {
                let mut args: Vec<LLValue> = l.args.iter().map(|a| self.val(out, a)).collect();
                args.extend(self.extra.iter().copied());
                args
            },
        }
    }
}
