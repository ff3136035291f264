//! `PYPYLOG` for the JIT, in PyPy's format: `jit-log-opt` (each compiled
//! loop and bridge as optimised, with its `debug_merge_point`s),
//! `jit-log-noopt` (the same as recorded), `jit-summary` (loops, aborts,
//! time tracing, optimising and compiling), `jit-backend-counts` (how often
//! each trace was entered and its loop went round), `jit-abort`; written at
//! exit.

use crate::gc::stats::timestamp;
use metainterp::JitState;
use std::io::Write;

/// The file `PYPYLOG` names for `category` (a category matches as a
/// prefix, `jit` enables every jit one), `-` for stderr.
fn destination(category: &str) -> Option<String> {
    let v = std::env::var("PYPYLOG").ok()?;
    let (cats, file) = v.split_once(':')?;
    cats.split(',')
        .any(|c| !c.trim().is_empty() && category.starts_with(c.trim()))
        .then(|| file.to_string())
}

/// Whether `PYPYLOG` asks for `category` (the JIT then keeps what it
/// needs for it).
pub(super) fn wants(category: &str) -> bool {
    destination(category).is_some()
}

fn write(file: &str, text: &str) {
    if file == "-" {
        let _ = std::io::stderr().write_all(text.as_bytes());
    } else if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(file)
    {
        let _ = f.write_all(text.as_bytes());
    }
}

/// The name of a loop in the logs: its green key.
fn loop_name(key: &[u64]) -> String {
    let k: Vec<String> = key.iter().map(|g| g.to_string()).collect();
    format!("greens {}", k.join(", "))
}

pub fn report(s: &JitState) {
    for (cat, bridges, opt) in [
        ("jit-log-noopt-loop", false, false),
        ("jit-log-noopt-bridge", true, false),
        ("jit-log-opt-loop", false, true),
        ("jit-log-opt-bridge", true, true),
    ] {
        let Some(file) = destination(cat) else {
            continue;
        };
        let mut out = String::new();
        for t in s.traces() {
            let shown = if opt { Some(t.trace) } else { t.unoptimized };
            let Some(shown) = shown else { continue };
            let head = match (t.key, t.bridge_of) {
                (Some(key), None) if !bridges => format!(
                    "# Loop {} ({}) : loop with {} ops",
                    t.number,
                    loop_name(key),
                    shown.ops.len()
                ),
                (None, Some((parent, op))) if bridges => format!(
                    "# bridge out of Guard {op} of trace {parent} (trace {}) with {} ops",
                    t.number,
                    shown.ops.len()
                ),
                _ => continue,
            };
            let mut text = traceir::text::print(shown, &s.program().calls);
            if let Some(short) = shown.short.as_ref().filter(|_| opt) {
                text += "# short preamble, inlined into traces that jump to this loop:\n";
                text += &traceir::text::print(&short.preamble, &s.program().calls);
                text += "# the loop's body, which they then enter:\n";
                text += &traceir::text::print(&short.body, &s.program().calls);
            }
            out += &format!(
                "[{:x}] {{{cat}\n{head}\n{text}[{:x}] {cat}}}\n",
                timestamp(),
                timestamp()
            );
        }
        write(&file, &out);
    }
    if let Some(file) = destination("jit-summary") {
        let st = s.stats();
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
        let out = format!(
            "[{:x}] {{jit-summary\n\
             Tracing:      \t{}\t{:.3} ms\n\
             Optimizer:    \t{}\t{:.3} ms\n\
             Backend:      \t{}\t{:.3} ms\n\
             TOTAL:        \t\t{:.3} ms\n\
             Loops:        \t{}\n\
             Bridges:      \t{}\n\
             Aborts:       \t{}\n\
             Loop entries: \t{}\n\
             Guard failures:\t{}\n\
             [{:x}] jit-summary}}\n",
            timestamp(),
            st.traces_started,
            ms(st.time_tracing),
            st.loops_compiled + st.bridges_compiled,
            ms(st.time_optimizing),
            st.loops_compiled + st.bridges_compiled,
            ms(st.time_compiling),
            ms(st.time_tracing + st.time_optimizing + st.time_compiling),
            st.loops_compiled,
            st.bridges_compiled,
            st.aborts,
            st.loop_entries,
            st.guard_failures,
            timestamp()
        );
        write(&file, &out);
    }
    if let Some(file) = destination("jit-backend-counts") {
        // PyPy's shape: `entry N:count` for a loop's entries,
        // `TargetToken(N):count` for passes through its label, `bridge N:count`.
        let mut out = format!("[{:x}] {{jit-backend-counts\n", timestamp());
        for t in s.traces() {
            let [entries, passes] = t.counts;
            if t.bridge_of.is_some() {
                out += &format!("bridge {}:{entries}\n", t.number);
            } else {
                out += &format!("entry {}:{entries}\n", t.number);
                out += &format!("TargetToken({}):{passes}\n", t.number);
            }
        }
        out += &format!("[{:x}] jit-backend-counts}}\n", timestamp());
        write(&file, &out);
    }
    if let Some(file) = destination("jit-abort") {
        let mut out = String::new();
        for r in &s.stats().abort_reasons {
            out += &format!(
                "[{:x}] {{jit-abort\n{r}\n[{:x}] jit-abort}}\n",
                timestamp(),
                timestamp()
            );
        }
        write(&file, &out);
    }
}
