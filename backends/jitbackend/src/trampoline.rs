//! The entry trampoline. Compiled traces use Cranelift's `tail` calling
//! convention, so that a guard with a bridge and a jump to another trace
//! are tail calls (the stack does not grow however long the chain of
//! traces runs). Rust cannot call a `tail` function directly; this one
//! small `extern "C"` function, compiled once, does.

use crate::finish::{finish, isa};
use crate::memory::ExecMemory;
use crate::CompileError;
use cranelift_codegen::ir::{types, AbiParam, Function, InstBuilder, Signature, UserFuncName};
use cranelift_codegen::isa::CallConv;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use std::sync::OnceLock;

/// The signature of every compiled trace: `tail fn(frame: *mut u64) -> u32`.
pub(crate) fn trace_signature() -> Signature {
    let mut sig = Signature::new(CallConv::Tail);
    sig.params.push(AbiParam::new(types::I64));
    sig.returns.push(AbiParam::new(types::I32));
    sig
}

fn build() -> Result<ExecMemory, CompileError> {
    let isa = isa()?;
    let mut sig = Signature::new(isa.default_call_conv());
    sig.params.push(AbiParam::new(types::I64));
    sig.params.push(AbiParam::new(types::I64));
    sig.returns.push(AbiParam::new(types::I32));
    let mut func = Function::with_name_signature(UserFuncName::user(0, 2), sig);
    let mut fctx = FunctionBuilderContext::new();
    let mut b = FunctionBuilder::new(&mut func, &mut fctx);
    let entry = b.create_block();
    b.append_block_params_for_function_params(entry);
    b.switch_to_block(entry);
    b.seal_block(entry);
    let (target, frame) = (b.block_params(entry)[0], b.block_params(entry)[1]);
    let sigref = b.import_signature(trace_signature());
    let call = b.ins().call_indirect(sigref, target, &[frame]);
    let r = b.inst_results(call)[0];
    b.ins().return_(&[r]);
    b.finalize(isa.frontend_config());
    finish(func)
}

/// `extern "C" fn(entry, frame) -> u32`: runs the trace at `entry`.
pub(crate) type Trampoline = extern "C" fn(u64, *mut u64) -> u32;

pub(crate) fn trampoline() -> Result<Trampoline, CompileError> {
    static T: OnceLock<Result<ExecMemory, CompileError>> = OnceLock::new();
    match T.get_or_init(build) {
        // SAFETY: the code has exactly this signature.
        Ok(m) => Ok(unsafe { std::mem::transmute::<*const u8, Trampoline>(m.as_ptr()) }),
        Err(e) => Err(e.clone()),
    }
}
