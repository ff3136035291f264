//! Executable memory: mapped read-write, filled, then switched to
//! read+execute. It is never writable and executable at once (W^X).

use crate::CompileError;

/// A private mapping holding machine code, unmapped on drop.
pub struct ExecMemory {
    ptr: *mut u8,
    mapped: usize,
    len: usize,
}

// The mapping is immutable once made executable.
unsafe impl Send for ExecMemory {}
unsafe impl Sync for ExecMemory {}

fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions.
    let p = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    if p <= 0 {
        4096
    } else {
        p as usize
    }
}

impl ExecMemory {
    /// Copies `code` into fresh pages and makes them read+execute.
    pub fn new(code: &[u8]) -> Result<ExecMemory, CompileError> {
        if code.is_empty() {
            return Err(CompileError::Memory("empty code".into()));
        }
        let page = page_size();
        let mapped = code.len().div_ceil(page) * page;
        // SAFETY: an anonymous private mapping; the result is checked.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                mapped,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            return Err(CompileError::Memory(format!(
                "mmap: {}",
                std::io::Error::last_os_error()
            )));
        }
        let mem = ExecMemory {
            ptr: ptr as *mut u8,
            mapped,
            len: code.len(),
        };
        // SAFETY: the mapping is `mapped >= code.len()` bytes, writable.
        unsafe { std::ptr::copy_nonoverlapping(code.as_ptr(), mem.ptr, code.len()) };
        // SAFETY: the range is exactly our mapping.
        let rc = unsafe { libc::mprotect(ptr, mapped, libc::PROT_READ | libc::PROT_EXEC) };
        if rc != 0 {
            return Err(CompileError::Memory(format!(
                "mprotect: {}",
                std::io::Error::last_os_error()
            )));
        }
        Ok(mem)
    }

    /// Address of the first byte of code.
    pub fn as_ptr(&self) -> *const u8 {
        self.ptr
    }

    /// Bytes of code (not rounded to pages).
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl Drop for ExecMemory {
    fn drop(&mut self) {
        // SAFETY: unmapping exactly the mapping made in `new`.
        unsafe {
            libc::munmap(self.ptr as *mut libc::c_void, self.mapped);
        }
    }
}
