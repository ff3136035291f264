//! The runtime functions generated code may call (docs/runtime-abi.md),
//! with their signatures and effects: the one table read by the AOT
//! backend (the Cranelift signature of every runtime call, and which calls
//! may collect), the codewriter (call descriptors for the JIT) and the
//! tests that hold it to the runtime (`backends/tests/runtime_abi.rs`:
//! every entry is a defined symbol of the runtime archives, and the
//! runtime's `extern "C" fn rr_*` definitions have exactly these
//! signatures).
//!
//! The backend builds the signature of a call from the table, never from
//! the call site, and rejects a call whose argument or result types do not
//! fit the entry (see `AbiTy` for what fits what).

use crate::jitcode::Effects;

/// The C type of a parameter or result of a runtime function: the type
/// of its Rust definition in the runtime. Call sites pass low-level types
/// (`rtyper::lltype::LLType`) that fit it as follows:
///
/// - `U8`: `Bool`, `u8`, `i8` (an 8-bit value, zero-extended as rustc's
///   `extern "C"` callers do for `u8`);
/// - `U32`, `I32`: `Char`, `u32`, `i32` (either signedness; `U32` is
///   zero-extended, `I32` sign-extended, as the runtime's type says);
/// - `U64`, `I64`: any 64-bit integer (`u64`, `i64`, `usize`, `isize`;
///   either signedness);
/// - `F64`: `Float`; `Ptr`: any `Ptr(_)` (`*const u8`/`*mut u8` in the
///   runtime);
/// - `Word`: a `u64` in the runtime that holds any word-sized value (dict
///   keys and values, the fill value of `vec![x; n]`): a 64-bit integer or
///   a `Ptr`; as a result also a `Char` (the low 32 bits of the word);
/// - `Void`: only as a result, for functions returning nothing or `-> !`
///   (those have `NORETURN` effects).
///
/// Call-site arguments of type `Void` carry no value and are dropped
/// before matching; an integer constant also fits any integer type (not
/// `Word`) whose range holds its value and is passed as that type.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum AbiTy {
    U8,
    U32,
    I32,
    I64,
    U64,
    F64,
    Ptr,
    Word,
    Void,
}

impl AbiTy {
    /// The type as the runtime's Rust source spells it (`Ptr`: `ptr`,
    /// `Word`: `u64 word`, `Void`: `()`).
    pub const fn name(self) -> &'static str {
        match self {
            AbiTy::U8 => "u8",
            AbiTy::U32 => "u32",
            AbiTy::I32 => "i32",
            AbiTy::I64 => "i64",
            AbiTy::U64 => "u64",
            AbiTy::F64 => "f64",
            AbiTy::Ptr => "ptr",
            AbiTy::Word => "u64 word",
            AbiTy::Void => "()",
        }
    }

    /// Width in bits of the value (0 for `Void`).
    pub const fn bits(self) -> u32 {
        match self {
            AbiTy::U8 => 8,
            AbiTy::U32 | AbiTy::I32 => 32,
            AbiTy::I64 | AbiTy::U64 | AbiTy::F64 | AbiTy::Ptr | AbiTy::Word => 64,
            AbiTy::Void => 0,
        }
    }

    /// Whether narrow values are sign-extended (else zero-extended).
    pub const fn signed(self) -> bool {
        matches!(self, AbiTy::I32 | AbiTy::I64)
    }
}

/// One runtime function.
#[derive(Copy, Clone, Debug)]
pub struct RuntimeFn {
    pub name: &'static str,
    pub params: &'static [AbiTy],
    /// `Void` for none (also for `-> !`).
    pub ret: AbiTy,
    pub effects: Effects,
}

