//! Output (buffered stdout, unbuffered stderr), input, files, and the I/O
//! errors handed to generated code.

use crate::global::Global;
use crate::layout::{bytes_of, bytes_of_mut, set_word, type_id, word};
use crate::list::{append_bytes, new_string};
use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, Read, Write};
use std::mem::ManuallyDrop;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::io::FromRawFd;

const OUT_CAPACITY: usize = 32 * 1024;

/// The stdout buffer: flushed when full, at exit, on panic and by `rr_flush`.
struct OutBuf {
    len: usize,
    /// `bytes[..scanned]` hold no newline (see [`flush_stdout_lines`]).
    scanned: usize,
    bytes: [u8; OUT_CAPACITY],
}

static OUT: Global<OutBuf> = Global::new(OutBuf {
    len: 0,
    scanned: 0,
    bytes: [0; OUT_CAPACITY],
});

/// Writes all of `bytes` to file descriptor `fd`, raw (no UTF-8 check).
/// Errors are ignored: they can only come from a closed or broken output,
/// where rustc's build would die in ways we do not imitate.
pub fn write_fd(fd: i32, bytes: &[u8]) {
    if bytes.is_empty() {
        return;
    }
    // SAFETY: the descriptor stays owned by the process; ManuallyDrop keeps
    // the File from closing it.
    let mut f = ManuallyDrop::new(unsafe { File::from_raw_fd(fd) });
    let _ = f.write_all(bytes);
}

/// Writes out the whole stdout buffer.
pub fn flush_stdout() {
    let out = OUT.get();
    let n = out.len;
    out.len = 0;
    out.scanned = 0;
    write_fd(1, &out.bytes[..n]);
}

/// Writes out the buffered stdout bytes up to the last newline: what
/// Rust's line-buffered stdout has already written at this point. Called
/// before writing to stderr and before reading stdin, so that interleaving
/// with stderr and conversations over pipes go as with rustc's build. Each
/// buffered byte is searched once, however often this runs.
pub fn flush_stdout_lines() {
    let out = OUT.get();
    let n = out.len;
    let start = out.scanned;
    out.scanned = n;
    if let Some(i) = out.bytes[start..n].iter().rposition(|&b| b == b'\n') {
        let end = start + i + 1;
        write_fd(1, &out.bytes[..end]);
        out.bytes.copy_within(end..n, 0);
        out.len = n - end;
        out.scanned = out.len;
    }
}

#[cold]
#[inline(never)]
fn stdout_write_slow(bytes: &[u8]) {
    flush_stdout();
    if bytes.len() >= OUT_CAPACITY {
        write_fd(1, bytes);
    } else {
        let out = OUT.get();
        out.bytes[..bytes.len()].copy_from_slice(bytes);
        out.len = bytes.len();
    }
}

/// Appends to the stdout buffer.
#[inline(always)]
pub fn stdout_write(bytes: &[u8]) {
    let out = OUT.get();
    let len = out.len;
    let n = bytes.len();
    if n <= OUT_CAPACITY - len {
        // SAFETY: len + n <= OUT_CAPACITY was just checked. One byte (a
        // Brainfuck `.`) is stored directly rather than through memcpy.
        unsafe {
            let dst = out.bytes.as_mut_ptr().add(len);
            if n == 1 {
                *dst = *bytes.as_ptr();
            } else {
                std::ptr::copy_nonoverlapping(bytes.as_ptr(), dst, n);
            }
        }
        out.len = len + n;
    } else {
        stdout_write_slow(bytes);
    }
}

/// `rr_print(s, stream)`: writes the bytes of a string or byte slice.
///
/// # Safety
/// `s` must be a byte list (or byte array) object.
#[no_mangle]
pub unsafe extern "C" fn rr_print(s: *const u8, stream: u64) {
    let bytes = bytes_of(s);
    if stream == 1 {
        stdout_write(bytes);
    } else {
        flush_stdout_lines();
        write_fd(2, bytes);
    }
}

/// `rr_flush(stream)`.
#[no_mangle]
pub extern "C" fn rr_flush(stream: u64) {
    if stream == 1 {
        flush_stdout();
    }
}

/// The error of the last failed operation, until `rr_take_io_error`.
static LAST_ERROR: Global<Option<io::Error>> = Global::new(None);

/// Keeps `e` for `rr_take_io_error`.
pub fn set_last_error(e: io::Error) {
    *LAST_ERROR.get() = Some(e);
}

/// Offset of the leaked `Box<io::Error>` pointer in an IoError object.
const IO_ERROR_BOX_OFFSET: usize = 8;
pub const IO_ERROR_SIZE: u64 = 16;

/// A new IoError object owning `e`. It is made directly in the old
/// generation, whose sweep drops the box (see [`drop_io_error`]).
pub fn new_io_error(e: io::Error) -> *mut u8 {
    let obj = crate::gc::alloc_old(type_id::IO_ERROR, IO_ERROR_SIZE);
    let b = Box::into_raw(Box::new(e));
    // SAFETY: obj is a fresh 16-byte object.
    unsafe { set_word(obj, IO_ERROR_BOX_OFFSET, b as u64) };
    obj
}

/// The `io::Error` an IoError object holds.
///
/// # Safety
/// `obj` must be an IoError object made by [`new_io_error`].
pub unsafe fn io_error_ref<'a>(obj: *const u8) -> &'a io::Error {
    &*(word(obj, IO_ERROR_BOX_OFFSET) as *const io::Error)
}

