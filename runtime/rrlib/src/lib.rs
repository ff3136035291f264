//! `rrlib`: the support crate RRust targets import.
//!
//! In an untranslated build (plain `cargo`) every hint here is a no-op, so a
//! target runs and can be debugged as ordinary Rust. The translator reads the
//! same attributes and calls and gives them meaning (see `docs/rrust.md`).

pub mod jit {
    pub use rrlib_macros::{
        dont_look_inside, elidable, jit_merge_point, purefunction, unroll_safe,
    };

    /// True inside JIT-compiled code; always false untranslated.
    #[inline(always)]
    pub fn we_are_jitted() -> bool {
        false
    }

    /// Asks the JIT to treat `x` as a constant in the trace; identity
    /// untranslated.
    #[inline(always)]
    pub fn promote<T>(x: T) -> T {
        x
    }
}

pub mod gc {
    /// The identity hash of a heap object: the same number for the object's
    /// whole life, even when the translated program's moving collector moves
    /// it. Untranslated it is the object's address (so take it of objects
    /// that stay put, such as the contents of a `Box`).
    #[inline(always)]
    pub fn identity_hash<T: ?Sized>(x: &T) -> u64 {
        x as *const T as *const u8 as usize as u64
    }
}
