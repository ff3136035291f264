//! Test support: a host over leaked zeroed memory, a backend that runs
//! traces with `trace_interp`, and jitcode builders.
#![allow(dead_code)]

use abi::{Bank, CallDescr, Insn, IntBinOp, IntKind, Jump, Opnd, Reg};
use metainterp::trace_interp::TraceInterp;
use metainterp::{Backend, CallStub, CompiledCode, Host, JitParams, JitState, Link};
use std::sync::atomic::{AtomicU64, Ordering};

pub static BARRIERS: AtomicU64 = AtomicU64::new(0);

unsafe extern "C" fn malloc(type_id: u64, size: u64) -> *mut u8 {
    let words = (size as usize).div_ceil(8).max(1);
    let p = Box::leak(vec![0u64; words].into_boxed_slice()).as_mut_ptr();
    *p = type_id;
    p as *mut u8
}
unsafe extern "C" fn malloc_array(type_id: u64, item_size: u64, len: u64) -> *mut u8 {
    let p = malloc(type_id, 16 + item_size * len) as *mut u64;
    *p.add(1) = len;
    p as *mut u8
}
unsafe extern "C" fn write_barrier(_obj: *mut u8) {
    BARRIERS.fetch_add(1, Ordering::Relaxed);
}
unsafe extern "C" fn write_barrier_array(_obj: *mut u8, _i: u64) {
    BARRIERS.fetch_add(1, Ordering::Relaxed);
}
unsafe extern "C" fn panic_bounds(i: u64, len: u64, _l: *const u8, _n: u64) -> ! {
    eprintln!("index out of bounds: the len is {len} but the index is {i}");
    std::process::abort()
}
unsafe extern "C" fn panic_msg(_m: *const u8, _n: u64, _l: *const u8, _k: u64) -> ! {
    std::process::abort()
}
unsafe extern "C" fn panic_expect(_m: *mut u8, _l: *const u8, _n: u64) -> ! {
    std::process::abort()
}

pub fn host() -> Host {
    Host {
        malloc,
        malloc_array,
        write_barrier,
        write_barrier_array,
        panic_bounds,
        panic_msg,
        panic_expect,
    }
}

/// An int array object of `items`, leaked.
pub fn int_array(items: &[i64]) -> u64 {
    unsafe {
        let p = malloc_array(7, 8, items.len() as u64) as *mut i64;
        for (i, &x) in items.iter().enumerate() {
            *p.add(2 + i) = x;
        }
        p as u64
    }
}

/// Calls `f` with `n` int words (the test signatures).
pub fn stub_for(n: usize) -> CallStub {
    use std::mem::transmute;
    unsafe {
        match n {
            0 => Box::new(|f, _| transmute::<u64, extern "C" fn() -> u64>(f)()),
            1 => Box::new(|f, a| transmute::<u64, extern "C" fn(u64) -> u64>(f)(a[0])),
            2 => Box::new(|f, a| transmute::<u64, extern "C" fn(u64, u64) -> u64>(f)(a[0], a[1])),
            _ => Box::new(|f, a| {
                transmute::<u64, extern "C" fn(u64, u64, u64) -> u64>(f)(a[0], a[1], a[2])
            }),
        }
    }
}

pub struct TestBackend {
    pub calls: Vec<CallDescr>,
    pub fnptrs: Vec<u64>,
}

impl Backend for TestBackend {
    fn compile(
        &mut self,
        trace: &traceir::Trace,
        gcrefs: *const u64,
        link: &Link,
    ) -> Result<Box<dyn CompiledCode>, String> {
        let calls = self.calls.clone();
        let fnptrs = self.fnptrs.clone();
        Ok(Box::new(TraceInterp {
            trace: trace.clone(),
            gcrefs,
            host: host(),
            call: Box::new(move |i, a| {
                let d = &calls[i as usize];
                stub_for(d.args.len())(fnptrs[d.fnptr as usize], a)
            }),
            exit_base: link.exit_base,
        }))
    }
    fn call_stub(&mut self, call: &CallDescr) -> Result<CallStub, String> {
        Ok(stub_for(call.args.len()))
    }
}

pub fn state(
    prog: abi::JitProgram,
    refconsts: Vec<u64>,
    fnptrs: Vec<u64>,
    params: JitParams,
) -> JitState {
    let backend = TestBackend {
        calls: prog.calls.clone(),
        fnptrs: fnptrs.clone(),
    };
    let refconsts = Box::leak(refconsts.into_boxed_slice()).as_ptr();
    let fnptrs = Box::leak(fnptrs.into_boxed_slice()).as_ptr();
    JitState::new(prog, refconsts, fnptrs, host(), Box::new(backend), params)
}

pub fn params(threshold: u32) -> JitParams {
    JitParams {
        threshold,
        ..JitParams::default()
    }
}

pub fn disabled() -> JitParams {
    JitParams {
        enabled: false,
        ..JitParams::default()
    }
}

// Jitcode builders.
pub fn ri(i: u16) -> Reg {
    Reg {
        bank: Bank::Int,
        index: i,
    }
}
pub fn rr(i: u16) -> Reg {
    Reg {
        bank: Bank::Ref,
        index: i,
    }
}
pub fn o(r: Reg) -> Opnd {
    Opnd::Reg(r)
}
pub fn k(i: i64) -> Opnd {
    Opnd::Int(i)
}
pub fn to(target: u32) -> Jump {
    Jump {
        target,
        moves: vec![],
    }
}
pub fn goto(target: u32) -> Insn {
    Insn::Goto { jump: to(target) }
}
pub fn bin(op: IntBinOp, dst: Reg, a: Opnd, b: Opnd) -> Insn {
    Insn::IntBin {
        op,
        kind: IntKind::I64,
        dst,
        a,
        b,
    }
}
pub fn mv(dst: Reg, src: Opnd) -> Insn {
    Insn::Move { dst, src }
}

/// Runs merge point `d` with `buf`; panics on a JIT error.
pub fn mp(st: &mut JitState, d: u32, buf: &mut [u64]) -> u32 {
    let r = unsafe { st.merge_point(d, buf.as_mut_ptr()) };
    if r == metainterp::exit::ERROR {
        panic!("jit error: {:?}", st.take_error());
    }
    r
}

pub fn opnames(t: &traceir::Trace) -> Vec<&'static str> {
    t.ops.iter().map(|o| o.opcode.name()).collect()
}
