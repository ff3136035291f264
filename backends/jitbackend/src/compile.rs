//! The entry point: a trace and its environment → a `CompiledLoop`.

use crate::finish::{finish, isa};
use crate::lower::Lower;
use crate::memory::ExecMemory;
use crate::roots::live_refs_across;
use crate::types::value_type;
use crate::CompileError;
use cranelift_codegen::ir::{types, Function, InstBuilder, MemFlagsData, UserFuncName};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use std::collections::HashSet;
use traceir::ops::Type as TType;
use traceir::{Descr, Opcode, Trace, Value};

/// Addresses of the runtime functions compiled code calls.
#[derive(Copy, Clone, Debug, Default)]
pub struct RuntimeFns {
    /// `extern "C" fn(type_id: u64, size: u64) -> *mut u8` (zeroed, header
    /// set). May collect.
    pub malloc: u64,
    /// `extern "C" fn(type_id: u64, item_size: u64, len: u64) -> *mut u8`.
    /// May collect.
    pub malloc_array: u64,
    /// `extern "C" fn(obj: *mut u8)`; never collects.
    pub write_barrier: u64,
    /// `extern "C" fn(obj: *mut u8, index: u64)`; never collects.
    pub write_barrier_array: u64,
    /// The address of the `*mut u64` global holding the shadow-stack top.
    pub root_stack_top: u64,
}

/// How a trace links to the other compiled traces.
#[derive(Copy, Clone, Debug)]
pub struct Link<'a> {
    /// Exit ids: leaving at op `i` returns `exit_base + i`, so that the
    /// runtime knows which trace of a chain left.
    pub exit_base: u32,
    /// One word per op (null: none): a failing guard whose word is not 0
    /// stores its fail args in the frame and tail-calls the code at that
    /// address (its bridge) instead of returning. The runtime writes the
    /// words while no trace runs; the table must live as long as the code.
    pub bridge_slots: *const u64,
    /// `jump` with `Descr::Target(n)` stores its args in the frame and
    /// tail-calls `targets[n]` (a `CompiledLoop::entry`); so does a failing
    /// guard with `Descr::Restart(n)`.
    pub targets: &'a [u64],
    /// `jump` with `Descr::Body(n)`: tail-calls `bodies[n]`, loop `n`'s
    /// body (`compile_body`), 0 where there is none.
    pub bodies: &'a [u64],
    /// Null, or two words the code counts in (`jit-backend-counts`): its
    /// entries, and for a loop the passes through its label.
    pub counters: *mut u64,
}

impl Default for Link<'_> {
    fn default() -> Self {
        Link {
            exit_base: 0,
            bridge_slots: std::ptr::null(),
            targets: &[],
            bodies: &[],
            counters: std::ptr::null_mut(),
        }
    }
}

/// What a trace refers to outside itself.
#[derive(Copy, Clone, Debug)]
pub struct Env<'a> {
    /// `Descr::Call(i)` indexes this.
    pub calls: &'a [abi::CallDescr],
    /// `CallDescr::fnptr` indexes this: function addresses.
    pub fnptrs: &'a [u64],
    /// The address of the trace's gcref table (`ConstRef(i)` loads
    /// `gcrefs[i]` at run time).
    pub gcrefs: *const u64,
    pub rt: RuntimeFns,
    pub link: Link<'a>,
}

/// A trace compiled to native code (or a loop's body, entering it at its
/// label: `compile_body`).
pub struct CompiledLoop {
    mem: ExecMemory,
}

impl CompiledLoop {
    /// Runs the trace. `frame[0..inputs]` holds the inputs (ints as i64,
    /// floats as bits, refs as addresses); returns the index in
    /// `trace.ops` of the guard or finish that left, whose fail args (or
    /// finish args) are then in `frame[0..n]`.
    ///
    /// # Safety
    /// `frame` must hold `max(inputs, exit values)` words; the inputs must
    /// be valid for the trace, and the environment it was compiled with
    /// (functions, gcref table, shadow stack) must still be valid.
    pub unsafe fn run(&self, frame: *mut u64) -> u32 {
        let t = crate::trampoline::trampoline().expect("the trampoline compiled with the trace");
        t(self.entry(), frame)
    }

