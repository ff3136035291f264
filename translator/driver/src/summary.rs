//! The closing summary of a translation: what was translated and how long
//! each stage took.

use crate::pipeline::Stage;
use std::fmt;
use std::path::Path;
use std::time::Duration;

pub struct StageTime {
    pub stage: Stage,
    pub elapsed: Duration,
}

#[derive(Default)]
pub struct Summary {
    pub input: String,
    pub output: String,
    pub flow_graphs: usize,
    pub flow_blocks: usize,
    pub flow_ops: usize,
    pub annotated_graphs: usize,
    pub ll_graphs: usize,
    pub ll_blocks: usize,
    pub ll_ops: usize,
    pub gc_types: usize,
    /// `--opt=jit`: graphs the JIT may trace through.
    pub jitcodes: usize,
    /// What the backend optimisations did (empty at `--opt=0`).
    pub backendopt: String,
    pub object_bytes: usize,
    /// The backend's own figures (functions, code and data bytes).
    pub code_stats: String,
    pub executable_bytes: usize,
    pub times: Vec<StageTime>,
}

impl Summary {
    pub fn new(input: &str, output: &Path) -> Summary {
        Summary {
            input: input.to_string(),
            output: output.display().to_string(),
            ..Summary::default()
        }
    }
    pub fn total_time(&self) -> Duration {
        self.times.iter().map(|t| t.elapsed).sum()
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "translated {} -> {}", self.input, self.output)?;
        writeln!(
            f,
            "  flow graphs:      {} graphs, {} blocks, {} operations",
            self.flow_graphs, self.flow_blocks, self.flow_ops
        )?;
        writeln!(
            f,
            "  annotated:        {} reachable graphs",
            self.annotated_graphs
        )?;
        writeln!(
            f,
            "  low-level graphs: {} graphs, {} blocks, {} operations, {} heap types",
            self.ll_graphs, self.ll_blocks, self.ll_ops, self.gc_types
        )?;
        if self.jitcodes > 0 {
            writeln!(f, "  jitcodes:         {}", self.jitcodes)?;
        }
        if !self.backendopt.is_empty() {
            writeln!(f, "  optimised:        {}", self.backendopt)?;
        }
        writeln!(
            f,
            "  object:           {} bytes ({}); executable {} bytes",
            self.object_bytes, self.code_stats, self.executable_bytes
        )?;
        write!(f, "  time:            ")?;
        for t in &self.times {
            write!(f, " {} {:.1?};", short(t.stage), t.elapsed)?;
        }
        write!(f, " total {:.2?}", self.total_time())
    }
}

fn short(s: Stage) -> &'static str {
    match s {
        Stage::Flow => "flow",
        Stage::Annotate => "annotate",
        Stage::RType => "rtype",
        Stage::Codegen => "codegen",
        Stage::Link => "link",
    }
}
