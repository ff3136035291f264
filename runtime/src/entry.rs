//! The process: C `main`, arguments, exit.

use crate::global::Global;
use crate::io::flush_stdout;
use std::ffi::{c_char, CStr};

/// `argc`/`argv` as `main` received them (null when the runtime was not
/// entered through `main`, as in unit tests).
static ARGS: Global<(i32, usize)> = Global::new((0, 0));

#[cfg(all(not(test), feature = "c-main"))]
extern "C" {
    /// The translated `fn main`, exported by the generated object.
    fn rr_main();
}

/// The C entry point of a translated program.
///
/// # Safety
/// Called by the C runtime with a valid `argv` of `argc` strings.
#[cfg(all(not(test), feature = "c-main"))]
#[no_mangle]
pub unsafe extern "C" fn main(argc: i32, argv: *const *const c_char) -> i32 {
    *ARGS.get() = (argc, argv as usize);
    crate::gc::init();
    // `--jit OPTIONS` is read (and hidden from the program) before it runs.
    #[cfg(feature = "jit")]
    {
        let _ = arg_bytes();
        crate::jit::check_options();
    }
    rr_main();
    flush_stdout();
    at_exit();
    0
}

/// `rr_exit(code)`: `std::process::exit(code)`, which flushes stdout.
#[no_mangle]
pub extern "C" fn rr_exit(code: i32) -> ! {
    flush_stdout();
    at_exit();
    std::process::exit(code)
}

/// The statistics and logs `PYPYLOG` asks for (also written when the
/// program panics).
pub(crate) fn at_exit() {
    crate::gc::at_exit();
    #[cfg(feature = "jit")]
    crate::jit::at_exit();
}

/// The program arguments as bytes (without a leading `--jit OPTIONS` in
/// JIT builds).
fn arg_bytes() -> Vec<Vec<u8>> {
    let (argc, argv) = *ARGS.get();
    if argv == 0 {
        use std::os::unix::ffi::OsStringExt;
        return std::env::args_os().map(|a| a.into_vec()).collect();
    }
    let argv = argv as *const *const c_char;
    #[allow(unused_mut)]
    let mut args: Vec<Vec<u8>> = (0..argc.max(0) as usize)
        // SAFETY: main recorded argv as the C runtime passed it.
        .map(|i| unsafe { CStr::from_ptr(*argv.add(i)) }.to_bytes().to_vec())
        .collect();
    #[cfg(feature = "jit")]
    crate::jit::strip_jit_args(&mut args);
    args
}

/// What rustc's build prints when `std::env::args()` meets an argument
/// that is not UTF-8: std panics inside `env::args`; let std produce that
/// very message and location, then report it as every runtime panic is.
#[cold]
fn non_utf8_argument() -> ! {
    let caught: &'static Global<Option<(String, String)>> = {
        static CAUGHT: Global<Option<(String, String)>> = Global::new(None);
        &CAUGHT
    };
    std::panic::set_hook(Box::new(move |info| {
        let loc = info
            .location()
            .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()))
            .unwrap_or_default();
        let msg = info.payload_as_str().unwrap_or("").to_string();
        *caught.get() = Some((loc, msg));
    }));
    let _ = std::panic::catch_unwind(|| std::env::args().for_each(drop));
    let (loc, msg) = caught.get().take().unwrap_or_else(|| {
        (
            "<rrruntime>".to_string(),
            "a program argument is not valid Unicode".to_string(),
        )
    });
    crate::panic::panic_at(loc.as_bytes(), msg.as_bytes())
}

/// `rr_env_args()`: `std::env::args().collect::<Vec<String>>()`.
#[no_mangle]
pub extern "C" fn rr_env_args() -> *mut u8 {
    let args = arg_bytes();
    if args.iter().any(|a| std::str::from_utf8(a).is_err()) {
        non_utf8_argument();
    }
    crate::string::string_list(args.iter().map(|a| a.as_slice()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{array_data, list_items, list_len, type_id, type_id_of};
    use crate::testutil::{lock, text};

    #[test]
    fn env_args_lists_the_arguments() {
        let _g = lock();
        let l = rr_env_args();
        let want: Vec<String> = std::env::args().collect();
        unsafe {
            assert_eq!(type_id_of(l), type_id::STRING_LIST);
            assert_eq!(type_id_of(list_items(l)), type_id::STRING_ARRAY);
            assert_eq!(list_len(l), want.len());
            let items = array_data(list_items(l)) as *const u64;
            for (i, w) in want.iter().enumerate() {
                let s = *items.add(i) as *const u8;
                assert_eq!(type_id_of(s), type_id::STRING);
                assert_eq!(&text(s), w);
            }
        }
    }
}
