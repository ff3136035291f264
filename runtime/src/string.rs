//! String operations (`String`/`&str` are `List<u8>` of UTF-8 bytes).

use crate::gc::roots::Frame;
use crate::gc::store_ref;
use crate::layout::bytes_of;
use crate::layout::{
    array_data, list_items, set_word, type_id, ARRAY_ITEMS_OFFSET, LIST_LENGTH_OFFSET,
};
use crate::list::{append_bytes, new_list, new_string};
use std::cmp::Ordering;

/// `rr_str_eq(a, b)`: `a == b`.
///
/// # Safety
/// Both must be string objects.
#[no_mangle]
pub unsafe extern "C" fn rr_str_eq(a: *const u8, b: *const u8) -> u8 {
    (bytes_of(a) == bytes_of(b)) as u8
}

/// `rr_str_cmp(a, b)`: -1, 0 or 1 as `Ord for str` (byte-wise).
///
/// # Safety
/// Both must be string objects.
#[no_mangle]
pub unsafe extern "C" fn rr_str_cmp(a: *const u8, b: *const u8) -> i32 {
    match bytes_of(a).cmp(bytes_of(b)) {
        Ordering::Less => -1,
        Ordering::Equal => 0,
        Ordering::Greater => 1,
    }
}

/// `rr_str_push_str(s, t)`: `s.push_str(t)`.
///
/// # Safety
/// `s` must be a `String`, `t` a string object.
#[no_mangle]
pub unsafe extern "C" fn rr_str_push_str(s: *mut u8, t: *const u8) {
    // append_bytes copies `t`'s bytes out before anything can move them.
    append_bytes(s, bytes_of(t));
}

/// `rr_str_push_char(s, c)`: `s.push(c)`, UTF-8 encoded.
///
/// # Safety
/// `s` must be a `String`.
#[no_mangle]
pub unsafe extern "C" fn rr_str_push_char(s: *mut u8, c: u32) {
    // Generated code only passes valid chars; keep the runtime total anyway.
    let c = char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER);
    let mut buf = [0u8; 4];
    append_bytes(s, c.encode_utf8(&mut buf).as_bytes());
}

/// `rr_str_concat(a, b)`: `a.to_string() + b`, a new string.
///
/// # Safety
/// Both must be string objects.
#[no_mangle]
pub unsafe extern "C" fn rr_str_concat(a: *const u8, b: *const u8) -> *mut u8 {
    let total = bytes_of(a).len() + bytes_of(b).len();
    let f = Frame::new([a as *mut u8, b as *mut u8]);
    let s = new_list(type_id::STRING, type_id::BYTE_ARRAY, 1, total as u64);
    let (a, b) = (bytes_of(f.get(0)), bytes_of(f.get(1)));
    let data = array_data(list_items(s));
    std::ptr::copy_nonoverlapping(a.as_ptr(), data, a.len());
    std::ptr::copy_nonoverlapping(b.as_ptr(), data.add(a.len()), b.len());
    set_word(s, LIST_LENGTH_OFFSET, total as u64);
    s
}

/// The text of string object `s`, copied to the Rust heap (so that an
/// allocation after it may collect and move `s`).
///
/// # Safety
/// `s` must be a string object.
unsafe fn owned_text(s: *const u8) -> String {
    String::from_utf8_lossy(bytes_of(s)).into_owned()
}

/// `rr_str_starts_with(s, p)`: `s.starts_with(p)`.
///
/// # Safety
/// Both must be string objects.
#[no_mangle]
pub unsafe extern "C" fn rr_str_starts_with(s: *const u8, p: *const u8) -> u8 {
    bytes_of(s).starts_with(bytes_of(p)) as u8
}

/// `rr_str_ends_with(s, p)`: `s.ends_with(p)`.
///
/// # Safety
/// Both must be string objects.
#[no_mangle]
pub unsafe extern "C" fn rr_str_ends_with(s: *const u8, p: *const u8) -> u8 {
    bytes_of(s).ends_with(bytes_of(p)) as u8
}

