//! Paths that end the process (panics, `rr_exit`), tested by running this
//! test binary again with `RR_TEST_CHILD` naming what the child does.

use crate::testutil::string;
use std::process::{Command, Stdio};

const CHILD_VAR: &str = "RR_TEST_CHILD";
const NOTE: &str =
    "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n";

/// The child's side: does nothing unless started by `run_child`.
#[test]
fn child_entry() {
    let Ok(case) = std::env::var(CHILD_VAR) else {
        return;
    };
    let loc = "src/prog.rs:3:5";
    unsafe {
        // A complete line and a partial one on buffered stdout.
        crate::io::rr_print(string("line\npartial"), 1);
        match case.as_str() {
            "bounds" => crate::panic::rr_panic_bounds(7, 3, loc.as_ptr(), loc.len() as u64),
            "msg" => {
                let m = "attempt to divide by zero";
                crate::panic::rr_panic_msg(m.as_ptr(), m.len() as u64, loc.as_ptr(), 15)
            }
            "str" => crate::panic::rr_panic_str(string("bad value: 42 ü"), string(loc)),
            "unwrap" | "expect" => {
                assert!(crate::io::rr_fs_read(string("/nonexistent-rr/x")).is_null());
                let e = crate::io::rr_take_io_error();
                if case == "unwrap" {
                    crate::panic::rr_panic_result_unwrap(e, string(loc))
                } else {
                    crate::panic::rr_panic_result_expect(string("cannot read"), e, string(loc))
                }
            }
            "getitem" => {
                let d = crate::dict::rr_dict_new(0);
                crate::dict::rr_dict_insert(d, 1, 2);
                crate::dict::rr_dict_getitem(d, 5, string(loc));
            }
            "exit" => {
                crate::io::rr_print(string(" more"), 1);
                crate::io::rr_print(string("to stderr\n"), 2);
                crate::entry::rr_exit(3)
            }
            "bytes" => {
                // Raw bytes, not UTF-8, one at a time through rr_print.
                let b = crate::list::new_string(&[0]);
                for v in [0xffu8, 0xfe, b'\n', 0x80] {
                    *crate::layout::array_data(crate::layout::list_items(b)) = v;
                    crate::io::rr_print(b, 1);
                }
                crate::io::rr_flush(1);
                crate::entry::rr_exit(0)
            }
            "stdin" => {
                // The first line, a line that is not UTF-8 (an error), then
                // the rest in reads of at most 4 bytes until EOF.
                let sep = string("|");
                let line = string("");
                let n = crate::io::rr_stdin_read_line(line);
                crate::io::rr_print(string(&format!("{n}:")), 1);
                crate::io::rr_print(line, 1);
                let bad = string("");
                assert_eq!(crate::io::rr_stdin_read_line(bad), -1);
                let e = crate::io::rr_take_io_error();
                crate::io::rr_print(string(&format!("{}|", crate::io::io_error_ref(e))), 1);
                let buf = crate::list::new_string(b"....");
                loop {
                    let n = crate::io::rr_stdin_read(buf);
                    crate::io::rr_print(string(&format!("{n}:")), 1);
                    if n <= 0 {
                        break;
                    }
                    let bytes = crate::layout::bytes_of(buf)[..n as usize].to_vec();
                    crate::io::rr_print(crate::list::new_string(&bytes), 1);
                    crate::io::rr_print(sep, 1);
                }
                crate::entry::rr_exit(0)
            }
            "converse" => {
                crate::io::rr_print(string("question?\n"), 1);
                let answer = string("");
                crate::io::rr_stdin_read_line(answer);
                crate::io::rr_print(string("got "), 1);
                crate::io::rr_print(answer, 1);
                crate::entry::rr_exit(0)
            }
            "gcstats" => {
                // Garbage through a small nursery (RRUST_GC_NURSERY), then
                // exit: the statistics go to PYPYLOG's file.
                for i in 0..200_000u64 {
                    let s = string("some garbage");
                    if i % 50_000 == 0 {
                        crate::io::rr_print(s, 1);
                    }
                }
                crate::entry::rr_exit(0)
            }
            other => panic!("unknown child case {other}"),
        }
    }
}

/// Runs `child_entry` in a new process doing `case`; returns its exit
/// code, pid and what it wrote to stdout and stderr together (in order).
fn run_child(case: &str) -> (i32, u32, Vec<u8>) {
    run_child_with_input(case, b"")
}

/// As [`run_child`], with `input` on the child's stdin.
fn run_child_with_input(case: &str, input: &[u8]) -> (i32, u32, Vec<u8>) {
    run_child_with(case, input, &[])
}

/// As [`run_child_with_input`], with extra environment variables.
fn run_child_with(case: &str, input: &[u8], env: &[(&str, &str)]) -> (i32, u32, Vec<u8>) {
    let out_path =
        std::env::temp_dir().join(format!("rrruntime-child-{}-{case}", std::process::id()));
    let out = std::fs::File::create(&out_path).unwrap();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "subprocess_tests::child_entry",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_VAR, case)
        .envs(env.iter().copied())
        .stdout(Stdio::from(out.try_clone().unwrap()))
        .stderr(Stdio::from(out))
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(input).unwrap();
    }
    let status = child.wait_with_output().unwrap().status;
    let bytes = std::fs::read(&out_path).unwrap();
    std::fs::remove_file(&out_path).unwrap();
    (status.code().expect("exited normally"), pid, bytes)
}

