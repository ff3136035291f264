//! A verifier of the flow model's invariants, run by the tests on every
//! graph the frontend builds:
//! - every variable is defined once (a block input or an op result);
//! - the start block takes one input per parameter;
//! - every link passes exactly as many values as its target has inputs;
//! - every variable used in a block is one of its inputs or the result of
//!   an earlier op of the same block;
//! - the cases of a `Switch` are distinct.

use crate::model::{Exit, FunctionGraph, Program, Value, Var};
use cranelift_entity::SecondaryMap;
use std::collections::HashSet;

/// All problems found, as `graph: message` lines; `Ok` when there are none.
pub fn verify_program(p: &Program) -> Result<(), Vec<String>> {
    let mut errs = Vec::new();
    for (_, g) in p.graphs.iter() {
        verify_graph(g, &mut errs);
    }
    if p.graphs.get(p.entry).is_none() {
        errs.push("the entry graph does not exist".into());
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(errs)
    }
}

pub fn verify_graph(g: &FunctionGraph, errs: &mut Vec<String>) {
    let mut e = |m: String| errs.push(format!("{}: {m}", g.name));
    let mut defined: SecondaryMap<Var, bool> = SecondaryMap::new();
    let mut define = |v: Var, e: &mut dyn FnMut(String)| {
        if g.vars.get(v).is_none() {
            e(format!("{v} is not in the variable table"));
            return;
        }
        if defined[v] {
            e(format!("{v} is defined twice"));
        }
        defined[v] = true;
    };
    if g.blocks.get(g.start).is_none() {
        e("the start block does not exist".into());
        return;
    }
    if g.blocks[g.start].inputs.len() != g.param_tys.len() {
        e(format!(
            "the start block has {} inputs for {} parameters",
            g.blocks[g.start].inputs.len(),
            g.param_tys.len()
        ));
    }
    for (_, data) in g.blocks.iter() {
        for v in &data.inputs {
            define(*v, &mut e);
        }
        for op in &data.ops {
            define(op.result, &mut e);
        }
    }
    for (b, data) in g.blocks.iter() {
        let mut visible: HashSet<Var> = data.inputs.iter().copied().collect();
        let check = |v: &Value, what: &str, visible: &HashSet<Var>, e: &mut dyn FnMut(String)| {
            if let Value::Var(v) = v {
                if !visible.contains(v) {
                    e(format!("{b}: {what} uses {v}, which is not defined before it in the block or an input"));
                }
            }
        };
        for op in &data.ops {
            for a in &op.args {
                check(a, "an op", &visible, &mut e);
            }
            visible.insert(op.result);
        }
        match &data.exit {
            Exit::If { cond, .. } => check(cond, "the if exit", &visible, &mut e),
            Exit::Switch { value, cases, .. } => {
                check(value, "the switch exit", &visible, &mut e);
                for (i, (c, _)) in cases.iter().enumerate() {
                    if cases[..i].iter().any(|(d, _)| d == c) {
                        e(format!("{b}: switch case {c:?} appears twice"));
                    }
                }
            }
            Exit::Return(v) => check(v, "the return", &visible, &mut e),
            Exit::Goto(_) | Exit::Unreachable => {}
        }
        for l in data.exit.links() {
            for a in &l.args {
                check(a, "a link", &visible, &mut e);
            }
            match g.blocks.get(l.target) {
                None => e(format!("{b}: link to missing {}", l.target)),
                Some(t) => {
                    if t.inputs.len() != l.args.len() {
                        e(format!(
                            "{b}: link to {} passes {} values for {} inputs",
                            l.target,
                            l.args.len(),
                            t.inputs.len()
                        ));
                    }
                }
            }
        }
    }
}