/// `rr_str_contains(s, p)`: `s.contains(p)` (byte search; on valid UTF-8
/// a match is a match of the text).
///
/// # Safety
/// Both must be string objects.
#[no_mangle]
pub unsafe extern "C" fn rr_str_contains(s: *const u8, p: *const u8) -> u8 {
    let (s, p) = (bytes_of(s), bytes_of(p));
    (p.is_empty() || s.windows(p.len()).any(|w| w == p)) as u8
}

/// What `rr_str_map` computes, by its `how` argument.
pub const MAP_TRIM: u64 = 0;
pub const MAP_TRIM_START: u64 = 1;
pub const MAP_TRIM_END: u64 = 2;
pub const MAP_TO_LOWERCASE: u64 = 3;
pub const MAP_TO_UPPERCASE: u64 = 4;
pub const MAP_TO_ASCII_LOWERCASE: u64 = 5;
pub const MAP_TO_ASCII_UPPERCASE: u64 = 6;

/// `rr_str_map(s, how)`: a new string with `s.trim()`, `s.trim_start()`,
/// `s.trim_end()`, `s.to_lowercase()`, `s.to_uppercase()`,
/// `s.to_ascii_lowercase()` or `s.to_ascii_uppercase()` (`how` 0 to 6, as
/// std computes them; a `&str` result is a copy, which no program can
/// tell apart).
///
/// # Safety
/// `s` must be a string object holding UTF-8.
#[no_mangle]
pub unsafe extern "C" fn rr_str_map(s: *const u8, how: u64) -> *mut u8 {
    // Computed on the Rust heap before the new string may collect.
    let text = owned_text(s);
    let out = match how {
        MAP_TRIM => text.trim().to_string(),
        MAP_TRIM_START => text.trim_start().to_string(),
        MAP_TRIM_END => text.trim_end().to_string(),
        MAP_TO_LOWERCASE => text.to_lowercase(),
        MAP_TO_UPPERCASE => text.to_uppercase(),
        MAP_TO_ASCII_LOWERCASE => text.to_ascii_lowercase(),
        MAP_TO_ASCII_UPPERCASE => text.to_ascii_uppercase(),
        _ => text, // generated code passes 0..=6 only
    };
    new_string(out.as_bytes())
}

/// `rr_str_trim_matches(s, p, how)`: a new string holding
/// `s.trim_matches(p)` (how 0), `trim_start_matches(p)` (1) or
/// `trim_end_matches(p)` (2), `p` a string.
///
/// # Safety
/// Both must be string objects holding UTF-8.
#[no_mangle]
pub unsafe extern "C" fn rr_str_trim_matches(s: *const u8, p: *const u8, how: u64) -> *mut u8 {
    let text = owned_text(s);
    let pat = owned_text(p);
    let out = match how {
        0 => trim_both(&text, &pat),
        1 => text.trim_start_matches(pat.as_str()),
        _ => text.trim_end_matches(pat.as_str()),
    };
    new_string(out.as_bytes())
}

/// `str::trim_matches` of a one-char pattern given as a string (the
/// translator only passes `char` patterns here, as rustc accepts only
/// those).
fn trim_both<'a>(s: &'a str, p: &str) -> &'a str {
    s.trim_start_matches(p).trim_end_matches(p)
}

/// `rr_str_replace(s, from, to)`: `s.replace(from, to)` as a new string.
///
/// # Safety
/// All three must be string objects holding UTF-8.
#[no_mangle]
pub unsafe extern "C" fn rr_str_replace(s: *const u8, from: *const u8, to: *const u8) -> *mut u8 {
    let text = owned_text(s);
    let from = owned_text(from);
    let to = owned_text(to);
    new_string(text.replace(from.as_str(), &to).as_bytes())
}