/// The panic text rustc's build prints for `msg` at src/prog.rs:3:5, as it
/// appears between the complete stdout line and the partial one.
fn expect_panic(case: &str, msg: &str) {
    let (code, pid, out) = run_child(case);
    let out = String::from_utf8(out).unwrap();
    let want =
        format!("line\n\nthread 'main' ({pid}) panicked at src/prog.rs:3:5:\n{msg}\n{NOTE}partial");
    assert!(
        out.ends_with(&want),
        "case {case}: got {out:?}, want suffix {want:?}"
    );
    assert_eq!(code, 101, "case {case}");
}

#[test]
fn panic_bounds_prints_rust_message_and_exits_101() {
    expect_panic(
        "bounds",
        "index out of bounds: the len is 3 but the index is 7",
    );
}

#[test]
fn panic_msg_and_str() {
    expect_panic("msg", "attempt to divide by zero");
    expect_panic("str", "bad value: 42 ü");
}

#[test]
fn panic_result_unwrap_and_expect_show_the_io_error() {
    let err = std::fs::read("/nonexistent-rr/x").unwrap_err();
    expect_panic(
        "unwrap",
        &format!("called `Result::unwrap()` on an `Err` value: {err:?}"),
    );
    expect_panic("expect", &format!("cannot read: {err:?}"));
}

#[test]
fn dict_getitem_of_missing_key_panics() {
    expect_panic("getitem", "no entry found for key");
}

#[test]
fn exit_flushes_stdout_and_keeps_the_code() {
    let (code, _, out) = run_child("exit");
    let out = String::from_utf8(out).unwrap();
    assert_eq!(code, 3);
    // stderr output comes after complete stdout lines, as with Rust's
    // line-buffered stdout; the rest follows at exit.
    assert!(out.ends_with("line\nto stderr\npartial more"), "{out:?}");
}

#[test]
fn print_writes_raw_bytes() {
    let (code, _, out) = run_child("bytes");
    assert_eq!(code, 0);
    assert!(out.ends_with(b"line\npartial\xff\xfe\n\x80"), "{out:?}");
}

#[test]
fn stdin_read_line_and_read_behave_as_std() {
    let input = b"first line\nab\xffcd\nrest-bytes";
    let (code, _, out) = run_child_with_input("stdin", input);
    assert_eq!(code, 0);
    // What std does on the same bytes.
    use std::io::BufRead;
    let mut cur = std::io::Cursor::new(&input[..]);
    let mut first = String::new();
    let n = cur.read_line(&mut first).unwrap();
    let err = cur.read_line(&mut String::new()).unwrap_err();
    let want = format!("{n}:{first}{err}|4:rest|4:-byt|2:es|0:");
    let out = String::from_utf8(out).unwrap();
    assert!(
        out.ends_with(&format!("partial{want}")),
        "{out:?} vs {want:?}"
    );
}

#[test]
fn complete_lines_are_out_before_reading_stdin() {
    // A driver that answers only after seeing the question would wait
    // forever if the question stayed in the stdout buffer.
    use std::io::{Read, Write};
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "subprocess_tests::child_entry",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_VAR, "converse")
        .stdout(Stdio::piped())
        .stdin(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut seen = Vec::new();
        let mut buf = [0u8; 256];
        loop {
            let n = stdout.read(&mut buf).unwrap_or(0);
            if n == 0 {
                break;
            }
            seen.extend_from_slice(&buf[..n]);
            if seen.ends_with(b"question?\n") {
                let _ = tx.send(());
            }
        }
        let _ = tx.send(());
        seen
    });
    let asked = rx.recv_timeout(std::time::Duration::from_secs(20));
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"yes\n").unwrap();
    drop(stdin);
    let status = child.wait().unwrap();
    assert!(asked.is_ok(), "the question never arrived before the read");
    assert_eq!(status.code(), Some(0));
}

#[test]
fn gc_statistics_are_written_at_exit() {
    let log = std::env::temp_dir().join(format!("rrruntime-gclog-{}", std::process::id()));
    let _ = std::fs::remove_file(&log);
    let pypylog = format!("gc:{}", log.display());
    let env = [("PYPYLOG", pypylog.as_str()), ("RRUST_GC_NURSERY", "64K")];
    let (code, _, _) = run_child_with("gcstats", b"", &env);
    assert_eq!(code, 0);
    let text = std::fs::read_to_string(&log).expect("no PYPYLOG file written");
    std::fs::remove_file(&log).unwrap();
    assert!(text.contains("] {gc-summary\n"), "{text}");
    assert!(text.trim_end().ends_with("] gc-summary}"), "{text}");
    let value = |key: &str| -> f64 {
        let line = text
            .lines()
            .find(|l| l.starts_with(key))
            .unwrap_or_else(|| panic!("no {key:?} in {text}"));
        line[key.len()..]
            .trim_start_matches(':')
            .split_whitespace()
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    // 200000 strings of 56 bytes through a 64 KiB nursery.
    assert!(value("minor collections") >= 150.0, "{text}");
    assert!(value("nursery size") == 65536.0, "{text}");
    assert!(value("peak heap size") >= 65536.0, "{text}");
    assert!(value("total time in GC") > 0.0, "{text}");
    // Nothing else when PYPYLOG names other categories.
    let env = [("PYPYLOG", "jit-log-opt:-")];
    let (code, _, out) = run_child_with("gcstats", b"", &env);
    assert_eq!(code, 0);
    assert!(!String::from_utf8_lossy(&out).contains("gc-summary"));
}

#[test]
fn gc_statistics_on_panic_go_to_stderr() {
    let (code, _, out) = run_child_with("str", b"", &[("PYPYLOG", "gc:-")]);
    assert_eq!(code, 101);
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("{gc-summary\nminor collections: 0\n"), "{out}");
}
