//! The runtime functions generated code may call (docs/runtime-abi.md),
//! with their effects: one table read by the AOT backend (which calls may
//! collect), the codewriter (call descriptors for the JIT) and a test that
//! checks the runtime archive exports each of them.
//!
//! Parameter and return types are still taken from the call site (the
//! rtyper emits the types the ABI document gives); moving them here is
//! the next step (issue 6, item 3).

use crate::jitcode::Effects;

/// One runtime function.
#[derive(Copy, Clone, Debug)]
pub struct RuntimeFn {
    pub name: &'static str,
    pub effects: Effects,
}

const fn fx(may_collect: bool, can_panic: bool, reads: bool, writes: bool) -> Effects {
    Effects {
        may_collect,
        can_panic,
        elidable: false,
        reads_heap: reads,
        writes_heap: writes,
        noreturn: false,
    }
}

/// Allocates (may collect), writes only what it allocates or its
/// arguments' contents.
const ALLOC: Effects = fx(true, false, true, true);
/// Reads its arguments, allocates nothing.
const READ: Effects = fx(false, false, true, false);
/// Changes heap objects or the outside world, allocates nothing.
const WRITE: Effects = fx(false, false, true, true);
/// Never returns.
const NORETURN: Effects = Effects {
    may_collect: false,
    can_panic: true,
    elidable: false,
    reads_heap: true,
    writes_heap: true,
    noreturn: true,
};

macro_rules! table {
    ($($name:literal => $fx:expr,)*) => {
        /// Every runtime function of the ABI.
        pub const RUNTIME_FNS: &[RuntimeFn] = &[$(RuntimeFn { name: $name, effects: $fx },)*];
    };
}

table! {
    "rr_malloc" => ALLOC,
    "rr_malloc_array" => ALLOC,
    "rr_list_new" => ALLOC,
    "rr_list_grow" => ALLOC,
    "rr_list_new_filled" => ALLOC,
    "rr_list_clone" => ALLOC,
    "rr_str_push_str" => ALLOC,
    "rr_str_push_char" => ALLOC,
    "rr_str_concat" => ALLOC,
    "rr_str_eq" => READ,
    "rr_str_cmp" => READ,
    "rr_str_starts_with" => READ,
    "rr_str_ends_with" => READ,
    "rr_str_contains" => READ,
    "rr_str_map" => ALLOC,
    "rr_str_split_whitespace" => ALLOC,
    "rr_str_lines" => ALLOC,
    "rr_str_trim_matches" => ALLOC,
    "rr_str_replace" => ALLOC,
    "rr_str_repeat" => fx(true, true, true, true),
    "rr_str_split" => ALLOC,
    "rr_str_chars" => ALLOC,
    "rr_str_parse_int" => READ,
    "rr_str_parse_int_error" => READ,
    "rr_str_parse_float" => READ,
    "rr_str_parse_float_error" => READ,
    "rr_env_args" => ALLOC,
    "rr_exit" => NORETURN,
    "rr_print" => WRITE,
    "rr_flush" => WRITE,
    "rr_stdin_read" => WRITE,
    "rr_stdin_read_line" => ALLOC,
    "rr_fs_read" => ALLOC,
    "rr_fs_read_to_string" => ALLOC,
    "rr_take_io_error" => ALLOC,
    "rr_fmt_str" => ALLOC,
    "rr_fmt_int" => ALLOC,
    "rr_fmt_float" => ALLOC,
    "rr_fmt_bool" => ALLOC,
    "rr_fmt_char" => ALLOC,
    "rr_fmt_io_error" => ALLOC,
    "rr_dict_new" => ALLOC,
    "rr_dict_new_refs" => ALLOC,
    "rr_dict_insert" => ALLOC,
    "rr_dict_len" => READ,
    "rr_dict_lookup" => READ,
    "rr_dict_value" => READ,
    "rr_dict_set_value" => WRITE,
    "rr_dict_remove" => WRITE,
    "rr_dict_getitem" => fx(false, true, true, false),
    "rr_identity_hash" => WRITE,
    "rr_gc_write_barrier" => WRITE,
    "rr_gc_write_barrier_array" => WRITE,
    "rr_panic_bounds" => NORETURN,
    "rr_panic_msg" => NORETURN,
    "rr_panic_str" => NORETURN,
    "rr_panic_result_unwrap" => NORETURN,
    "rr_panic_result_expect" => NORETURN,
    "rr_panic_parse_int_unwrap" => NORETURN,
    "rr_panic_parse_int_expect" => NORETURN,
    "rr_panic_parse_float_unwrap" => NORETURN,
    "rr_panic_parse_float_expect" => NORETURN,
}

/// The entry for `name`.
pub fn lookup(name: &str) -> Option<&'static RuntimeFn> {
    RUNTIME_FNS.iter().find(|f| f.name == name)
}

/// Effects of a call of `name`; an unknown name gets the most pessimistic
/// effects (it may do anything).
pub fn effects(name: &str) -> Effects {
    lookup(name).map(|f| f.effects).unwrap_or(Effects {
        may_collect: true,
        can_panic: true,
        elidable: false,
        reads_heap: true,
        writes_heap: true,
        noreturn: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_prefixed() {
        for (i, f) in RUNTIME_FNS.iter().enumerate() {
            assert!(f.name.starts_with("rr_"), "{}", f.name);
            assert!(
                RUNTIME_FNS[..i].iter().all(|g| g.name != f.name),
                "{} twice",
                f.name
            );
        }
        assert!(effects("rr_malloc").may_collect);
        assert!(!effects("rr_dict_lookup").may_collect);
        assert!(effects("rr_exit").noreturn);
        assert!(effects("rr_unknown").may_collect);
    }
}
