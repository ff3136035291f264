//! The shadow stack: where generated code and the runtime's own helpers keep
//! the GC references they hold across calls that may collect.
//!
//! One big region reserved at startup, growing upwards from `base`;
//! `rr_root_stack_top` is the first free word. Generated frames cannot check
//! bounds cheaply, so on Linux the region ends in a PROT_NONE guard that
//! turns an overflow into a fault instead of silent corruption; the
//! runtime's own pushes check the bound explicitly.

use crate::global::Global;

/// The first free word of the shadow stack (exported for generated code).
#[no_mangle]
pub static mut rr_root_stack_top: *mut u64 = std::ptr::null_mut();

/// Usable words: 8 M words (64 MiB, reserved, touched only as used).
const WORDS: usize = 8 << 20;
/// Guard bytes after the usable part.
const GUARD: usize = 1 << 16;

pub struct Region {
    pub base: *mut u64,
    pub limit: *mut u64,
}

pub static REGION: Global<Region> = Global::new(Region {
    base: std::ptr::null_mut(),
    limit: std::ptr::null_mut(),
});

#[cfg(target_os = "linux")]
fn reserve(bytes: usize) -> *mut u8 {
    extern "C" {
        fn mmap(addr: *mut u8, len: usize, prot: i32, flags: i32, fd: i32, off: i64) -> *mut u8;
        fn mprotect(addr: *mut u8, len: usize, prot: i32) -> i32;
    }
    const PROT_READ_WRITE: i32 = 1 | 2;
    const MAP_PRIVATE_ANON_NORESERVE: i32 = 0x02 | 0x20 | 0x4000;
    // SAFETY: a fresh anonymous mapping; the guard lies inside it.
    unsafe {
        let p = mmap(
            std::ptr::null_mut(),
            bytes + GUARD,
            PROT_READ_WRITE,
            MAP_PRIVATE_ANON_NORESERVE,
            -1,
            0,
        );
        if p as isize == -1 || mprotect(p.add(bytes), GUARD, 0) != 0 {
            crate::panic::internal_error("cannot reserve the GC shadow stack");
        }
        p
    }
}

#[cfg(not(target_os = "linux"))]
fn reserve(bytes: usize) -> *mut u8 {
    let layout = std::alloc::Layout::from_size_align(bytes, 8).expect("shadow stack layout");
    // SAFETY: non-zero size.
    let p = unsafe { std::alloc::alloc_zeroed(layout) };
    if p.is_null() {
        std::alloc::handle_alloc_error(layout);
    }
    p
}

/// Roots held outside the shadow stack (the JIT's registers, traces and
/// buffers): the collector calls the visitor on each slot, which may hold 0
/// and may be overwritten when an object moves.
pub type ExtraRoots = unsafe fn(visit: &mut dyn FnMut(*mut u64));

static EXTRA: Global<Option<ExtraRoots>> = Global::new(None);

/// Registers the one provider of extra roots (the JIT, when linked in).
pub fn set_extra_roots(f: ExtraRoots) {
    *EXTRA.get() = Some(f);
}

/// Calls `visit` on every extra root slot.
///
/// # Safety
/// Only from the collector, while no one else touches the provider's state.
pub unsafe fn for_each_extra(visit: &mut dyn FnMut(*mut u64)) {
    if let Some(f) = *EXTRA.get() {
        f(visit);
    }
}

/// Reserves the region (once) and points `rr_root_stack_top` at its base.
pub fn init() {
    let r = REGION.get();
    if r.base.is_null() {
        let p = reserve(WORDS * 8) as *mut u64;
        r.base = p;
        // SAFETY: inside the reservation.
        r.limit = unsafe { p.add(WORDS) };
        // SAFETY: single-threaded runtime state.
        unsafe { rr_root_stack_top = p };
    }
}

/// The live part of the stack, base to top.
pub fn live() -> (*mut u64, *mut u64) {
    let r = REGION.get();
    // SAFETY: single-threaded runtime state.
    let top = unsafe { rr_root_stack_top };
    if r.base.is_null() || top.is_null() {
        return (r.base, r.base);
    }
    (r.base, top)
}

/// Empties the stack (unit tests start from no roots).
#[cfg(test)]
pub fn clear() {
    init();
    // SAFETY: single-threaded runtime state.
    unsafe { rr_root_stack_top = REGION.get().base };
}

/// `N` GC references the runtime keeps on the shadow stack while it
/// allocates; read them back with [`Frame::get`] after every allocation.
pub struct Frame<const N: usize> {
    slots: *mut u64,
}

impl<const N: usize> Frame<N> {
    #[inline]
    pub fn new(refs: [*mut u8; N]) -> Frame<N> {
        // SAFETY: single-threaded runtime state; the bound is checked.
        unsafe {
            if rr_root_stack_top.is_null() {
                init();
            }
            let slots = rr_root_stack_top;
            if slots.add(N) > REGION.get().limit {
                crate::panic::internal_error("GC shadow stack overflow");
            }
            for (i, r) in refs.iter().enumerate() {
                *slots.add(i) = *r as u64;
            }
            rr_root_stack_top = slots.add(N);
            Frame { slots }
        }
    }
    /// Slot `i`, as the last collection left it.
    #[inline(always)]
    pub fn get(&self, i: usize) -> *mut u8 {
        debug_assert!(i < N);
        // SAFETY: the slot belongs to this frame.
        unsafe { *self.slots.add(i) as *mut u8 }
    }
    #[inline(always)]
    pub fn set(&self, i: usize, r: *mut u8) {
        debug_assert!(i < N);
        // SAFETY: the slot belongs to this frame.
        unsafe { *self.slots.add(i) = r as u64 }
    }
}

impl<const N: usize> Drop for Frame<N> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: frames are dropped in reverse order of creation.
        unsafe { rr_root_stack_top = self.slots };
    }
}
