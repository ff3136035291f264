//! Process-wide mutable state of the runtime.
//!
//! Translated programs are single-threaded, and the runtime's state (the
//! allocator, the stdout buffer, the last I/O error) is reached from generated
//! code on the hot path, so it lives in plain statics rather than behind locks
//! or thread-locals. Unit tests, which cargo runs on several threads, take
//! `testutil::lock()` before touching it.

use std::cell::UnsafeCell;

pub struct Global<T>(UnsafeCell<T>);

// SAFETY: the runtime is single-threaded (see the module comment).
unsafe impl<T> Sync for Global<T> {}

impl<T> Global<T> {
    pub const fn new(v: T) -> Global<T> {
        Global(UnsafeCell::new(v))
    }
    /// The state; callers must not keep two `&mut` to it alive at once.
    #[inline(always)]
    #[allow(clippy::mut_from_ref)]
    pub fn get(&self) -> &mut T {
        // SAFETY: single-threaded, and every user holds the reference only
        // for the duration of one runtime function without re-entering.
        unsafe { &mut *self.0.get() }
    }
}