impl RuntimeFn {
    /// `rr_flush(u64) -> ()`.
    pub fn signature_text(&self) -> String {
        let params: Vec<&str> = self.params.iter().map(|p| p.name()).collect();
        format!(
            "{}({}) -> {}",
            self.name,
            params.join(", "),
            self.ret.name()
        )
    }
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
/// Reads and writes nothing: a function of its arguments.
const PURE: Effects = Effects {
    elidable: true,
    ..fx(false, false, false, false)
};
/// Never returns.
const NORETURN: Effects = Effects {
    may_collect: false,
    can_panic: true,
    elidable: false,
    reads_heap: true,
    writes_heap: true,
    noreturn: true,
};

/// One line per function: `"name"(params) -> result => effects,` with
/// the `AbiTy` variants by name.
macro_rules! table {
    ($($name:literal ($($p:ident),*) -> $ret:ident => $fx:expr,)*) => {
        /// Every runtime function of the ABI.
        pub const RUNTIME_FNS: &[RuntimeFn] = &[$(RuntimeFn {
            name: $name,
            params: &[$(AbiTy::$p),*],
            ret: AbiTy::$ret,
            effects: $fx,
        },)*];
    };
}

table! {
    "rr_malloc"(U64, U64) -> Ptr => ALLOC,
    "rr_malloc_array"(U64, U64, U64) -> Ptr => ALLOC,
    "rr_list_new"(U64, U64, U64, U64) -> Ptr => ALLOC,
    "rr_list_grow"(Ptr, U64, U64, U64) -> Void => ALLOC,
    "rr_list_new_filled"(U64, U64, U64, U64, Word) -> Ptr => ALLOC,
    "rr_list_clone"(Ptr, U64, U64, U64) -> Ptr => ALLOC,
    "rr_list_slice"(Ptr, U64, U64, U64, U64, U64, U64, Ptr) -> Ptr => fx(true, true, true, true),
    "rr_str_slice"(Ptr, U64, U64, U64, Ptr) -> Ptr => fx(true, true, true, true),
    "rr_list_join"(Ptr, Ptr) -> Ptr => ALLOC,
    "rr_list_sort"(Ptr, U64) -> Void => WRITE,
    "rr_list_open_gap"(Ptr, U64, U64, U64, Ptr) -> Void => fx(true, true, true, true),
    "rr_list_close_gap"(Ptr, U64, U64, Ptr) -> Word => fx(false, true, true, true),
    "rr_list_reverse"(Ptr, U64) -> Void => WRITE,
    "rr_str_push_str"(Ptr, Ptr) -> Void => ALLOC,
    "rr_str_push_char"(Ptr, U32) -> Void => ALLOC,
    "rr_str_concat"(Ptr, Ptr) -> Ptr => ALLOC,
    "rr_str_eq"(Ptr, Ptr) -> U8 => READ,
    "rr_str_cmp"(Ptr, Ptr) -> I32 => READ,
    "rr_str_starts_with"(Ptr, Ptr) -> U8 => READ,
    "rr_str_ends_with"(Ptr, Ptr) -> U8 => READ,
    "rr_str_contains"(Ptr, Ptr) -> U8 => READ,
    "rr_str_map"(Ptr, U64) -> Ptr => ALLOC,
    "rr_str_split_whitespace"(Ptr) -> Ptr => ALLOC,
    "rr_str_lines"(Ptr) -> Ptr => ALLOC,
    "rr_str_trim_matches"(Ptr, Ptr, U64) -> Ptr => ALLOC,
    "rr_str_replace"(Ptr, Ptr, Ptr) -> Ptr => ALLOC,
    "rr_str_repeat"(Ptr, U64) -> Ptr => fx(true, true, true, true),
    "rr_str_split"(Ptr, Ptr) -> Ptr => ALLOC,
    "rr_str_chars"(Ptr, U64, U64) -> Ptr => ALLOC,
    "rr_char_class"(U32, U64) -> U8 => PURE,
    "rr_f64_unary"(F64, U64) -> F64 => PURE,
    "rr_f64_binary"(F64, F64, U64) -> F64 => PURE,
    "rr_f64_test"(F64, U64) -> U8 => PURE,
    "rr_f64_powi"(F64, I32) -> F64 => PURE,
    "rr_int_pow"(U64, U64, U64) -> U64 => PURE,
    "rr_int_pow_overflows"(U64, U64, U64) -> U8 => PURE,
    "rr_char_ascii_case"(U32, U64) -> U32 => PURE,
    "rr_char_to_digit"(U32, U64) -> I64 => PURE,
    "rr_str_parse_int"(Ptr, U64, U64) -> I64 => READ,
    "rr_str_parse_int_error"(Ptr, U64, U64) -> U8 => READ,
    "rr_str_parse_float"(Ptr) -> F64 => READ,
    "rr_str_parse_float_error"(Ptr) -> U8 => READ,
    "rr_env_args"() -> Ptr => ALLOC,
    "rr_exit"(I32) -> Void => NORETURN,
    "rr_print"(Ptr, U64) -> Void => WRITE,
    "rr_flush"(U64) -> Void => WRITE,
    "rr_stdin_read"(Ptr) -> I64 => WRITE,
    "rr_stdin_read_line"(Ptr) -> I64 => ALLOC,
    "rr_stdin_read_to_string"(Ptr) -> I64 => ALLOC,
    "rr_fs_read"(Ptr) -> Ptr => ALLOC,
    "rr_fs_read_to_string"(Ptr) -> Ptr => ALLOC,
    "rr_take_io_error"() -> Ptr => ALLOC,
    "rr_fmt_str"(Ptr, Ptr, U64, U64, U32, I64, I64) -> Void => ALLOC,
    "rr_fmt_int"(Ptr, U64, U64, U64, U64, U32, I64, I64) -> Void => ALLOC,
    "rr_fmt_float"(Ptr, F64, U64, U64, U32, I64, I64) -> Void => ALLOC,
    "rr_fmt_bool"(Ptr, U8, U64, U64, U32, I64, I64) -> Void => ALLOC,
    "rr_fmt_char"(Ptr, U32, U64, U64, U32, I64, I64) -> Void => ALLOC,
    "rr_fmt_io_error"(Ptr, Ptr, U64, U64, U32, I64, I64) -> Void => ALLOC,
    "rr_dict_new"(U64) -> Ptr => ALLOC,
    "rr_dict_new_refs"(U64, U64) -> Ptr => ALLOC,
    "rr_dict_insert"(Ptr, Word, Word) -> U8 => ALLOC,
    "rr_dict_entry"(Ptr, Word, Word) -> I64 => ALLOC,
    "rr_dict_len"(Ptr) -> U64 => READ,
    "rr_dict_lookup"(Ptr, Word) -> I64 => READ,
    "rr_dict_value"(Ptr, I64) -> Word => READ,
    "rr_dict_capacity"(Ptr) -> U64 => READ,
    "rr_dict_live"(Ptr, I64) -> U8 => READ,
    "rr_dict_key"(Ptr, I64) -> Word => READ,
    "rr_dict_set_value"(Ptr, I64, Word) -> Void => WRITE,
    "rr_dict_remove"(Ptr, Word) -> U8 => WRITE,
    "rr_dict_getitem"(Ptr, Word, Ptr) -> Word => fx(false, true, true, false),
    "rr_identity_hash"(Ptr) -> U64 => WRITE,
    "rr_gc_write_barrier"(Ptr) -> Void => WRITE,
    "rr_gc_write_barrier_array"(Ptr, U64) -> Void => WRITE,
    "rr_panic_bounds"(U64, U64, Ptr, U64) -> Void => NORETURN,
    "rr_panic_msg"(Ptr, U64, Ptr, U64) -> Void => NORETURN,
    "rr_panic_str"(Ptr, Ptr) -> Void => NORETURN,
    "rr_panic_result_unwrap"(Ptr, Ptr) -> Void => NORETURN,
    "rr_panic_result_expect"(Ptr, Ptr, Ptr) -> Void => NORETURN,
    "rr_panic_parse_int_unwrap"(U8, Ptr) -> Void => NORETURN,
    "rr_panic_parse_int_expect"(Ptr, U8, Ptr) -> Void => NORETURN,
    "rr_panic_parse_float_unwrap"(U8, Ptr) -> Void => NORETURN,
    "rr_panic_parse_float_expect"(Ptr, U8, Ptr) -> Void => NORETURN,
}

/// The entry for `name`.
pub fn lookup(name: &str) -> Option<&'static RuntimeFn> {
    RUNTIME_FNS.iter().find(|f| f.name == name)
}

/// Effects of a call of `name`; an unknown name gets the most pessimistic
/// effects (it may do anything).
pub fn effects(name: &str) -> Effects {
    lookup(name).map_or(Effects::ANYTHING, |f| f.effects)
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

    #[test]
    fn signatures_are_well_formed() {
        for f in RUNTIME_FNS {
            assert!(!f.params.contains(&AbiTy::Void), "{}", f.signature_text());
            // `-> !` functions return nothing.
            if f.effects.noreturn {
                assert_eq!(f.ret, AbiTy::Void, "{}", f.signature_text());
            }
        }
        assert_eq!(
            lookup("rr_fmt_int").unwrap().signature_text(),
            "rr_fmt_int(ptr, u64, u64, u64, u64, u32, i64, i64) -> ()"
        );
        assert_eq!(
            lookup("rr_dict_getitem").unwrap().signature_text(),
            "rr_dict_getitem(ptr, u64 word, ptr) -> u64 word"
        );
        assert_eq!(lookup("rr_exit").unwrap().params, &[AbiTy::I32]);
    }
}
