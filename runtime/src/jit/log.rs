//! `PYPYLOG` for the JIT, in PyPy's format: `jit-log-opt` (each compiled
//! loop and bridge as optimised, with its `debug_merge_point`s), `jit-summary`
//! (loops, aborts, time tracing and compiling); written at exit.

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
    for (cat, bridges) in [("jit-log-opt-loop", false), ("jit-log-opt-bridge", true)] {
        let Some(file) = destination(cat) else {
            continue;
        };
        let mut out = String::new();
        for t in s.traces() {
            let head = match (t.key, t.bridge_of) {
                (Some(key), None) if !bridges => format!(
                    "# Loop {} ({}) : loop with {} ops",
                    t.number,
                    loop_name(key),
                    t.trace.ops.len()
                ),
                (None, Some((parent, op))) if bridges => format!(
                    "# bridge out of Guard {op} of trace {parent} (trace {}) with {} ops",
                    t.number,
                    t.trace.ops.len()
                ),
                _ => continue,
            };
            let mut text = traceir::text::print(t.trace, &s.program().calls);
            if let Some(short) = &t.trace.short {
                text += "# entry at the label (short preamble), compiled for jumps from other traces:\n";
                text += &traceir::text::print(&short.trace, &s.program().calls);
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