/// `rr_str_repeat(s, n)`: `s.repeat(n)` as a new string (std's capacity
/// overflow panic when the length does not fit).
///
/// # Safety
/// `s` must be a string object.
#[no_mangle]
pub unsafe extern "C" fn rr_str_repeat(s: *const u8, n: u64) -> *mut u8 {
    let text = bytes_of(s).to_vec();
    new_string(&text.repeat(n as usize))
}

/// `rr_str_split_whitespace(s)`: the words of `s.split_whitespace()` as a
/// new `Vec<String>` (`for w in s.split_whitespace()` loops over it).
///
/// # Safety
/// `s` must be a string object holding UTF-8.
#[no_mangle]
pub unsafe extern "C" fn rr_str_split_whitespace(s: *const u8) -> *mut u8 {
    let text = owned_text(s);
    string_list(text.split_whitespace().map(str::as_bytes).collect())
}

/// `rr_str_lines(s)`: `s.lines()` as a new `Vec<String>`.
///
/// # Safety
/// `s` must be a string object holding UTF-8.
#[no_mangle]
pub unsafe extern "C" fn rr_str_lines(s: *const u8) -> *mut u8 {
    let text = owned_text(s);
    string_list(text.lines().map(str::as_bytes).collect())
}

/// `rr_str_split(s, p)`: `s.split(p)` (`p` a string) as a new
/// `Vec<String>`.
///
/// # Safety
/// Both must be string objects holding UTF-8.
#[no_mangle]
pub unsafe extern "C" fn rr_str_split(s: *const u8, p: *const u8) -> *mut u8 {
    let text = owned_text(s);
    let pat = owned_text(p);
    string_list(text.split(pat.as_str()).map(str::as_bytes).collect())
}

/// A new `Vec<String>` of `words` (copied out of the GC heap already: the
/// allocations here may collect).
pub fn string_list(words: Vec<&[u8]>) -> *mut u8 {
    let list = new_list(
        type_id::STRING_LIST,
        type_id::STRING_ARRAY,
        8,
        words.len() as u64,
    );
    // Each new string may collect: the list lives in a shadow-stack frame,
    // and its items array may be old by the time a word is stored.
    let f = Frame::new([list]);
    for (i, w) in words.iter().enumerate() {
        let word = new_string(w);
        // SAFETY: the list has room for `words.len()` references.
        unsafe { store_ref(list_items(f.get(0)), ARRAY_ITEMS_OFFSET + 8 * i, word) };
    }
    let list = f.get(0);
    // SAFETY: a list object.
    unsafe { set_word(list, LIST_LENGTH_OFFSET, words.len() as u64) };
    list
}

/// `rr_list_join(words, sep)`: `words.join(sep)` of a `Vec<String>` (also
/// `concat()`, with an empty `sep`), a new string.
///
/// # Safety
/// `words` must be a list of string objects, `sep` a string object.
#[no_mangle]
pub unsafe extern "C" fn rr_list_join(words: *const u8, sep: *const u8) -> *mut u8 {
    let n = crate::layout::list_len(words);
    let items = array_data(list_items(words)) as *const *const u8;
    let mut text: Vec<u8> = Vec::new();
    for i in 0..n {
        if i > 0 {
            text.extend_from_slice(bytes_of(sep));
        }
        text.extend_from_slice(bytes_of(*items.add(i)));
    }
    // Everything was copied out before allocating.
    new_string(&text)
}

/// `rr_str_chars(s, list_type, array_type)`: the chars of `s` as a new
/// `Vec<char>` of those type ids (4-byte items; `for c in s.chars()` loops
/// over it).
///
/// # Safety
/// `s` must be a string object holding UTF-8, the type ids a list of
/// `char` and its items array.
#[no_mangle]
pub unsafe extern "C" fn rr_str_chars(s: *const u8, list_type: u64, array_type: u64) -> *mut u8 {
    // Decoded before the new list may collect.
    let chars: Vec<u32> = String::from_utf8_lossy(bytes_of(s))
        .chars()
        .map(|c| c as u32)
        .collect();
    let list = new_list(list_type, array_type, 4, chars.len() as u64);
    let data = array_data(list_items(list)) as *mut u32;
    for (i, c) in chars.iter().enumerate() {
        data.add(i).write_unaligned(*c);
    }
    set_word(list, LIST_LENGTH_OFFSET, chars.len() as u64);
    list
}

