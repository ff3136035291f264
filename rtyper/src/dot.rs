//! Low-level graphs as Graphviz dot (with `flowspace::dot`'s writer): one
//! node per block, listing its typed inputs and operations.

use crate::dump::{op_name, ty_name, typed_var, value};
use crate::llgraph::*;
use flowspace::dot::DotWriter;

pub fn ll_graph_to_dot(p: &LLProgram, id: LLGraphId) -> String {
    let Some(g) = p.graphs.get(id) else {
        return String::new();
    };
    let mut w = DotWriter::new(&g.name);
    for (b, bd) in g.blocks.iter() {
        let inputs: Vec<String> = bd.inputs.iter().map(|v| typed_var(p, g, *v)).collect();
        let mut lines: Vec<String> = bd
            .ops
            .iter()
            .map(|op| {
                let args: Vec<String> = op.args.iter().map(|v| value(&p.types, v)).collect();
                let t = g.vars.get(op.result).map(|d| d.ty);
                format!(
                    "{}: {} = {}({})",
                    op.result,
                    t.map(|t| ty_name(&p.types, t)).unwrap_or_default(),
                    op_name(p, &op.kind),
                    args.join(", ")
                )
            })
            .collect();
        lines.push(match &bd.exit {
            LLExit::Goto(_) => "goto".to_string(),
            LLExit::If { cond, .. } => format!("if {}", value(&p.types, cond)),
            LLExit::Switch { value: v, .. } => format!("switch {}", value(&p.types, v)),
            LLExit::Return(v) => format!("return {}", value(&p.types, v)),
            LLExit::Unreachable => "unreachable".into(),
        });
        w.block(
            &b.to_string(),
            &format!("{b}({})", inputs.join(", ")),
            &lines,
        );
        for l in bd.exit.links() {
            let args: Vec<String> = l.args.iter().map(|v| value(&p.types, v)).collect();
            w.edge(&b.to_string(), &l.target.to_string(), &args.join(", "));
        }
    }
    w.finish()
}
