//! The translation driver: runs the stages of the pipeline on one RRust
//! target and links the result. The `translate` binary (main.rs) is a thin
//! command-line shell over `pipeline::translate`; tests call it directly.

pub mod options;
pub mod pipeline;
pub mod summary;

pub use options::{OptLevel, Options};
pub use pipeline::{translate, Progress, Stage, TranslateError};
pub use summary::Summary;