/// The error kinds of `rr_str_parse_int_error`, as `std::num::IntErrorKind`
/// (0: no error).
const PARSE_KINDS: [&str; 5] = ["", "Empty", "InvalidDigit", "PosOverflow", "NegOverflow"];

/// `s.parse::<T>()` for the integer type of `bits` and `signed`, by std.
fn parse_int(s: &str, bits: u64, signed: bool) -> Result<i64, std::num::ParseIntError> {
    Ok(match (bits, signed) {
        (8, true) => s.parse::<i8>()? as i64,
        (16, true) => s.parse::<i16>()? as i64,
        (32, true) => s.parse::<i32>()? as i64,
        (_, true) => s.parse::<i64>()?,
        (8, false) => s.parse::<u8>()? as i64,
        (16, false) => s.parse::<u16>()? as i64,
        (32, false) => s.parse::<u32>()? as i64,
        (_, false) => s.parse::<u64>()? as i64,
    })
}

/// `rr_str_parse_int(s, bits, signed)`: the value of `s.parse::<T>()` (0
/// when it fails), as a 64-bit word (an unsigned `T` zero-extended).
///
/// # Safety
/// `s` must be a string object holding UTF-8.
#[no_mangle]
pub unsafe extern "C" fn rr_str_parse_int(s: *const u8, bits: u64, signed: u64) -> i64 {
    let text = String::from_utf8_lossy(bytes_of(s));
    parse_int(&text, bits, signed != 0).unwrap_or(0)
}

/// `rr_str_parse_int_error(s, bits, signed)`: 0 if `s.parse::<T>()`
/// succeeds, else its `IntErrorKind`: 1 `Empty`, 2 `InvalidDigit`, 3
/// `PosOverflow`, 4 `NegOverflow`.
///
/// # Safety
/// `s` must be a string object holding UTF-8.
#[no_mangle]
pub unsafe extern "C" fn rr_str_parse_int_error(s: *const u8, bits: u64, signed: u64) -> u8 {
    use std::num::IntErrorKind as K;
    let text = String::from_utf8_lossy(bytes_of(s));
    match parse_int(&text, bits, signed != 0) {
        Ok(_) => 0,
        Err(e) => match e.kind() {
            K::Empty => 1,
            K::InvalidDigit => 2,
            K::PosOverflow => 3,
            K::NegOverflow => 4,
            _ => 2,
        },
    }
}

/// `rr_str_parse_float(s)`: the bits of `s.parse::<f64>()` (0.0 when it
/// fails).
///
/// # Safety
/// `s` must be a string object holding UTF-8.
#[no_mangle]
pub unsafe extern "C" fn rr_str_parse_float(s: *const u8) -> f64 {
    String::from_utf8_lossy(bytes_of(s))
        .parse::<f64>()
        .unwrap_or(0.0)
}

/// `rr_str_parse_float_error(s)`: 0 if `s.parse::<f64>()` succeeds, else
/// its error kind: 1 `Empty`, 2 `Invalid`.
///
/// # Safety
/// `s` must be a string object holding UTF-8.
#[no_mangle]
pub unsafe extern "C" fn rr_str_parse_float_error(s: *const u8) -> u8 {
    let text = String::from_utf8_lossy(bytes_of(s));
    match text.parse::<f64>() {
        Ok(_) => 0,
        Err(_) if text.is_empty() => 1,
        Err(_) => 2,
    }
}

