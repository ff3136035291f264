//! The AOT backend: an `LLProgram` to one relocatable object file.
//!
//! Every graph becomes a Cranelift function (`function.rs`, `ops.rs`,
//! `checks.rs`, `cast.rs`); the entry graph is exported as `rr_main`, the
//! others are local (`rr_<name>_<id>`). Prebuilt objects become data
//! objects (`data.rs`). Small graphs are inlined into their callers
//! (`inline.rs`) before Cranelift optimises each function. What the
//! garbage collector needs (type table, shadow stack, write barriers) is in
//! `gc*.rs`.

mod cast;
mod checks;
mod data;
mod function;
pub(crate) mod gc;
mod gc_lower;
mod gc_table;
mod inline;
mod jit;
mod module;
mod names;
mod ops;
mod types;

pub use jit::{JitFn, JitTables};

use cranelift_codegen::ir::{self, UserFuncName};
use cranelift_codegen::isa::OwnedTargetIsa;
use cranelift_codegen::settings::{self, Configurable};
use cranelift_codegen::{print_errors::pretty_verifier_error, verify_function, CodegenError};
use cranelift_entity::EntityRef;
use cranelift_frontend::FunctionBuilderContext;
use cranelift_module::{default_libcall_names, FuncId, Linkage, Module, ModuleError};
use cranelift_object::{ObjectBuilder, ObjectModule};
use rtyper::llgraph::{LLGraphId, LLProgram};
use rtyper::lltype::LLType;
use std::path::Path;

use crate::error::BackendError;
use module::ModuleCx;

/// Knobs of the AOT backend.
#[derive(Clone, Debug)]
pub struct AotOptions {
    /// Optimise (Cranelift's opt_level=speed, inlining); false for
    /// `--opt=0` (opt_level=none, no inlining: faster to compile).
    pub optimize: bool,
    /// Run the Cranelift verifier on the IR built for every graph (on by
    /// default: Cranelift may panic on IR that does not verify, and the
    /// translator must report, not panic). In debug builds Cranelift also
    /// verifies each function again after inlining and optimisation.
    pub verify: bool,
    /// Graphs of at most this many Cranelift instructions are inlined into
    /// their callers (0: no inlining).
    pub inline_threshold: usize,
    /// How many instructions inlining may add to one function.
    pub inline_budget: usize,
    /// Keep the optimised Cranelift IR of every function as text
    /// (`CompiledObject::clif`), for dumps.
    pub keep_clif: bool,
    /// `--opt=jit`: the codewriter's tables; merge points call the JIT.
    pub jit: Option<JitTables>,
}

impl Default for AotOptions {
    fn default() -> Self {
        AotOptions {
            optimize: true,
            verify: true,
            inline_threshold: 60,
            inline_budget: 3000,
            keep_clif: false,
            jit: None,
        }
    }
}

/// Sizes of what was compiled, for the driver's summary line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ObjectStats {
    pub functions: usize,
    /// Machine code bytes of all functions.
    pub code_size: usize,
    /// Bytes of all data objects (prebuilt objects, panic strings).
    pub data_size: usize,
    /// Calls inlined.
    pub inlined_calls: usize,
}

impl ObjectStats {
    /// `3 functions, 1234 bytes of code, 56 bytes of data`.
    pub fn summary(&self) -> String {
        format!(
            "{} functions, {} bytes of code, {} bytes of data",
            self.functions, self.code_size, self.data_size
        )
    }
}

/// A relocatable object file (ELF on Linux) and its statistics.
pub struct CompiledObject {
    pub bytes: Vec<u8>,
    pub stats: ObjectStats,
    /// (graph name, optimised IR) per graph, with `AotOptions::keep_clif`.
    pub clif: Vec<(String, String)>,
}

impl CompiledObject {
    pub fn write(&self, path: &Path) -> Result<(), BackendError> {
        std::fs::write(path, &self.bytes)?;
        Ok(())
    }
}

