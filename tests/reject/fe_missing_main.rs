//! A library-like file: nothing to run.

pub fn helper() -> i32 {
    1
}