/// How std's `Debug` shows a `ParseFloatError` of kind `code`.
pub fn parse_float_error_debug(code: u8) -> String {
    let kind = if code == 1 { "Empty" } else { "Invalid" };
    format!("ParseFloatError {{ kind: {kind} }}")
}

/// How std's `Debug` shows a `ParseIntError` of kind `code`.
pub fn parse_int_error_debug(code: u8) -> String {
    let kind = PARSE_KINDS
        .get(code as usize)
        .copied()
        .unwrap_or("InvalidDigit");
    format!("ParseIntError {{ kind: {kind} }}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{lock, string, text};

    #[test]
    fn tests_maps_and_words_are_std_s() {
        let _g = lock();
        unsafe {
            let s = string(" Ab, cÉ \t");
            assert_eq!(rr_str_starts_with(s, string(" Ab")), 1);
            assert_eq!(rr_str_ends_with(s, string("É \t")), 1);
            assert_eq!(rr_str_contains(s, string(", c")), 1);
            assert_eq!(rr_str_contains(s, string("cE")), 0);
            assert_eq!(rr_str_contains(string(""), string("")), 1);
            for (how, want) in [
                (MAP_TRIM, "Ab, cÉ"),
                (MAP_TRIM_START, "Ab, cÉ \t"),
                (MAP_TRIM_END, " Ab, cÉ"),
                (MAP_TO_LOWERCASE, " ab, cé \t"),
                (MAP_TO_UPPERCASE, " AB, CÉ \t"),
                (MAP_TO_ASCII_LOWERCASE, " ab, cÉ \t"),
                (MAP_TO_ASCII_UPPERCASE, " AB, CÉ \t"),
            ] {
                assert_eq!(text(rr_str_map(string(" Ab, cÉ \t"), how)), want);
            }
            let l = rr_str_split_whitespace(string("  one two\nthree "));
            assert_eq!(crate::layout::list_len(l), 3);
            let items = array_data(list_items(l)) as *const *const u8;
            let words: Vec<String> = (0..3).map(|i| text(*items.add(i))).collect();
            assert_eq!(words, ["one", "two", "three"]);
        }
    }

    #[test]
    fn str_eq_compares_content() {
        let _g = lock();
        unsafe {
            assert_eq!(rr_str_eq(string("abc"), string("abc")), 1);
            assert_eq!(rr_str_eq(string("abc"), string("abd")), 0);
            assert_eq!(rr_str_eq(string("abc"), string("ab")), 0);
            assert_eq!(rr_str_eq(string(""), string("")), 1);
            assert_eq!(rr_str_eq(string("é"), string("é")), 1);
        }
    }

    #[test]
    fn str_cmp_is_ord_for_str() {
        let _g = lock();
        let words = [
            "",
            "a",
            "ab",
            "abc",
            "b",
            "B",
            "é",
            "z",
            "ab\u{0}",
            "\u{10ffff}",
        ];
        for x in words {
            for y in words {
                let want = match x.cmp(y) {
                    Ordering::Less => -1,
                    Ordering::Equal => 0,
                    Ordering::Greater => 1,
                };
                unsafe {
                    assert_eq!(rr_str_cmp(string(x), string(y)), want, "{x:?} vs {y:?}");
                }
            }
        }
    }

    #[test]
    fn str_push_and_concat() {
        let _g = lock();
        unsafe {
            let s = string("");
            let mut want = String::new();
            for c in ['a', 'é', '€', '😀', '\u{0}', 'z'].iter().cycle().take(60) {
                rr_str_push_char(s, *c as u32);
                want.push(*c);
            }
            assert_eq!(text(s), want);
            rr_str_push_str(s, string("-tail→"));
            want.push_str("-tail→");
            assert_eq!(text(s), want);

            let a = string("héllo, ");
            let b = string("wörld");
            let c = rr_str_concat(a, b);
            assert_eq!(text(c), "héllo, wörld");
            assert_eq!(text(a), "héllo, ");
            assert_eq!(text(rr_str_concat(string(""), string(""))), "");
        }
    }
}
