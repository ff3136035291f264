//! After the fixpoint: `Ok(x)`, `Err(e)` and the `None` that `value?`
//! returns know only part of their type (`Result<i64, !>`). Where such a
//! value only flows into places of one fuller type (block inputs, the
//! function's return value), it takes that type, so the rtyper builds it in
//! its final layout at once instead of converting it where paths join.

use crate::model::SomeValue;
use crate::result::Annotations;
use flowspace::model::{Exit, GraphId, OpKind, Program, Value, Var};
use std::collections::HashMap;

pub(crate) fn widen_partial(prog: &Program, out: &mut Annotations) {
    for g in out.reachable.clone() {
        // Each round widens the values that flow straight into widened
        // ones; a chain of joins takes one round per step.
        while widen_graph(prog, out, g) {}
    }
}

/// Where each variable flows: `Some(ann)` per place of annotation `ann`,
/// `None` once it is also used any other way.
fn widen_graph(prog: &Program, out: &mut Annotations, g: GraphId) -> bool {
    let Some(gr) = prog.graphs.get(g) else {
        return false;
    };
    let mut uses: HashMap<Var, Option<Vec<SomeValue>>> = HashMap::new();
    let other = |uses: &mut HashMap<Var, Option<Vec<SomeValue>>>, v: &Value| {
        if let Value::Var(x) = v {
            uses.insert(*x, None);
        }
    };
    let flows = |uses: &mut HashMap<Var, Option<Vec<SomeValue>>>, v: &Value, to: SomeValue| {
        if let Value::Var(x) = v {
            if let Some(list) = uses.entry(*x).or_insert_with(|| Some(vec![])) {
                list.push(to);
            }
        }
    };
    for (b, bd) in gr.blocks.iter() {
        if !out.block_reached(g, b) {
            continue;
        }
        for op in &bd.ops {
            match (&op.kind, op.args.as_slice()) {
                // Copies (`let r: T = Err(e);`) pass the value on unchanged.
                (OpKind::SameAs | OpKind::Deref | OpKind::Ref { .. }, [a]) => {
                    flows(&mut uses, a, out.var(g, op.result))
                }
                _ => {
                    for a in &op.args {
                        other(&mut uses, a);
                    }
                }
            }
        }
        match &bd.exit {
            Exit::Return(v) => {
                let r = out
                    .returns
                    .get(&g)
                    .cloned()
                    .unwrap_or(SomeValue::Impossible);
                flows(&mut uses, v, r);
            }
            Exit::If { cond: v, .. } | Exit::Switch { value: v, .. } => other(&mut uses, v),
            Exit::Goto(_) | Exit::Unreachable => {}
        }
        for l in bd.exit.links() {
            let inputs = &gr.blocks[l.target].inputs;
            for (a, inp) in l.args.iter().zip(inputs) {
                flows(&mut uses, a, out.var(g, *inp));
            }
        }
    }
    let mut changed = false;
    for (v, places) in uses {
        let Some(places) = places else { continue };
        let have = out.var(g, v);
        let Some(first) = places.first() else {
            continue;
        };
        let same = places
            .iter()
            .all(|p| SomeValue::erased(p) == SomeValue::erased(first));
        if same && SomeValue::erased(&have) != SomeValue::erased(first) && completes(&have, first) {
            if let Some(m) = out.vars.get_mut(&g) {
                m.insert(v, first.clone());
                changed = true;
            }
        }
    }
    changed
}

/// `to` is `have` with types filled in where `have` has none.
fn completes(have: &SomeValue, to: &SomeValue) -> bool {
    use SomeValue as S;
    let side = |h: &SomeValue, t: &SomeValue| {
        h.is_impossible() || SomeValue::erased(h) == SomeValue::erased(t)
    };
    match (have, to) {
        (S::Result(ho, he), S::Result(to, te)) => side(ho, to) && side(he, te),
        (S::Option(h), S::Option(t)) => side(h, t),
        _ => false,
    }
}
