//! The metainterp's backend: traces and call stubs compiled to machine
//! code by the `jitbackend` crate (Cranelift), into memory that is never
//! writable and executable at once.

use metainterp::{Backend, CompiledCode, Link};

pub struct Cranelift {
    calls: Vec<abi::CallDescr>,
    fnptrs: Vec<u64>,
}

impl Cranelift {
    pub fn new(calls: Vec<abi::CallDescr>, fnptrs: Vec<u64>) -> Cranelift {
        Cranelift { calls, fnptrs }
    }
}

fn runtime_fns() -> jitbackend::RuntimeFns {
    jitbackend::RuntimeFns {
        malloc: crate::alloc::rr_malloc as *const () as u64,
        malloc_array: crate::alloc::rr_malloc_array as *const () as u64,
        write_barrier: crate::gc::rr_gc_write_barrier as *const () as u64,
        write_barrier_array: crate::gc::rr_gc_write_barrier_array as *const () as u64,
        root_stack_top: std::ptr::addr_of!(crate::gc::roots::rr_root_stack_top) as u64,
    }
}

/// With `RRUST_JIT_PERF_MAP` set, each trace's code is named in
/// `/tmp/perf-PID.map`, the file `perf report` reads symbols of JIT code
/// from (`trace N`, N as in the `jit-log-opt` logs). With
/// `RRUST_JIT_PERF_MAP=dump` the code bytes of each trace go to
/// `/tmp/rrjit-PID-N.bin` as well (`objdump -D -b binary -mi386:x86-64`).
fn perf_map(addr: u64, size: usize, name: &str) {
    use std::io::Write;
    let Some(mode) = std::env::var_os("RRUST_JIT_PERF_MAP") else {
        return;
    };
    if mode == "dump" {
        // SAFETY: the code was just compiled and its pages are readable
        // (read + execute) for `size` bytes from `addr`.
        let code = unsafe { std::slice::from_raw_parts(addr as *const u8, size) };
        let path = format!("/tmp/rrjit-{}-{name}.bin", std::process::id());
        let _ = std::fs::write(path, code);
    }
    let path = format!("/tmp/perf-{}.map", std::process::id());
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = writeln!(f, "{addr:x} {size:x} rrjit trace {name}");
    }
}

struct Loop(jitbackend::CompiledLoop);

impl CompiledCode for Loop {
    unsafe fn run(&self, frame: *mut u64) -> u32 {
        self.0.run(frame)
    }
    fn entry(&self) -> u64 {
        self.0.entry()
    }
}

impl Cranelift {
    fn env<'a>(&'a self, gcrefs: *const u64, link: &Link<'a>) -> jitbackend::Env<'a> {
        jitbackend::Env {
            calls: &self.calls,
            fnptrs: &self.fnptrs,
            gcrefs,
            rt: runtime_fns(),
            link: jitbackend::Link {
                exit_base: link.exit_base,
                bridge_slots: link.bridge_slots,
                targets: link.targets,
                bodies: link.bodies,
                counters: link.counters,
            },
        }
    }
}

impl Backend for Cranelift {
    fn compile(
        &mut self,
        trace: &traceir::Trace,
        gcrefs: *const u64,
        link: &Link,
    ) -> Result<Box<dyn CompiledCode>, String> {
        let env = self.env(gcrefs, link);
        let l = jitbackend::compile(trace, &env).map_err(|e| e.to_string())?;
        perf_map(l.entry(), l.code_size(), &link.number.to_string());
        Ok(Box::new(Loop(l)))
    }

    fn compile_body(
        &mut self,
        trace: &traceir::Trace,
        gcrefs: *const u64,
        link: &Link,
    ) -> Option<Result<Box<dyn CompiledCode>, String>> {
        let env = self.env(gcrefs, link);
        Some(
            jitbackend::compile_body(trace, &env)
                .map(|l| {
                    perf_map(l.entry(), l.code_size(), &format!("{}-body", link.number));
                    Box::new(Loop(l)) as Box<dyn CompiledCode>
                })
                .map_err(|e| e.to_string()),
        )
    }

    fn call_stub(
        &mut self,
        call: &abi::CallDescr,
    ) -> Result<Box<dyn Fn(u64, &[u64]) -> u64>, String> {
        let stub =
            jitbackend::compile_call_stub(&call.args, call.ret).map_err(|e| format!("{e:?}"))?;
        // SAFETY: the metainterp passes as many words as the descriptor has
        // arguments, and a function of exactly that signature.
        Ok(Box::new(move |f, args| unsafe {
            stub.call(f, args.as_ptr())
        }))
    }
}
