//! `--jit threshold=N,trace_eagerness=N,trace_limit=N,off` (as PyPy's `--jit`, given as the
//! program's first arguments and removed from what the program sees) and
//! the same text in `RRUST_JIT`.

use crate::global::Global;
use metainterp::JitParams;

#[derive(Copy, Clone)]
pub struct Options {
    pub threshold: u32,
    pub trace_eagerness: u32,
    pub trace_limit: u32,
    pub enabled: bool,
}

impl Options {
    pub fn params(&self) -> JitParams {
        JitParams {
            threshold: self.threshold,
            trace_eagerness: self.trace_eagerness,
            trace_limit: self.trace_limit,
            enabled: self.enabled,
            optimize: true,
            keep_unoptimized: super::log::wants("jit-log-noopt"),
            count: super::log::wants("jit-backend-counts"),
            locations: [
                "jit-log-opt-loop",
                "jit-log-opt-bridge",
                "jit-log-noopt-loop",
                "jit-log-noopt-bridge",
            ]
            .iter()
            .any(|c| super::log::wants(c)),
        }
    }
}

/// RPython's defaults.
const DEFAULT: Options = Options {
    threshold: 1039,
    trace_eagerness: 200,
    trace_limit: 6000,
    enabled: true,
};

static OPTIONS: Global<Option<Options>> = Global::new(None);
static FROM_ARGS: Global<Option<String>> = Global::new(None);

/// The options: `--jit` arguments, else `RRUST_JIT`, else the defaults.
pub fn get() -> Options {
    let slot = OPTIONS.get();
    if let Some(o) = *slot {
        return o;
    }
    let mut o = DEFAULT;
    let text = FROM_ARGS
        .get()
        .clone()
        .or_else(|| std::env::var("RRUST_JIT").ok());
    if let Some(t) = text {
        if let Err(m) = parse(&t, &mut o) {
            eprintln!("error: --jit {t}: {m}");
            crate::entry::rr_exit(2);
        }
    }
    *slot = Some(o);
    o
}

fn parse(text: &str, o: &mut Options) -> Result<(), String> {
    for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let num = |v: &str| {
            v.parse::<u32>()
                .map_err(|_| format!("`{v}` is not a number"))
        };
        match item.split_once('=') {
            None if item == "off" => o.enabled = false,
            None if item == "on" => o.enabled = true,
            Some(("threshold", v)) => o.threshold = num(v)?.max(1),
            Some(("trace_eagerness", v)) => o.trace_eagerness = num(v)?.max(1),
            Some(("trace_limit", v)) => o.trace_limit = num(v)?.max(1),
            _ => {
                return Err(format!(
                    "unknown option `{item}` (known: threshold=N, trace_eagerness=N, trace_limit=N, off)"
                ))
            }
        }
    }
    Ok(())
}

/// Removes `--jit OPTIONS` from the front of the arguments (after
/// argv[0]) and keeps OPTIONS for `get`.
pub fn strip_jit_args(args: &mut Vec<Vec<u8>>) {
    if args.len() >= 3 && args[1] == b"--jit" {
        *FROM_ARGS.get() = Some(String::from_utf8_lossy(&args[2]).into_owned());
        args.drain(1..3);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_pypy_style_options() {
        let mut o = DEFAULT;
        parse("threshold=3,trace_limit=100,trace_eagerness=7", &mut o).unwrap();
        assert_eq!((o.threshold, o.trace_limit, o.enabled), (3, 100, true));
        assert_eq!(o.trace_eagerness, 7);
        parse("off", &mut o).unwrap();
        assert!(!o.enabled);
        assert!(parse("treshold=3", &mut o).is_err());
        assert!(parse("threshold=x", &mut o).is_err());
    }
}
