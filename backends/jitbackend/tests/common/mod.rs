//! Helpers shared by the tests: trace builders and a fake GC runtime.
#![allow(dead_code)]

use jitbackend::{compile, CompiledLoop, Env, Link, RuntimeFns};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use traceir::ops::Type;
use traceir::{Descr, Op, Opcode, Trace, Value};

pub fn op(opcode: Opcode, args: Vec<Value>) -> Op {
    Op::new(opcode, args)
}

pub fn guard(opcode: Opcode, args: Vec<Value>, fail: Vec<Value>) -> Op {
    let mut o = Op::new(opcode, args);
    o.fail_args = fail;
    o
}

pub fn trace(inputs: Vec<Type>, ops: Vec<Op>) -> Trace {
    Trace {
        inputs,
        ops,
        ..Trace::default()
    }
}

pub fn descr(o: Op, d: Descr) -> Op {
    o.with_descr(d)
}

/// Serialises the tests that use the fake runtime's globals.
pub static GC_LOCK: Mutex<()> = Mutex::new(());

pub const OBJ_WORDS: usize = 4;
pub static mut ROOTS: [u64; 64] = [0; 64];
pub static mut ROOT_TOP: *mut u64 = std::ptr::null_mut();
pub static MALLOCS: AtomicU64 = AtomicU64::new(0);
pub static BARRIERS: AtomicU64 = AtomicU64::new(0);
pub static ARRAY_BARRIERS: AtomicU64 = AtomicU64::new(0);
pub static LAST_ARRAY_BARRIER_INDEX: AtomicU64 = AtomicU64::new(0);
/// Roots seen by the last malloc (the shadow-stack slots in use).
pub static SEEN_ROOTS: Mutex<Vec<u64>> = Mutex::new(Vec::new());
/// When set, malloc moves every rooted object (copy, poison the old one,
/// update the slot).
pub static MOVE_ON_MALLOC: AtomicU64 = AtomicU64::new(0);

pub fn roots_base() -> *mut u64 {
    std::ptr::addr_of_mut!(ROOTS) as *mut u64
}

pub fn root_top() -> *mut u64 {
    unsafe { std::ptr::addr_of_mut!(ROOT_TOP).read() }
}

/// Resets the fake runtime; returns the lock guard.
pub fn reset() -> std::sync::MutexGuard<'static, ()> {
    let g = GC_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    unsafe {
        std::ptr::addr_of_mut!(ROOTS).write([0xbad; 64]);
        std::ptr::addr_of_mut!(ROOT_TOP).write(roots_base());
    }
    for c in [&MALLOCS, &BARRIERS, &ARRAY_BARRIERS, &MOVE_ON_MALLOC] {
        c.store(0, Ordering::SeqCst);
    }
    SEEN_ROOTS.lock().unwrap().clear();
    g
}

/// A zeroed object of `words` words with header `header`.
pub fn alloc_words(words: usize, header: u64) -> *mut u64 {
    let b = vec![0u64; words.max(2)].into_boxed_slice();
    let p = Box::leak(b).as_mut_ptr();
    unsafe { *p = header };
    p
}

fn collect() {
    let base = roots_base();
    let top = root_top();
    let n = unsafe { top.offset_from(base) } as usize;
    let mut seen = SEEN_ROOTS.lock().unwrap();
    seen.clear();
    for k in 0..n {
        let slot = unsafe { base.add(k) };
        let obj = unsafe { *slot };
        seen.push(obj);
        if obj != 0 && MOVE_ON_MALLOC.load(Ordering::SeqCst) != 0 {
            let old = obj as *mut u64;
            let new = alloc_words(OBJ_WORDS, 0);
            unsafe {
                std::ptr::copy_nonoverlapping(old, new, OBJ_WORDS);
                for w in 1..OBJ_WORDS {
                    *old.add(w) = 0xdead_dead;
                }
                *slot = new as u64;
            }
        }
    }
}

pub extern "C" fn fake_malloc(type_id: u64, size: u64) -> *mut u8 {
    MALLOCS.fetch_add(1, Ordering::SeqCst);
    collect();
    alloc_words((size as usize).div_ceil(8).max(OBJ_WORDS), type_id) as *mut u8
}

pub extern "C" fn fake_malloc_array(type_id: u64, item_size: u64, len: u64) -> *mut u8 {
    MALLOCS.fetch_add(1, Ordering::SeqCst);
    collect();
    let words = 2 + (item_size * len).div_ceil(8) as usize;
    let p = alloc_words(words, type_id);
    unsafe { *p.add(1) = len };
    p as *mut u8
}

pub extern "C" fn fake_barrier(_obj: *mut u8) {
    BARRIERS.fetch_add(1, Ordering::SeqCst);
}

pub extern "C" fn fake_barrier_array(_obj: *mut u8, index: u64) {
    ARRAY_BARRIERS.fetch_add(1, Ordering::SeqCst);
    LAST_ARRAY_BARRIER_INDEX.store(index, Ordering::SeqCst);
}

pub fn runtime() -> RuntimeFns {
    RuntimeFns {
        malloc: fake_malloc as *const () as u64,
        malloc_array: fake_malloc_array as *const () as u64,
        write_barrier: fake_barrier as *const () as u64,
        write_barrier_array: fake_barrier_array as *const () as u64,
        root_stack_top: std::ptr::addr_of_mut!(ROOT_TOP) as u64,
    }
}

pub fn env<'a>(t: &'a Trace, calls: &'a [abi::CallDescr], fnptrs: &'a [u64]) -> Env<'a> {
    Env {
        calls,
        fnptrs,
        gcrefs: t.gcrefs.as_ptr(),
        rt: runtime(),
        link: Link::default(),
    }
}

pub fn build(t: &Trace) -> CompiledLoop {
    compile(t, &env(t, &[], &[])).expect("compiles")
}

/// Compiles and runs `t` on `frame`; returns the exit index.
pub fn run(t: &Trace, frame: &mut [u64]) -> u32 {
    let c = build(t);
    unsafe { c.run(frame.as_mut_ptr()) }
}
