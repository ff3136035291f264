//! The text form of low-level programs: print with `program_to_text`, read
//! back with `parse_program` (the format is described in `dump.rs`). This
//! module also holds the lexical rules both sides share: which names may be
//! written bare and how strings and characters are escaped.

pub use crate::dump::{
    graph_to_text, graph_to_text_with, program_to_text, program_to_text_with, TextOptions,
};
pub use crate::parse::{parse_program, ParseError};

pub(crate) fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// A field, runtime function or hint name: `[A-Za-z0-9_]+`.
pub(crate) fn is_plain_word(s: &str) -> bool {
    !s.is_empty() && s.chars().all(is_word_char)
}

/// A graph name: words joined by `::` (`Tape::get`, `f__2`).
pub(crate) fn is_plain_path(s: &str) -> bool {
    s.split("::").all(is_plain_word)
}

/// The length in bytes of the bare heap-type name at the start of `s`:
/// words, `::`, and anything inside balanced `<>`, `()` or `[]` (so
/// `List<u8>`, `(u8, i64)`, `Result<u8, IoError>`). Outside brackets it
/// stops at any other character, which is what lets `getfield<T.f>`,
/// `*T)` and `array<T>>` end the name. 0 if there is none.
pub(crate) fn type_name_len(s: &str) -> usize {
    let mut depth = 0usize;
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        match c {
            '<' | '(' | '[' => depth += 1,
            '>' | ')' | ']' if depth > 0 => depth -= 1,
            '\n' | '\r' | '"' => return if depth == 0 { i } else { 0 },
            _ if depth > 0 => {}
            ':' if matches!(it.peek(), Some((_, ':'))) => {
                it.next();
            }
            c if is_word_char(c) => {}
            _ => return i,
        }
    }
    if depth == 0 {
        s.len()
    } else {
        0
    }
}

/// A heap-type name that can be written bare.
pub(crate) fn is_plain_type_name(s: &str) -> bool {
    !s.is_empty() && type_name_len(s) == s.len() && !s.starts_with("::")
}

/// `"…"` with the escapes `parse` reads.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        escape_char_into(c, '"', &mut out);
    }
    out.push('"');
    out
}

/// `'a'`, `'\n'`, `'\u{e9}'`: printable ASCII as is, the rest escaped.
pub(crate) fn char_literal(c: char) -> String {
    let mut out = String::from("'");
    escape_char_into(c, '\'', &mut out);
    out.push('\'');
    out
}

fn escape_char_into(c: char, quote: char, out: &mut String) {
    match c {
        '\\' => out.push_str("\\\\"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\0' => out.push_str("\\0"),
        c if c == quote => {
            out.push('\\');
            out.push(c);
        }
        ' '..='~' => out.push(c),
        c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
    }
}

/// `b"…"`: printable ASCII as is, other bytes as `\xNN`.
pub(crate) fn byte_string(bytes: &[u8]) -> String {
    let mut out = String::from("b\"");
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'"' => out.push_str("\\\""),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            b' '..=b'~' => out.push(b as char),
            b => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out.push('"');
    out
}

/// A float constant that reads back to the same bits: the shortest
/// decimal that round-trips (`0.5_f64`, `1e300_f64`), `inf_f64`,
/// `nan_f64` for the canonical NaN and `0x…_f64bits` for other NaNs.
pub(crate) fn float_literal(f: f64) -> String {
    if f.is_nan() {
        if f.to_bits() == f64::NAN.to_bits() {
            "nan_f64".into()
        } else {
            format!("0x{:016x}_f64bits", f.to_bits())
        }
    } else if f.is_infinite() {
        if f > 0.0 {
            "inf_f64".into()
        } else {
            "-inf_f64".into()
        }
    } else {
        // Display never uses an exponent (1e300 would be 301 digits);
        // LowerExp is as exact.
        let d = format!("{f}");
        if d.len() <= 24 {
            format!("{d}_f64")
        } else {
            format!("{f:e}_f64")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_scan_to_their_end() {
        for n in [
            "Tape",
            "List<u8>",
            "(u8, i64)",
            "Result<u8, IoError>",
            "a::B",
        ] {
            assert!(is_plain_type_name(n), "{n}");
        }
        assert_eq!(type_name_len("Tape.pos>"), 4);
        assert_eq!(type_name_len("Array<u8>>(v0)"), 9);
        assert_eq!(type_name_len("Tape)"), 4);
        assert!(!is_plain_type_name("a b"));
        assert!(!is_plain_type_name("List<u8"));
        assert!(!is_plain_type_name(""));
    }
}