    /// The entry address (`tail fn(frame: *mut u64) -> u32`), for
    /// `Link::targets` and bridge slots.
    pub fn entry(&self) -> u64 {
        self.mem.as_ptr() as u64
    }

    /// Bytes of machine code.
    pub fn code_size(&self) -> usize {
        self.mem.len()
    }

    /// The address of the code (for profilers and tests).
    pub fn code_ptr(&self) -> *const u8 {
        self.mem.as_ptr()
    }
}

/// Whether op `i` may run a collection.
fn may_collect(trace: &Trace, env: &Env, i: usize) -> bool {
    let op = &trace.ops[i];
    match op.opcode {
        Opcode::New | Opcode::NewArray => true,
        _ if op.opcode.flags().call => match op.descr {
            Descr::Call(c) => env
                .calls
                .get(c as usize)
                .is_some_and(|cd| cd.effects.may_collect),
            _ => false,
        },
        _ => false,
    }
}

/// Every value refers to an input or an earlier op with a result; fixed
/// arities hold; the trace ends with a jump or finish.
fn validate(trace: &Trace, env: &Env) -> Result<(), CompileError> {
    let check = |i: usize, v: Value| -> Result<(), CompileError> {
        match v {
            Value::Input(k) if k as usize >= trace.inputs.len() => {
                Err(CompileError::bad(i, format!("input {k} out of range")))
            }
            Value::Input(k) if trace.inputs[k as usize] == TType::Void => {
                Err(CompileError::bad(i, format!("input {k} is void")))
            }
            Value::Op(j) if j as usize >= i => Err(CompileError::bad(
                i,
                format!("op {j} used before it is defined"),
            )),
            Value::Op(j) if trace.ops[j as usize].result_type() == TType::Void => {
                Err(CompileError::bad(i, format!("op {j} has no result")))
            }
            Value::ConstRef(k) if k as usize >= trace.gcrefs.len() => {
                Err(CompileError::bad(i, format!("gcref {k} out of range")))
            }
            _ => Ok(()),
        }
    };
    for (i, op) in trace.ops.iter().enumerate() {
        let arity = op.opcode.arity();
        if arity >= 0 && op.args.len() != arity as usize {
            return Err(CompileError::bad(
                i,
                format!(
                    "{} takes {arity} args, has {}",
                    op.opcode.name(),
                    op.args.len()
                ),
            ));
        }
        for &v in op.uses() {
            check(i, v)?;
        }
        let table = match (op.opcode, &op.descr) {
            (Opcode::Jump, Descr::Target(n)) => Some((env.link.targets, n)),
            (Opcode::Jump, Descr::Body(n)) => Some((env.link.bodies, n)),
            (_, Descr::Restart(n)) if op.opcode.flags().guard => Some((env.link.targets, n)),
            _ => None,
        };
        if let Some((table, n)) = table {
            if table.get(*n as usize).is_none_or(|&a| a == 0) {
                return Err(CompileError::bad(i, format!("jump to unknown trace {n}")));
            }
        }
        let ends = matches!(op.opcode, Opcode::Jump | Opcode::Finish);
        if ends != (i + 1 == trace.ops.len()) {
            return Err(CompileError::bad(
                i,
                "a trace ends with one jump or finish, and only there",
            ));
        }
    }
    if trace.ops.is_empty() {
        return Err(CompileError::bad(0, "empty trace"));
    }
    Ok(())
}

/// Compiles a trace to native code.
pub fn compile(trace: &Trace, env: &Env) -> Result<CompiledLoop, CompileError> {
    let mem = compile_fn(trace, env, None)?;
    Ok(CompiledLoop { mem })
}

/// Compiles the body of loop `trace` (`traceir::ShortEntry::body`: the
/// loop from its label on, entered by traces that inlined its short
/// preamble), with the loop's own environment (exit ids, bridge slots,
/// gcref table).
pub fn compile_body(trace: &Trace, env: &Env) -> Result<CompiledLoop, CompileError> {
    let s = trace
        .short
        .as_ref()
        .ok_or_else(|| CompileError::bad(0, "the loop has no short entry"))?;
    if s.loop_op.len() != s.body.ops.len()
        || s.loop_op.iter().any(|&k| k as usize >= trace.ops.len())
    {
        return Err(CompileError::bad(0, "loop body with a bad op map"));
    }
    let mem = compile_fn(&s.body, env, Some(&s.loop_op))?;
    Ok(CompiledLoop { mem })
}

