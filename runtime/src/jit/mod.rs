//! The tracing JIT's place in the runtime (feature `jit`, linked into
//! `--opt=jit` programs only): the `rrjit_merge_point` entry the AOT code
//! calls at the portal's merge point, the metainterp's state (created at
//! the first call from the tables the translated object exports), its GC
//! roots, its options and its logs. The metainterp is the `metainterp`
//! crate, the machine-code backend the `jitbackend` crate (`backend.rs`).

mod backend;
mod log;
mod options;

use crate::global::Global;
use metainterp::{Host, JitState};

pub use options::strip_jit_args;

/// Reads the options now, so that a bad `--jit` or `RRUST_JIT` stops the
/// program (exit 2) before it runs, and sets the count at which the AOT
/// code calls in.
pub fn check_options() {
    let o = options::get();
    let limit = if o.enabled {
        o.threshold.max(1)
    } else {
        u32::MAX
    };
    // SAFETY: written before the program runs, read by its AOT code only.
    unsafe { *std::ptr::addr_of_mut!(rrjit_limit) = limit };
}

/// The warm state's tables, which the AOT code reads at every merge point
/// (`backends/src/aot/jit.rs`): a counter and a "has a loop" flag per hash
/// slot, and the count at which it calls `rrjit_merge_point`. Their names
/// are `abi::symbols::{COUNTERS, LOOP_SLOTS, LIMIT}`.
#[no_mangle]
pub static mut rrjit_counters: [u32; 1 << abi::warm::COUNTER_BITS] =
    [0; 1 << abi::warm::COUNTER_BITS];
#[no_mangle]
pub static mut rrjit_loop_slots: [u8; 1 << abi::warm::COUNTER_BITS] =
    [0; 1 << abi::warm::COUNTER_BITS];
#[no_mangle]
pub static mut rrjit_limit: u32 = u32::MAX;
/// `abi::symbols::PORTAL_EPOCH`: calls of a portal so far.
#[no_mangle]
pub static mut rrjit_portal_epoch: u64 = 0;

extern "C" {
    static rrjit_program: u8;
    static rrjit_program_len: u64;
    static rrjit_refconsts: u64;
    static rrjit_fnptrs: u64;
}

/// The JIT: None until the first merge point; `busy` while the metainterp
/// runs (a residual call may re-enter `rrjit_merge_point`, which then
/// leaves the JIT alone and lets the AOT code go on).
struct Jit {
    state: Option<Box<JitState>>,
    busy: bool,
    failed: bool,
}

static JIT: Global<Jit> = Global::new(Jit {
    state: None,
    busy: false,
    failed: false,
});

fn host() -> Host {
    Host {
        malloc: crate::alloc::rr_malloc,
        malloc_array: crate::alloc::rr_malloc_array,
        write_barrier: crate::gc::rr_gc_write_barrier,
        write_barrier_array: crate::gc::rr_gc_write_barrier_array,
        panic_bounds: crate::panic::rr_panic_bounds,
        panic_msg: crate::panic::rr_panic_msg,
        panic_expect,
    }
}

/// `expect(msg)` failing inside the JIT: the message is a `String` object.
unsafe extern "C" fn panic_expect(msg: *mut u8, loc: *const u8, loc_len: u64) -> ! {
    let text = crate::layout::bytes_of(msg).to_vec();
    let loc = std::slice::from_raw_parts(loc, loc_len as usize);
    crate::panic::panic_at(loc, &text)
}

/// The collector's view of the JIT's references.
unsafe fn jit_roots(visit: &mut dyn FnMut(*mut u64)) {
    if let Some(s) = JIT.get().state.as_mut() {
        s.visit_roots(&mut |r: &mut u64| visit(r as *mut u64));
    }
}

unsafe fn start() -> Option<Box<JitState>> {
    let opts = options::get();
    let bytes = std::slice::from_raw_parts(&rrjit_program as *const u8, rrjit_program_len as usize);
    let program = match abi::wire::decode(bytes) {
        Ok(p) => p,
        Err(e) => {
            crate::panic::internal_error(&format!("the JIT's program does not decode: {e:?}"))
        }
    };
    let fnptrs =
        std::slice::from_raw_parts(&rrjit_fnptrs as *const u64, program.num_fnptrs as usize)
            .to_vec();
    let backend = backend::Cranelift::new(program.calls.clone(), fnptrs);
    let state = JitState::new(
        program,
        &rrjit_refconsts as *const u64,
        &rrjit_fnptrs as *const u64,
        host(),
        Box::new(backend),
        opts.params(),
    );
    crate::gc::roots::set_extra_roots(jit_roots);
    let mut state = Box::new(state);
    state.share_warm_tables(
        std::ptr::addr_of_mut!(rrjit_counters) as *mut u32,
        std::ptr::addr_of_mut!(rrjit_loop_slots) as *mut u8,
    );
    Some(state)
}

/// The merge point of jit driver `driver`: `buf` holds its greens, then
/// its reds, as words. Returns 0 to go on with the values in `buf`, 2 when
/// the portal returned (its value in `buf[0]`). docs/runtime-abi.md, "JIT".
///
/// # Safety
/// Called by generated code with a buffer of the driver's size.
#[no_mangle]
pub unsafe extern "C" fn rrjit_merge_point(driver: u64, buf: *mut u64) -> u64 {
    let jit = JIT.get();
    if jit.busy || jit.failed || !options::get().enabled {
        if let Some(s) = jit.state.as_ref() {
            s.note_reentry();
        }
        return 0;
    }
    if jit.state.is_none() {
        jit.state = start();
        if jit.state.is_none() {
            jit.failed = true;
            // No more calls from the AOT code.
            *std::ptr::addr_of_mut!(rrjit_limit) = u32::MAX;
            return 0;
        }
    }
    jit.busy = true;
    // The state is boxed and stays put while it runs; a re-entrant call
    // sees `busy` and returns before touching it.
    let state: *mut JitState = &mut **jit.state.as_mut().expect("started above");
    (*state).note_epoch(*std::ptr::addr_of!(rrjit_portal_epoch));
    let r = (*state).merge_point(driver as u32, buf);
    JIT.get().busy = false;
    if r == metainterp::exit::ERROR {
        let m = (*state).take_error().unwrap_or_default();
        crate::panic::internal_error(&format!("the JIT failed: {m}"));
    }
    r as u64
}

/// At exit: the `PYPYLOG` jit categories.
pub fn at_exit() {
    if let Some(s) = JIT.get().state.as_ref() {
        log::report(s);
    }
}