/// Compiles a whole program with the default options.
pub fn compile(program: &LLProgram) -> Result<CompiledObject, BackendError> {
    compile_with(program, &AotOptions::default())
}

/// The host ISA with opt_level=speed (or none) and PIC code (Debian's cc
/// links PIE).
pub(crate) fn host_isa(opts: &AotOptions) -> Result<OwnedTargetIsa, BackendError> {
    let verify = opts.verify;
    let mut flags = settings::builder();
    let set = |flags: &mut settings::Builder, k: &str, v: &str| {
        flags
            .set(k, v)
            .map_err(|e| BackendError::Isa(format!("setting {k}={v}: {e}")))
    };
    let level = if opts.optimize { "speed" } else { "none" };
    set(&mut flags, "opt_level", level)?;
    set(&mut flags, "is_pic", "true")?;
    set(
        &mut flags,
        "enable_verifier",
        if verify && cfg!(debug_assertions) {
            "true"
        } else {
            "false"
        },
    )?;
    let isa = cranelift_native::builder().map_err(|e| BackendError::Isa(e.to_string()))?;
    isa.finish(settings::Flags::new(flags))
        .map_err(|e| BackendError::Isa(e.to_string()))
}

fn new_module<'p>(program: &'p LLProgram, opts: &AotOptions) -> Result<ModuleCx<'p>, BackendError> {
    let builder = ObjectBuilder::new(host_isa(opts)?, "rrust", default_libcall_names())
        .map_err(|e| BackendError::Module(e.to_string()))?;
    Ok(ModuleCx::new(program, ObjectModule::new(builder)))
}

/// Declares one function per graph and all prebuilt objects.
fn declare_all(cx: &mut ModuleCx) -> Result<(), BackendError> {
    let program = cx.program;
    if !program.graphs.is_valid(program.entry) {
        return Err(BackendError::Module(format!(
            "entry graph {} does not exist",
            program.entry
        )));
    }
    for (gid, g) in program.graphs.iter() {
        for &p in g.params() {
            if !g.vars.is_valid(p) {
                return Err(BackendError::unsupported(
                    &g.name,
                    format!("unknown parameter {p}"),
                ));
            }
        }
        let sig = cx.signature(&g.param_types(), g.ret, false);
        let (name, linkage) = if gid == program.entry {
            if !g.params().is_empty() || g.ret != LLType::Void {
                return Err(BackendError::unsupported(
                    &g.name,
                    "the entry graph must take no parameters and return nothing",
                ));
            }
            (names::ENTRY_SYMBOL.to_string(), Linkage::Export)
        } else {
            (names::mangle(&g.name, gid.index()), Linkage::Local)
        };
        let id = cx
            .module
            .declare_function(&name, linkage, &sig)
            .map_err(|e| BackendError::Module(format!("declaring `{name}`: {e}")))?;
        cx.graph_funcs.push(id);
        cx.func_graphs.insert(id, gid);
    }
    data::declare_prebuilts(cx)?;
    data::define_prebuilts(cx)?;
    gc_table::define_type_table(cx)
}

/// Builds the (unoptimised) Cranelift IR of one graph.
fn build_body(
    cx: &mut ModuleCx,
    gid: LLGraphId,
    fctx: &mut FunctionBuilderContext,
    verify: bool,
) -> Result<ir::Function, BackendError> {
    let fid: FuncId = cx.graph_funcs[gid.index()];
    let sig = cx
        .module
        .declarations()
        .get_function_decl(fid)
        .signature
        .clone();
    let mut func = ir::Function::with_name_signature(UserFuncName::user(0, fid.as_u32()), sig);
    function::lower_graph(cx, gid, &mut func, fctx)?;
    if verify {
        if let Err(errors) = verify_function(&func, cx.module.isa()) {
            return Err(BackendError::Verifier {
                graph: cx.program.graphs[gid].name.clone(),
                errors: pretty_verifier_error(&func, None, errors),
            });
        }
    }
    Ok(func)
}

