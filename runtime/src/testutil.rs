//! Helpers of the unit tests: objects built the way generated code builds
//! them, and the lock that serialises access to the runtime's global state.

use crate::layout::bytes_of;
use std::sync::{Mutex, MutexGuard};

static LOCK: Mutex<()> = Mutex::new(());

/// Serialises tests that touch the runtime's (single-threaded) state.
pub fn lock() -> MutexGuard<'static, ()> {
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
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
