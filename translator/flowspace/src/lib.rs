//! Flow building: RRust source (parsed by syn) to flow graphs.
//!
//! - `model`: the flow graph data model (graphs, blocks, ops, links).
//! - `span`, `diag`: source positions and rustc-style diagnostics.
//! - `frontend`: source text -> `Program` (`frontend::build_program`).
//! - `verify`: SSA invariants of flow graphs; `prune`: unreachable blocks;
//!   `liveness`: live variables per block.
//! - `text`, `dot`: text dumps and Graphviz output.

pub mod diag;
pub mod dot;
pub mod frontend;
pub mod liveness;
pub mod model;
pub mod prune;
pub mod span;
pub mod text;
pub mod verify;

pub use diag::Diagnostic;
pub use span::{SourceMap, Span};
pub use text::graph_to_text;