pub fn compile_with(
    program: &LLProgram,
    opts: &AotOptions,
) -> Result<CompiledObject, BackendError> {
    let mut cx = new_module(program, opts)?;
    cx.jit = opts.jit.is_some();
    declare_all(&mut cx)?;
    let mut fctx = FunctionBuilderContext::new();
    let mut bodies = Vec::with_capacity(program.graphs.len());
    for gid in program.graphs.keys() {
        bodies.push(build_body(&mut cx, gid, &mut fctx, opts.verify)?);
    }
    // A portal is never inlined: its merge point may return from it.
    let sizes: Vec<usize> = bodies
        .iter()
        .zip(program.graphs.values())
        .map(|(b, g)| {
            if backendopt::inline::is_portal(g) {
                usize::MAX
            } else {
                inline::inst_count(b)
            }
        })
        .collect();

    let mut stats = ObjectStats {
        functions: bodies.len(),
        ..ObjectStats::default()
    };
    let mut clif = Vec::new();
    let mut ctx = cx.module.make_context();
    for (gid, g) in program.graphs.iter() {
        let graph_err = |message: String| BackendError::Codegen {
            graph: g.name.clone(),
            message,
        };
        ctx.func = bodies[gid.index()].clone();
        if opts.optimize && opts.inline_threshold > 0 {
            let mut inliner = inline::Inliner {
                bodies: &bodies,
                sizes: &sizes,
                func_graphs: &cx.func_graphs,
                caller: gid,
                threshold: opts.inline_threshold,
                budget: opts.inline_budget,
                inlined: 0,
            };
            ctx.inline(&mut inliner)
                .map_err(|e| graph_err(format!("inlining: {e:?}")))?;
            stats.inlined_calls += inliner.inlined;
        }
        let fid = cx.graph_funcs[gid.index()];
        if let Err(e) = cx.module.define_function(fid, &mut ctx) {
            return Err(match e {
                ModuleError::Compilation(CodegenError::Verifier(errors)) => {
                    BackendError::Verifier {
                        graph: g.name.clone(),
                        errors: pretty_verifier_error(&ctx.func, None, errors),
                    }
                }
                e => graph_err(e.to_string()),
            });
        }
        if opts.keep_clif {
            clif.push((g.name.clone(), ctx.func.display().to_string()));
        }
        stats.code_size += ctx
            .compiled_code()
            .map_or(0, |c| c.code_info().total_size as usize);
        cx.module.clear_context(&mut ctx);
    }
    if let Some(tables) = &opts.jit {
        jit::define_jit_data(&mut cx, tables)?;
    }
    stats.data_size = cx.data_size;
    let product = cx.module.finish();
    let bytes = product
        .emit()
        .map_err(|e| BackendError::Module(e.to_string()))?;
    Ok(CompiledObject { bytes, stats, clif })
}

/// The Cranelift IR of one graph as text, before optimisation and
/// inlining (for dumps and tests).
pub fn clif_text(program: &LLProgram, graph: LLGraphId) -> Result<String, BackendError> {
    let mut cx = new_module(program, &AotOptions::default())?;
    declare_all(&mut cx)?;
    if !program.graphs.is_valid(graph) {
        return Err(BackendError::Module(format!("no graph {graph}")));
    }
    let mut fctx = FunctionBuilderContext::new();
    let func = build_body(&mut cx, graph, &mut fctx, true)?;
    Ok(func.display().to_string())
}

/// Compiles `program` and links it with the runtime into the executable
/// `output` (the object file lives in a temporary directory).
pub fn build_executable(program: &LLProgram, output: &Path) -> Result<ObjectStats, BackendError> {
    let obj = compile(program)?;
    let dir = tempfile::Builder::new().prefix("rrust-obj").tempdir()?;
    let path = dir.path().join("program.o");
    obj.write(&path)?;
    crate::link::link(&path, output)?;
    Ok(obj.stats)
}
