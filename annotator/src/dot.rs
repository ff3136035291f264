//! Annotated flow graphs as Graphviz dot (with `flowspace::dot`'s writer):
//! each block lists its inputs and operations with the annotation of every
//! variable they define; blocks the annotator never reached are marked.

use crate::result::Annotations;
use flowspace::dot::DotWriter;
use flowspace::model::{GraphId, Program, Var};
use flowspace::text::{exit_text, op_text, value_text};

/// The dot text of graph `g` with annotations.
pub fn annotated_graph_to_dot(prog: &Program, anns: &Annotations, g: GraphId) -> String {
    let Some(gr) = prog.graphs.get(g) else {
        return String::new();
    };
    let ann = |v: Var| anns.describe(prog, &anns.var(g, v));
    let mut w = DotWriter::new(&gr.name);
    for (b, bd) in gr.blocks.iter() {
        let inputs: Vec<String> = bd
            .inputs
            .iter()
            .map(|v| format!("{v}: {}", ann(*v)))
            .collect();
        let mut header = format!("{b}({})", inputs.join(", "));
        if !anns.block_reached(g, b) {
            header.push_str("  [not reached]");
        }
        let mut lines: Vec<String> = bd
            .ops
            .iter()
            .map(|op| format!("{}    : {}", op_text(prog, op), ann(op.result)))
            .collect();
        lines.push(exit_text(prog, &bd.exit));
        w.block(&b.to_string(), &header, &lines);
        for l in bd.exit.links() {
            let args: Vec<String> = l.args.iter().map(|a| value_text(prog, a)).collect();
            w.edge(&b.to_string(), &l.target.to_string(), &args.join(", "));
        }
    }
    w.finish()
}
