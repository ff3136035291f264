//! `rrruntime`: the runtime linked (as a staticlib) into every program the
//! rrust toolchain translates. It implements the functions of
//! `docs/runtime-abi.md`, all `extern "C"` and named `rr_*`, and the C `main`
//! (feature `c-main`, on by default).
//!
//! Code map: `entry` (main, args, exit), `panic`, `alloc` (the nursery
//! fast path), `gc` (the collector: nursery, old generation, shadow stack,
//! write barriers, identity hash, statistics), `list`, `string`, `fmt` (`rr_fmt_*` via std's own
//! formatting), `io` (stdout buffer, stdin, files, I/O errors), `dict`
//! (`HashMap`), `layout` (object layouts, restating `rtyper/src/lltype.rs`).
//!
//! The runtime is single-threaded, like the programs it serves; see `global`.

mod alloc;
mod chars;
mod dict;
mod entry;
mod floats;
mod fmt;
pub mod gc;
mod global;
mod ints;
mod io;
#[cfg(feature = "jit")]
pub mod jit;
mod layout;
mod list;
mod list_edit;
mod panic;
mod slice;
mod sort;
mod string;
#[cfg(test)]
mod subprocess_tests;
#[cfg(test)]
mod testutil;

// The ABI, for Rust callers of the rlib (the symbols are exported anyway).
pub use alloc::{rr_malloc, rr_malloc_array};
pub use chars::{rr_char_ascii_case, rr_char_class, rr_char_to_digit};
pub use dict::{
    rr_dict_capacity, rr_dict_entry, rr_dict_getitem, rr_dict_insert, rr_dict_key, rr_dict_len,
    rr_dict_live, rr_dict_lookup, rr_dict_new, rr_dict_new_refs, rr_dict_remove, rr_dict_set_value,
    rr_dict_value,
};
pub use entry::{rr_env_args, rr_exit};
pub use floats::{rr_f64_binary, rr_f64_powi, rr_f64_test, rr_f64_unary};
pub use fmt::{rr_fmt_bool, rr_fmt_char, rr_fmt_float, rr_fmt_int, rr_fmt_io_error, rr_fmt_str};
pub use gc::roots::rr_root_stack_top;
pub use gc::{rr_gc_write_barrier, rr_gc_write_barrier_array, rr_identity_hash};
pub use ints::{rr_int_pow, rr_int_pow_overflows};
pub use io::{
    rr_flush, rr_fs_read, rr_fs_read_to_string, rr_print, rr_stdin_read, rr_stdin_read_line,
    rr_take_io_error,
};
pub use list::{rr_list_clone, rr_list_grow, rr_list_new, rr_list_new_filled};
pub use list_edit::{rr_list_close_gap, rr_list_open_gap, rr_list_reverse};
pub use panic::{
    rr_panic_bounds, rr_panic_msg, rr_panic_result_expect, rr_panic_result_unwrap, rr_panic_str,
};
pub use sort::rr_list_sort;
pub use string::{rr_str_cmp, rr_str_concat, rr_str_eq, rr_str_push_char, rr_str_push_str};