/// One trace as one function; `loop_op` for a loop's body.
fn compile_fn(
    trace: &Trace,
    env: &Env,
    loop_op: Option<&[u32]>,
) -> Result<ExecMemory, CompileError> {
    validate(trace, env)?;
    let isa = isa()?;
    // Calls out of the trace use the platform's convention; the trace
    // itself `tail` (see `trampoline`), which must exist before it runs.
    let call_conv = isa.default_call_conv();
    crate::trampoline::trampoline()?;
    let sig = crate::trampoline::trace_signature();
    let mut func = Function::with_name_signature(UserFuncName::user(0, 0), sig);
    // The builder's scratch tables are reused from trace to trace.
    thread_local! {
        static FCTX: std::cell::RefCell<FunctionBuilderContext> =
            std::cell::RefCell::new(FunctionBuilderContext::new());
    }
    FCTX.with(|fctx| {
        let mut fctx = fctx.borrow_mut();
        let r = build_fn(trace, env, loop_op, call_conv, &mut func, &mut fctx);
        if r.is_err() {
            // A lowering that stopped half-way leaves the tables dirty.
            *fctx = FunctionBuilderContext::new();
        }
        r
    })?;
    finish(func)
}

/// Lowers `trace` into `func`.
fn build_fn(
    trace: &Trace,
    env: &Env,
    loop_op: Option<&[u32]>,
    call_conv: cranelift_codegen::isa::CallConv,
    func: &mut Function,
    fctx: &mut FunctionBuilderContext,
) -> Result<(), CompileError> {
    let isa = isa()?;
    let mut b = FunctionBuilder::new(func, fctx);

    let collects: Vec<bool> = (0..trace.ops.len())
        .map(|i| may_collect(trace, env, i))
        .collect();
    let spills = live_refs_across(trace, &collects);
    let nslots = spills.iter().flatten().map(|s| s.len()).max().unwrap_or(0);

    let entry = b.create_block();
    b.append_block_params_for_function_params(entry);
    b.switch_to_block(entry);
    b.seal_block(entry);
    let frame = b.block_params(entry)[0];

    let all_types = trace
        .inputs
        .iter()
        .copied()
        .chain(trace.ops.iter().map(|o| o.result_type()));
    let vars: Vec<_> = all_types
        .map(|t| value_type(t).map(|ty| b.declare_var(ty)))
        .collect();
    for (k, &t) in trace.inputs.iter().enumerate() {
        let ty = value_type(t).unwrap_or(types::I64);
        let v = b
            .ins()
            .load(ty, MemFlagsData::trusted(), frame, (8 * k) as i32);
        if let Some(var) = vars[k] {
            b.def_var(var, v);
        }
    }
    if !env.link.counters.is_null() {
        crate::lower::count(&mut b, env.link.counters as u64);
    }
    let shadow = if nslots > 0 {
        let top = b.ins().iconst(types::I64, env.rt.root_stack_top as i64);
        let base = b.ins().load(types::I64, MemFlagsData::trusted(), top, 0);
        let end = b.ins().iadd_imm_s(base, 8 * nslots as i64);
        b.ins().store(MemFlagsData::trusted(), end, top, 0);
        let zero = b.ins().iconst(types::I64, 0);
        for k in 0..nslots {
            b.ins()
                .store(MemFlagsData::trusted(), zero, base, (8 * k) as i32);
        }
        Some((base, nslots))
    } else {
        None
    };

    let mut lower = Lower {
        b,
        trace,
        env,
        call_conv,
        vars,
        frame,
        shadow,
        spills,
        fresh: HashSet::new(),
        label: None,
        loop_op,
        guard_out: None,
    };
    for i in 0..trace.ops.len() {
        lower.op(i)?;
    }
    lower.finish_exits();
    lower.b.seal_all_blocks();
    lower.b.finalize(isa.frontend_config());
    Ok(())
}
