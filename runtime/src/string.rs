//! String operations (`String`/`&str` are `List<u8>` of UTF-8 bytes).

use crate::gc::roots::Frame;
use crate::layout::bytes_of;
use crate::layout::{array_data, list_items, set_word, type_id, LIST_LENGTH_OFFSET};
use crate::list::{append_bytes, new_list};
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{lock, string, text};

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