/// Drops the `io::Error` of an IoError object the collector frees.
///
/// # Safety
/// `obj` must be a dead IoError object, freed right after.
pub unsafe fn drop_io_error(obj: *mut u8) {
    let b = word(obj, IO_ERROR_BOX_OFFSET) as *mut io::Error;
    if !b.is_null() {
        drop(Box::from_raw(b));
        set_word(obj, IO_ERROR_BOX_OFFSET, 0);
    }
}

/// `rr_take_io_error()`: the error of the last failed operation.
#[no_mangle]
pub extern "C" fn rr_take_io_error() -> *mut u8 {
    match LAST_ERROR.get().take() {
        Some(e) => new_io_error(e),
        None => crate::panic::internal_error("rr_take_io_error: no I/O error is pending"),
    }
}

/// `rr_stdin_read(buf)`: `stdin().read(&mut buf[..])`.
///
/// # Safety
/// `buf` must be a byte list (or byte array) object.
#[no_mangle]
pub unsafe extern "C" fn rr_stdin_read(buf: *mut u8) -> i64 {
    flush_stdout_lines();
    match io::stdin().read(bytes_of_mut(buf)) {
        Ok(n) => n as i64,
        Err(e) => {
            set_last_error(e);
            -1
        }
    }
}

/// `rr_stdin_read_line(s)`: `stdin().read_line(&mut s)`.
///
/// # Safety
/// `s` must be a `String`.
#[no_mangle]
pub unsafe extern "C" fn rr_stdin_read_line(s: *mut u8) -> i64 {
    flush_stdout_lines();
    // std's read_line appends only when the new bytes are valid UTF-8;
    // reading into a fresh String and appending it keeps exactly that.
    let mut line = String::new();
    match io::stdin().read_line(&mut line) {
        Ok(n) => {
            // `line` is Rust data; nothing else is used after the append.
            append_bytes(s, line.as_bytes());
            n as i64
        }
        Err(e) => {
            set_last_error(e);
            -1
        }
    }
}

/// `rr_stdin_read_to_string(s)`: `stdin().read_to_string(&mut s)`.
///
/// # Safety
/// `s` must be a `String`.
#[no_mangle]
pub unsafe extern "C" fn rr_stdin_read_to_string(s: *mut u8) -> i64 {
    flush_stdout_lines();
    // As read_line: std appends nothing unless all of it is UTF-8.
    let mut text = String::new();
    match io::stdin().read_to_string(&mut text) {
        Ok(n) => {
            append_bytes(s, text.as_bytes());
            n as i64
        }
        Err(e) => {
            set_last_error(e);
            -1
        }
    }
}

/// # Safety
/// `path` must be a string object.
unsafe fn path_of<'a>(path: *const u8) -> &'a std::path::Path {
    std::path::Path::new(OsStr::from_bytes(bytes_of(path)))
}

/// `rr_fs_read(path)`: `std::fs::read`, a new `Vec<u8>`, or null.
///
/// # Safety
/// `path` must be a string object.
#[no_mangle]
pub unsafe extern "C" fn rr_fs_read(path: *const u8) -> *mut u8 {
    match std::fs::read(path_of(path)) {
        Ok(v) => new_string(&v),
        Err(e) => {
            set_last_error(e);
            std::ptr::null_mut()
        }
    }
}

/// `rr_fs_read_to_string(path)`: `std::fs::read_to_string`, or null.
///
/// # Safety
/// `path` must be a string object.
#[no_mangle]
pub unsafe extern "C" fn rr_fs_read_to_string(path: *const u8) -> *mut u8 {
    match std::fs::read_to_string(path_of(path)) {
        Ok(s) => new_string(s.as_bytes()),
        Err(e) => {
            set_last_error(e);
            std::ptr::null_mut()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::type_id_of;
    use crate::testutil::{lock, string};

    fn temp_path(name: &str) -> std::path::PathBuf {
        std::env::temp_dir().join(format!("rrruntime-{}-{name}", std::process::id()))
    }

    #[test]
    fn fs_read_of_a_temp_file() {
        let _g = lock();
        let p = temp_path("read");
        let data: Vec<u8> = (0..=255u8).chain(b"tail\n".iter().copied()).collect();
        std::fs::write(&p, &data).unwrap();
        unsafe {
            let v = rr_fs_read(string(p.to_str().unwrap()));
            assert!(!v.is_null());
            assert_eq!(type_id_of(v), type_id::STRING);
            assert_eq!(bytes_of(v), &data[..]);
            // Not UTF-8: read_to_string fails with InvalidData.
            let s = rr_fs_read_to_string(string(p.to_str().unwrap()));
            assert!(s.is_null());
            let e = rr_take_io_error();
            assert_eq!(io_error_ref(e).kind(), io::ErrorKind::InvalidData);
        }
        std::fs::write(&p, "héllo\n").unwrap();
        unsafe {
            let s = rr_fs_read_to_string(string(p.to_str().unwrap()));
            assert_eq!(bytes_of(s), "héllo\n".as_bytes());
        }
        std::fs::remove_file(&p).unwrap();
    }

    #[test]
    fn fs_read_of_a_missing_file_keeps_the_error() {
        let _g = lock();
        let p = temp_path("missing/nothing-here");
        unsafe {
            let v = rr_fs_read(string(p.to_str().unwrap()));
            assert!(v.is_null());
            let e = rr_take_io_error();
            assert_eq!(type_id_of(e), type_id::IO_ERROR);
            let want = std::fs::read(&p).unwrap_err();
            assert_eq!(format!("{:?}", io_error_ref(e)), format!("{want:?}"));
            assert_eq!(format!("{}", io_error_ref(e)), format!("{want}"));
            assert_eq!(io_error_ref(e).raw_os_error(), Some(2));
        }
    }
}
