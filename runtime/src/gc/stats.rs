//! GC statistics, written at exit when `PYPYLOG` asks for a `gc` category.
//!
//! The format follows PyPy's log sections: a start line
//! `[TIMESTAMP] {gc-summary`, `key: value` lines, and an end line
//! `[TIMESTAMP] gc-summary}` (timestamps in hex nanoseconds, as PyPy's are
//! in hex ticks). See docs/runtime-abi.md, "Statistics".

use std::io::Write;

pub struct Stats {
    pub minors: u64,
    pub majors: u64,
    pub minor_ns: u64,
    pub major_ns: u64,
    pub copied: u64,
    /// Largest old generation footprint + nursery + young large objects.
    pub peak: usize,
}

impl Stats {
    pub const fn new() -> Stats {
        Stats {
            minors: 0,
            majors: 0,
            minor_ns: 0,
            major_ns: 0,
            copied: 0,
            peak: 0,
        }
    }
    #[inline]
    pub fn note_heap(&mut self, bytes: usize) {
        self.peak = self.peak.max(bytes);
    }
}

/// Where `PYPYLOG` sends the gc categories: `None` when it names none.
/// `PYPYLOG=cat1,cat2:FILE`; a category matches as a prefix (`gc` enables
/// `gc-summary`), `-` is stderr.
fn destination(pypylog: &str) -> Option<&str> {
    let (cats, file) = pypylog.split_once(':')?;
    cats.split(',')
        .any(|c| !c.is_empty() && "gc-summary".starts_with(c.trim()))
        .then_some(file)
}

/// PYPYLOG's section timestamps (hex nanoseconds); the JIT's log uses it too.
pub(crate) fn timestamp() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}

pub fn format(s: &Stats, nursery: usize) -> String {
    let ms = |ns: u64| ns as f64 / 1e6;
    format!(
        "[{:x}] {{gc-summary\n\
         minor collections: {}\n\
         major collections: {}\n\
         time in minor collections: {:.3} ms\n\
         time in major collections: {:.3} ms\n\
         total time in GC: {:.3} ms\n\
         bytes copied out of the nursery: {}\n\
         nursery size: {}\n\
         peak heap size: {}\n\
         peak RSS: {}\n\
         [{:x}] gc-summary}}\n",
        timestamp(),
        s.minors,
        s.majors,
        ms(s.minor_ns),
        ms(s.major_ns),
        ms(s.minor_ns + s.major_ns),
        s.copied,
        nursery,
        s.peak,
        peak_rss(),
        timestamp(),
    )
}

/// The process's peak resident set size in bytes (`VmHWM`), 0 if unknown.
/// Read by the process itself because a parent's `wait4` figure can include
/// the parent's own memory when the child was started by `vfork`.
fn peak_rss() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|st| {
            st.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map(|kb| kb * 1024)
        .unwrap_or(0)
}

/// Appends the summary to the `PYPYLOG` destination, if any (appending, so
/// that other categories written to the same file stay).
pub fn report(s: &Stats, nursery: usize) {
    let Ok(v) = std::env::var("PYPYLOG") else {
        return;
    };
    let Some(file) = destination(&v) else {
        return;
    };
    let text = format(s, nursery);
    if file == "-" {
        crate::io::write_fd(2, text.as_bytes());
    } else if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(file)
    {
        let _ = f.write_all(text.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pypylog_categories() {
        assert_eq!(destination("gc:out.log"), Some("out.log"));
        assert_eq!(destination("jit-log-opt,gc:-"), Some("-"));
        assert_eq!(destination("gc-summary:x"), Some("x"));
        assert_eq!(destination("jit-log-opt:x"), None);
        assert_eq!(destination("gc"), None);
    }
}
