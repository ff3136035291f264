//! Graphviz output. `DotWriter` is generic (any stage can draw its graphs
//! with it); `flow_graph_to_dot` draws a flow graph with it.
//!
//! ```
//! use flowspace::dot::DotWriter;
//! let mut w = DotWriter::new("f");
//! w.block("b0", "block0(v0)", &["v1 = add(v0, 1)".to_string()]);
//! w.block("b1", "block1(v1)", &[]);
//! w.edge("b0", "b1", "v1");
//! let dot = w.finish();
//! assert!(dot.starts_with("digraph \"f\""));
//! ```

use crate::model::{Exit, GraphId, Program};
use crate::text::{const_text, exit_text, op_text, value_text};
use std::fmt::Write;

pub struct DotWriter {
    out: String,
}

/// Escapes text for a double-quoted Graphviz string.
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => o.push_str("\\\\"),
            '"' => o.push_str("\\\""),
            '\n' => o.push_str("\\n"),
            '\r' => o.push_str("\\r"),
            c => o.push(c),
        }
    }
    o
}

impl DotWriter {
    pub fn new(name: &str) -> DotWriter {
        let mut out = String::new();
        let _ = writeln!(out, "digraph \"{}\" {{", escape(name));
        out.push_str("  node [shape=box, fontname=\"monospace\", fontsize=10];\n");
        out.push_str("  edge [fontname=\"monospace\", fontsize=9];\n");
        DotWriter { out }
    }

    /// A node `id` showing `header` and then `lines`, left-aligned.
    pub fn block(&mut self, id: &str, header: &str, lines: &[String]) {
        let mut label = escape(header);
        label.push_str("\\l");
        for l in lines {
            label.push_str(&escape(l));
            label.push_str("\\l");
        }
        let _ = writeln!(self.out, "  \"{}\" [label=\"{}\"];", escape(id), label);
    }

    /// An edge, with an optional label (empty for none).
    pub fn edge(&mut self, from: &str, to: &str, label: &str) {
        if label.is_empty() {
            let _ = writeln!(self.out, "  \"{}\" -> \"{}\";", escape(from), escape(to));
        } else {
            let _ = writeln!(
                self.out,
                "  \"{}\" -> \"{}\" [label=\"{}\"];",
                escape(from),
                escape(to),
                escape(label)
            );
        }
    }

    pub fn finish(mut self) -> String {
        self.out.push_str("}\n");
        self.out
    }
}

/// The flow graph of `id` as a dot digraph.
pub fn flow_graph_to_dot(p: &Program, id: GraphId) -> String {
    let Some(g) = p.graphs.get(id) else {
        return DotWriter::new("missing").finish();
    };
    let mut w = DotWriter::new(&g.name);
    for (b, data) in g.blocks.iter() {
        let ins: Vec<String> = data.inputs.iter().map(|v| v.to_string()).collect();
        let mut header = format!("{b}({})", ins.join(", "));
        if b == g.start {
            header = format!("{} {header}", g.name);
        }
        let mut lines: Vec<String> = data.ops.iter().map(|o| op_text(p, o)).collect();
        lines.push(exit_text(p, &data.exit));
        w.block(&b.to_string(), &header, &lines);
        let args = |l: &crate::model::Link| -> String {
            l.args
                .iter()
                .map(|a| value_text(p, a))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match &data.exit {
            Exit::Goto(l) => w.edge(&b.to_string(), &l.target.to_string(), &args(l)),
            Exit::If {
                then_link,
                else_link,
                ..
            } => {
                w.edge(
                    &b.to_string(),
                    &then_link.target.to_string(),
                    &format!("true: {}", args(then_link)),
                );
                w.edge(
                    &b.to_string(),
                    &else_link.target.to_string(),
                    &format!("false: {}", args(else_link)),
                );
            }
            Exit::Switch { cases, default, .. } => {
                for (c, l) in cases {
                    w.edge(
                        &b.to_string(),
                        &l.target.to_string(),
                        &format!("{}: {}", const_text(p, c), args(l)),
                    );
                }
                w.edge(
                    &b.to_string(),
                    &default.target.to_string(),
                    &format!("_: {}", args(default)),
                );
            }
            Exit::Return(_) | Exit::Unreachable => {}
        }
    }
    w.finish()
}
pub use crate::text::graph_to_text;
