//! Panics of translated programs.
//!
//! They print what rustc's build prints (this toolchain's std formats the
//! first line as `thread 'main' (TID) panicked at LOC:` after an empty
//! line; the main thread's id is the process id) and exit with code 101.
//! Rust's own panic machinery is not used: there is nothing to unwind.

use crate::io::{flush_stdout, flush_stdout_lines, io_error_ref, write_fd};
use crate::layout::bytes_of;
use std::io::Write;

/// Prints the panic message for `loc` and `msg`, then exits with 101.
#[cold]
#[inline(never)]
pub fn panic_at(loc: &[u8], msg: &[u8]) -> ! {
    // Rust's stdout is line-buffered: complete lines are already out when
    // the message is printed, a trailing partial line follows it at exit.
    flush_stdout_lines();
    let mut text = Vec::with_capacity(loc.len() + msg.len() + 128);
    let _ = write!(
        text,
        "\nthread 'main' ({}) panicked at ",
        std::process::id()
    );
    text.extend_from_slice(loc);
    text.extend_from_slice(b":\n");
    text.extend_from_slice(msg);
    text.extend_from_slice(
        b"\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n",
    );
    write_fd(2, &text);
    flush_stdout();
    crate::entry::at_exit();
    std::process::exit(101)
}

/// A failure inside the runtime itself (which rustc's build would report
/// from inside std, at a location we cannot name).
#[cold]
pub fn internal_error(msg: &str) -> ! {
    panic_at(b"<rrruntime>", msg.as_bytes())
}

/// # Safety
/// `p..p+len` must be readable.
unsafe fn raw<'a>(p: *const u8, len: u64) -> &'a [u8] {
    if len == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(p, len as usize)
    }
}

/// `rr_panic_bounds(index, len, loc, loc_len)`.
///
/// # Safety
/// `loc..loc+loc_len` must be readable.
#[no_mangle]
#[cold]
pub unsafe extern "C" fn rr_panic_bounds(index: u64, len: u64, loc: *const u8, loc_len: u64) -> ! {
    let msg = format!("index out of bounds: the len is {len} but the index is {index}");
    panic_at(raw(loc, loc_len), msg.as_bytes())
}

/// `rr_panic_msg(msg, msg_len, loc, loc_len)`: a fixed message.
///
/// # Safety
/// Both byte ranges must be readable.
#[no_mangle]
#[cold]
pub unsafe extern "C" fn rr_panic_msg(
    msg: *const u8,
    msg_len: u64,
    loc: *const u8,
    loc_len: u64,
) -> ! {
    panic_at(raw(loc, loc_len), raw(msg, msg_len))
}

/// `rr_panic_str(msg, loc)`: message and location as string objects.
///
/// # Safety
/// Both must be string objects.
#[no_mangle]
#[cold]
pub unsafe extern "C" fn rr_panic_str(msg: *const u8, loc: *const u8) -> ! {
    panic_at(bytes_of(loc), bytes_of(msg))
}

/// `Result::unwrap()` on an `Err` whose `Debug` text is `err`.
///
/// # Safety
/// `loc` must be a string object.
unsafe fn unwrap_failed(err: &str, loc: *const u8) -> ! {
    let msg = format!("called `Result::unwrap()` on an `Err` value: {err}");
    panic_at(bytes_of(loc), msg.as_bytes())
}

/// `Result::expect(msg)` on an `Err` whose `Debug` text is `err`.
///
/// # Safety
/// `msg`, `loc` must be string objects.
unsafe fn expect_failed(msg: *const u8, err: &str, loc: *const u8) -> ! {
    let mut text = bytes_of(msg).to_vec();
    let _ = write!(text, ": {err}");
    panic_at(bytes_of(loc), &text)
}

/// `rr_panic_result_unwrap(err, loc)`.
///
/// # Safety
/// `err` must be an IoError object, `loc` a string object.
#[no_mangle]
#[cold]
pub unsafe extern "C" fn rr_panic_result_unwrap(err: *const u8, loc: *const u8) -> ! {
    unwrap_failed(&format!("{:?}", io_error_ref(err)), loc)
}

/// `rr_panic_result_expect(msg, err, loc)`: `{msg}: {err:?}`.
///
/// # Safety
/// `msg`, `loc` string objects, `err` an IoError object.
#[no_mangle]
#[cold]
pub unsafe extern "C" fn rr_panic_result_expect(
    msg: *const u8,
    err: *const u8,
    loc: *const u8,
) -> ! {
    expect_failed(msg, &format!("{:?}", io_error_ref(err)), loc)
}

/// `rr_panic_parse_int_unwrap(code, loc)`: `unwrap()` of a failed
/// `str::parse` to an integer (`code` as `rr_str_parse_int_error`).
///
/// # Safety
/// `loc` must be a string object.
#[no_mangle]
#[cold]
pub unsafe extern "C" fn rr_panic_parse_int_unwrap(code: u8, loc: *const u8) -> ! {
    unwrap_failed(&crate::string::parse_int_error_debug(code), loc)
}

/// `rr_panic_parse_int_expect(msg, code, loc)`: `{msg}: {err:?}`.
///
/// # Safety
/// `msg`, `loc` must be string objects.
#[no_mangle]
#[cold]
pub unsafe extern "C" fn rr_panic_parse_int_expect(msg: *const u8, code: u8, loc: *const u8) -> ! {
    expect_failed(msg, &crate::string::parse_int_error_debug(code), loc)
}

/// `rr_panic_parse_float_unwrap(code, loc)`: `unwrap()` of a failed
/// `str::parse::<f64>` (`code` as `rr_str_parse_float_error`).
///
/// # Safety
/// `loc` must be a string object.
#[no_mangle]
#[cold]
pub unsafe extern "C" fn rr_panic_parse_float_unwrap(code: u8, loc: *const u8) -> ! {
    unwrap_failed(&crate::string::parse_float_error_debug(code), loc)
}

/// `rr_panic_parse_float_expect(msg, code, loc)`: `{msg}: {err:?}`.
///
/// # Safety
/// `msg`, `loc` must be string objects.
#[no_mangle]
#[cold]
pub unsafe extern "C" fn rr_panic_parse_float_expect(
    msg: *const u8,
    code: u8,
    loc: *const u8,
) -> ! {
    expect_failed(msg, &crate::string::parse_float_error_debug(code), loc)
}
