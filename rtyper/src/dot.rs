//! Low-level graphs as Graphviz dot (with `flowspace::dot`'s writer): one
//! node per block, listing its typed inputs and operations.

use crate::dump::{op_name, ty_name, value};
use crate::llgraph::*;
use crate::lltype::LLType;
use flowspace::dot::DotWriter;

pub fn ll_graph_to_dot(p: &LLProgram, id: LLGraphId) -> String {
    let Some(g) = p.graphs.get(id) else {
        return String::new();
    };
    let mut w = DotWriter::new(&g.name);
    for (b, bd) in g.blocks.iter() {
        let inputs: Vec<String> = bd
            .inputs
            .iter()
            .map(|v| {
                format!(
                    "{v}: {}",
                    ty_name(
                        &p.types,
                        g.vars.get(*v).map(|d| d.ty).unwrap_or(LLType::Void)
                    )
                )
            })
            .collect();
        let mut lines: Vec<String> = bd
            .ops
            .iter()
            .map(|op| {
                let args: Vec<String> = op.args.iter().map(value).collect();
                let t = g.vars.get(op.result).map(|d| d.ty);
                format!(
                    "{}: {} = {}({})",
                    op.result,
                    t.map(|t| ty_name(&p.types, t)).unwrap_or_default(),
                    op_name(&p.types, &op.kind),
                    args.join(", ")
                )
            })
            .collect();
        lines.push(match &bd.exit {
            LLExit::Goto(_) => "goto".to_string(),
            LLExit::If { cond, .. } => format!("if {}", value(cond)),
            LLExit::Switch { value: v, .. } => format!("switch {}", value(v)),
            LLExit::Return(v) => format!("return {}", value(v)),
            LLExit::Unreachable => "unreachable".into(),
        });
        w.block(
            &b.to_string(),
            &format!("{b}({})", inputs.join(", ")),
            &lines,
        );
        for l in bd.exit.links() {
            let args: Vec<String> = l.args.iter().map(value).collect();
            w.edge(&b.to_string(), &l.target.to_string(), &args.join(", "));
        }
    }
    w.finish()
}
