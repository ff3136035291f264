//! The stages, in order: flow graphs, annotation, rtyping, code generation,
//! linking. Each stage reports through `Progress` and adds its figures to
//! the `Summary`.

use crate::options::{OptLevel, Options};
use crate::summary::{StageTime, Summary};
use flowspace::span::SourceMap;
use flowspace::Diagnostic;
use std::path::Path;
use std::time::Instant;

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Stage {
    Flow,
    Annotate,
    RType,
    Codegen,
    Link,
}

impl Stage {
    pub const ALL: [Stage; 5] = [
        Stage::Flow,
        Stage::Annotate,
        Stage::RType,
        Stage::Codegen,
        Stage::Link,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Stage::Flow => "building flow graphs",
            Stage::Annotate => "annotating",
            Stage::RType => "rtyping",
            Stage::Codegen => "generating machine code",
            Stage::Link => "linking",
        }
    }
}

/// Told when each stage starts and ends (the CLI shows a progress line).
pub trait Progress {
    fn start(&mut self, stage: Stage);
    fn done(&mut self, stage: Stage, detail: &str);
}

/// A progress sink that shows nothing (tests).
pub struct Quiet;
impl Progress for Quiet {
    fn start(&mut self, _: Stage) {}
    fn done(&mut self, _: Stage, _: &str) {}
}

#[derive(Debug)]
pub enum TranslateError {
    /// The program is outside RRust (or wrong): rendered rustc-style.
    Rejected { rendered: String, count: usize },
    /// Reading the input, writing outputs, running the linker.
    Io(String),
    /// Something the user asked for that this version does not do.
    Unsupported(String),
    /// A bug in rrust (a stage produced what the next cannot read).
    Internal(String),
}

impl std::fmt::Display for TranslateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TranslateError::Rejected { rendered, count } => {
                write!(f, "{rendered}")?;
                let s = if *count == 1 { "" } else { "s" };
                write!(f, "error: translation stopped after {count} error{s}")
            }
            TranslateError::Io(m) => write!(f, "error: {m}"),
            TranslateError::Unsupported(m) => write!(f, "error: {m}"),
            TranslateError::Internal(m) => write!(f, "error: {m}"),
        }
    }
}

fn rejected(sources: &SourceMap, diags: Vec<Diagnostic>) -> TranslateError {
    TranslateError::Rejected {
        rendered: flowspace::diag::render(sources, &diags),
        count: diags.len(),
    }
}

/// Translates `opts.input` into an executable at `opts.output_path()`.
pub fn translate(opts: &Options, progress: &mut dyn Progress) -> Result<Summary, TranslateError> {
    let path = opts.input.to_string_lossy().into_owned();
    let text = std::fs::read_to_string(&opts.input)
        .map_err(|e| TranslateError::Io(format!("cannot read {path}: {e}")))?;
    let output = opts.output_path();
    if let Some(m) = crate::options::output_problem(&opts.input, &output) {
        return Err(TranslateError::Io(m));
    }
    let mut summary = Summary::new(&path, &output);
    let mut sources = SourceMap::default();

    // 1. Flow graphs.
    let t = timed(progress, Stage::Flow);
    let mut program = flowspace::frontend::build_program(&mut sources, &path, &text)
        .map_err(|d| rejected(&sources, d))?;
    summary.flow_graphs = program.graphs.len();
    summary.flow_blocks = program.graphs.values().map(|g| g.blocks.len()).sum();
    summary.flow_ops = program.graphs.values().map(|g| g.op_count()).sum();
    if let Some(dir) = &opts.dot_dir {
        write_dots(
            dir,
            "flow",
            program.graphs.keys().map(|id| {
                (
                    program.graphs[id].name.clone(),
                    flowspace::dot::flow_graph_to_dot(&program, id),
                )
            }),
        )?;
    }
    let detail = format!("{} graphs", summary.flow_graphs);
    finish(&mut summary, progress, Stage::Flow, t, detail);

    // 2. Annotation.
    let t = timed(progress, Stage::Annotate);
    let ann = annotator::annotate(&mut program).map_err(|d| rejected(&sources, d))?;
    let reachable = annotator::reachable_graphs(&ann);
    summary.annotated_graphs = reachable.len();
    if let Some(dir) = &opts.dot_dir {
        write_dots(
            dir,
            "annotated",
            reachable.iter().map(|&id| {
                (
                    program.graphs[id].name.clone(),
                    annotator::dot::annotated_graph_to_dot(&program, &ann, id),
                )
            }),
        )?;
    }
    let detail = format!("{} reachable graphs", summary.annotated_graphs);
    finish(&mut summary, progress, Stage::Annotate, t, detail);

    // 3. RTyping.
    let t = timed(progress, Stage::RType);
    let mut ll = rtyper::rtype(&program, &ann, &sources).map_err(|d| rejected(&sources, d))?;
    summary.ll_graphs = ll.graphs.len();
    summary.ll_blocks = ll.graphs.values().map(|g| g.blocks.len()).sum();
    summary.ll_ops = ll.graphs.values().map(|g| g.op_count()).sum();
    summary.gc_types = ll.types.len();
    if let Some(dir) = &opts.dot_dir {
        write_dots(
            dir,
            "lowlevel",
            ll.graphs.keys().map(|id| {
                (
                    ll.graphs[id].name.clone(),
                    rtyper::dot::ll_graph_to_dot(&ll, id),
                )
            }),
        )?;
    }
    if let Some(dir) = &opts.dot_dir {
        write_text(dir, "lowlevel.ll", &rtyper::text::program_to_text(&ll))?;
    }
    let detail = format!("{} low-level ops", summary.ll_ops);
    finish(&mut summary, progress, Stage::RType, t, detail);

    // 4. Jitcodes (`--opt=jit`), from the low-level graphs as the rtyper
    // left them; then machine code.
    let t = timed(progress, Stage::Codegen);
    let jit = if opts.opt == OptLevel::Jit {
        let data =
            codewriter::write_jitcodes(&ll).map_err(|e| TranslateError::Internal(e.to_string()))?;
        summary.jitcodes = data.program.jitcodes.len();
        Some(jit_tables(&data))
    } else {
        None
    };
    check_graphs(&ll, "the rtyper")?;
    // Backend optimisations, on the graphs the AOT backend compiles.
    if opts.opt != OptLevel::O0 {
        let stats = backendopt::optimize(&mut ll, &backendopt::Options::default());
        summary.backendopt = stats.summary();
        check_graphs(&ll, "the backend optimisations")?;
        if let Some(dir) = &opts.dot_dir {
            write_dots(
                dir,
                "optimised",
                ll.graphs.keys().map(|id| {
                    (
                        ll.graphs[id].name.clone(),
                        rtyper::dot::ll_graph_to_dot(&ll, id),
                    )
                }),
            )?;
            write_text(dir, "optimised.ll", &rtyper::text::program_to_text(&ll))?;
        }
    }
    let backend_opts = backends::AotOptions {
        optimize: opts.opt != OptLevel::O0,
        jit,
        ..backends::AotOptions::default()
    };
    let obj = backends::compile_with(&ll, &backend_opts)
        .map_err(|e| TranslateError::Io(format!("code generation failed: {e}")))?;
    summary.object_bytes = obj.bytes.len();
    summary.code_stats = obj.stats.summary();
    let tmp = tempfile::tempdir().map_err(|e| TranslateError::Io(format!("temp dir: {e}")))?;
    let obj_path = tmp.path().join("target.o");
    std::fs::write(&obj_path, &obj.bytes)
        .map_err(|e| TranslateError::Io(format!("cannot write {}: {e}", obj_path.display())))?;
    let detail = format!("{} bytes of object", summary.object_bytes);
    finish(&mut summary, progress, Stage::Codegen, t, detail);

    // 5. Link.
    let t = timed(progress, Stage::Link);
    backends::link::link_with(&obj_path, &output, opts.opt == OptLevel::Jit)
        .map_err(|e| TranslateError::Io(e.to_string()))?;
    summary.executable_bytes = std::fs::metadata(&output)
        .map(|m| m.len() as usize)
        .unwrap_or(0);
    finish(
        &mut summary,
        progress,
        Stage::Link,
        t,
        output.display().to_string(),
    );
    Ok(summary)
}

