//! A finished Cranelift function → machine code in executable memory.

use crate::memory::ExecMemory;
use crate::CompileError;
use cranelift_codegen::control::ControlPlane;
use cranelift_codegen::ir::Function;
use cranelift_codegen::isa::{OwnedTargetIsa, TargetIsa};
use cranelift_codegen::Context;
use std::sync::OnceLock;

/// The host ISA, built once.
pub fn isa() -> Result<&'static dyn TargetIsa, CompileError> {
    static ISA: OnceLock<Result<OwnedTargetIsa, CompileError>> = OnceLock::new();
    match ISA.get_or_init(crate::isa::host_isa) {
        Ok(isa) => Ok(&**isa),
        Err(e) => Err(e.clone()),
    }
}

/// Compiles `func` and copies its code into fresh read+execute pages. The
/// code must need no relocation.
pub fn finish(func: Function) -> Result<ExecMemory, CompileError> {
    let isa = isa()?;
    // One context, its scratch tables reused from function to function.
    thread_local! {
        static CTX: std::cell::RefCell<Context> = std::cell::RefCell::new(Context::new());
    }
    CTX.with(|ctx| {
        let mut ctx = ctx.borrow_mut();
        ctx.clear();
        ctx.func = func;
        let code = ctx
            .compile(isa, &mut ControlPlane::default())
            .map_err(|e| CompileError::Codegen(format!("{:?}", e.inner)))?;
        if !code.buffer.relocs().is_empty() {
            return Err(CompileError::Codegen(format!(
                "code has {} relocations",
                code.buffer.relocs().len()
            )));
        }
        ExecMemory::new(code.code_buffer())
    })
}
