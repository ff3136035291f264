//! Helpers of the unit tests: objects built the way generated code builds
//! them, and the lock that serialises access to the runtime's global state.

use crate::layout::bytes_of;
use std::sync::{Mutex, MutexGuard};

static LOCK: Mutex<()> = Mutex::new(());

/// Serialises tests that touch the runtime's (single-threaded) state, and
/// starts each from an empty heap, no roots and the default GC settings (so
/// tests that keep references in Rust locals are safe as long as they
/// allocate less than a nursery).
pub fn lock() -> MutexGuard<'static, ()> {
    let g = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    crate::gc::reset_for_tests(4 << 20, false);
    g
}

/// As [`lock`], with a nursery of `nursery` bytes and stress mode.
pub fn lock_gc(nursery: usize, stress: bool) -> MutexGuard<'static, ()> {
    let g = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    crate::gc::reset_for_tests(nursery, stress);
    g
}

/// A new `String` object holding `s`.
pub fn string(s: &str) -> *mut u8 {
    crate::list::new_string(s.as_bytes())
}

/// The text of a string object.
pub fn text(s: *const u8) -> String {
    // SAFETY: tests pass string objects only.
    String::from_utf8(unsafe { bytes_of(s) }.to_vec()).expect("string object is not UTF-8")
}