/// Runs the low-level verifier after a stage that rewrites graphs, in
/// debug builds and when `RRUST_VERIFY` is set: a broken graph is an
/// internal error of that stage, named as such.
fn check_graphs(ll: &rtyper::llgraph::LLProgram, stage: &str) -> Result<(), TranslateError> {
    if !cfg!(debug_assertions) && std::env::var_os("RRUST_VERIFY").is_none() {
        return Ok(());
    }
    let problems = rtyper::verify::verify_program(ll);
    if problems.is_empty() {
        return Ok(());
    }
    Err(TranslateError::Internal(format!(
        "{stage} produced invalid low-level graphs:\n  {}",
        problems.join("\n  ")
    )))
}

/// The codewriter's output in the form the backend writes it.
fn jit_tables(data: &codewriter::JitData) -> backends::JitTables {
    backends::JitTables {
        program: abi::wire::encode(&data.program),
        refconsts: data.refconsts.clone(),
        fnptrs: data
            .fnptrs
            .iter()
            .map(|f| match f {
                codewriter::FnTarget::Graph(g) => backends::JitFn::Graph(*g),
                codewriter::FnTarget::Runtime(n) => backends::JitFn::Runtime(n.clone()),
            })
            .collect(),
    }
}

fn timed(progress: &mut dyn Progress, stage: Stage) -> Instant {
    progress.start(stage);
    Instant::now()
}

fn finish(
    summary: &mut Summary,
    progress: &mut dyn Progress,
    stage: Stage,
    t: Instant,
    detail: String,
) {
    let elapsed = t.elapsed();
    summary.times.push(StageTime { stage, elapsed });
    progress.done(stage, &format!("{detail} ({:.0?})", elapsed));
}

/// Writes `DIR/STAGE/NAME.dot` for each graph (names made file-safe).
/// The whole program's text form (`rtyper::text`) beside the dot files.
fn write_text(dir: &Path, name: &str, text: &str) -> Result<(), TranslateError> {
    std::fs::create_dir_all(dir)
        .map_err(|e| TranslateError::Io(format!("cannot create {}: {e}", dir.display())))?;
    let p = dir.join(name);
    std::fs::write(&p, text)
        .map_err(|e| TranslateError::Io(format!("cannot write {}: {e}", p.display())))
}

fn write_dots(
    dir: &Path,
    stage: &str,
    graphs: impl Iterator<Item = (String, String)>,
) -> Result<(), TranslateError> {
    let sub = dir.join(stage);
    std::fs::create_dir_all(&sub)
        .map_err(|e| TranslateError::Io(format!("cannot create {}: {e}", sub.display())))?;
    for (name, dot) in graphs {
        let safe: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let p = sub.join(format!("{safe}.dot"));
        std::fs::write(&p, dot)
            .map_err(|e| TranslateError::Io(format!("cannot write {}: {e}", p.display())))?;
    }
    Ok(())
}
