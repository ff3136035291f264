//! Call stubs: call a function whose signature is known only at run time
//! (the tracer and the blackhole interpreter execute residual calls with
//! them).

use crate::finish::{finish, isa};
use crate::memory::ExecMemory;
use crate::types::abi_type;
use crate::CompileError;
use abi::Kind;
use cranelift_codegen::ir::{
    types, AbiParam, Function, InstBuilder, MemFlagsData, Signature, UserFuncName,
};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};

/// `extern "C" fn(fnptr: u64, args: *const u64) -> u64` for one signature.
pub struct CallStub {
    mem: ExecMemory,
    nargs: usize,
}

impl CallStub {
    /// Calls `fnptr` with `args[0..n]` (u64 words; floats as bits; narrow
    /// ints truncated); returns the result normalised to 64 bits per its
    /// int kind, a float as its bits, 0 for none.
    ///
    /// # Safety
    /// `fnptr` must be a function of the stub's signature and `args` must
    /// point at `num_args()` words.
    pub unsafe fn call(&self, fnptr: u64, args: *const u64) -> u64 {
        let f: extern "C" fn(u64, *const u64) -> u64 = std::mem::transmute(self.mem.as_ptr());
        f(fnptr, args)
    }

    pub fn num_args(&self) -> usize {
        self.nargs
    }

    pub fn code_size(&self) -> usize {
        self.mem.len()
    }
}

/// A stub for functions taking `args` and returning `ret`.
pub fn compile_call_stub(args: &[Kind], ret: Option<Kind>) -> Result<CallStub, CompileError> {
    let bad = |k: Kind| CompileError::BadSignature(format!("kind {k:?}"));
    let isa = isa()?;
    let cc = isa.default_call_conv();
    let mut sig = Signature::new(cc);
    sig.params.push(AbiParam::new(types::I64));
    sig.params.push(AbiParam::new(types::I64));
    sig.returns.push(AbiParam::new(types::I64));
    let mut callee_sig = Signature::new(cc);
    for &k in args {
        let ty = abi_type(k).ok_or_else(|| bad(k))?;
        let p = AbiParam::new(ty);
        callee_sig.params.push(match k {
            Kind::Int(ik) if ik.bits < 64 && ik.signed => p.sext(),
            Kind::Int(ik) if ik.bits < 64 => p.uext(),
            _ => p,
        });
    }
    if let Some(k) = ret {
        callee_sig
            .returns
            .push(AbiParam::new(abi_type(k).ok_or_else(|| bad(k))?));
    }

    let mut func = Function::with_name_signature(UserFuncName::user(0, 1), sig);
    let mut fctx = FunctionBuilderContext::new();
    let mut b = FunctionBuilder::new(&mut func, &mut fctx);
    let entry = b.create_block();
    b.append_block_params_for_function_params(entry);
    b.switch_to_block(entry);
    b.seal_block(entry);
    let (fnptr, argp) = (b.block_params(entry)[0], b.block_params(entry)[1]);
    let mut vals = Vec::new();
    for (i, &k) in args.iter().enumerate() {
        let off = (8 * i) as i32;
        let f = MemFlagsData::trusted();
        let v = match k {
            Kind::Float => b.ins().load(types::F64, f, argp, off),
            Kind::Ref => b.ins().load(types::I64, f, argp, off),
            Kind::Int(ik) => {
                let w = b.ins().load(types::I64, f, argp, off);
                let ty = abi_type(k).ok_or_else(|| bad(k))?;
                if ik.bits < 64 {
                    b.ins().ireduce(ty, w)
                } else {
                    w
                }
            }
        };
        vals.push(v);
    }
    let sigref = b.import_signature(callee_sig);
    let call = b.ins().call_indirect(sigref, fnptr, &vals);
    let r = b.inst_results(call).first().copied();
    let out = match (ret, r) {
        (Some(Kind::Float), Some(v)) => b.ins().bitcast(types::I64, MemFlagsData::new(), v),
        (Some(Kind::Int(ik)), Some(v)) if ik.bits < 64 && ik.signed => {
            b.ins().sextend(types::I64, v)
        }
        (Some(Kind::Int(ik)), Some(v)) if ik.bits < 64 => b.ins().uextend(types::I64, v),
        (_, Some(v)) => v,
        (_, None) => b.ins().iconst(types::I64, 0),
    };
    b.ins().return_(&[out]);
    b.finalize(isa.frontend_config());
    Ok(CallStub {
        mem: finish(func)?,
        nargs: args.len(),
    })
}
