//! Sub-slices `&v[a..b]` and `&s[a..b]`: the bounds checks with std's
//! panic messages, and the copy that stands for the borrowed view (exact
//! because the translated program only reads it; see the frontend's
//! `slices.rs`).
//!
//! `kind` is `SliceKind::code`: 0 for `a..b`, 1 for `a..=b`, 2 for `a..`
//! (`end` is then ignored). `..b` comes as `0..b`.

use crate::gc::roots::Frame;
use crate::layout::{array_data, bytes_of, list_items, list_len, set_word, LIST_LENGTH_OFFSET};
use crate::list::{new_list, new_string};
use crate::panic::panic_at;

const RANGE: u64 = 0;
const INCLUSIVE: u64 = 1;

/// The items `start..end` of a slice of `len` items, or std's message
/// (`core::slice::index`, in the order std checks).
fn list_bounds(len: u64, start: u64, end: u64, kind: u64) -> Result<(u64, u64), String> {
    let start_oor = || format!("range start index {start} out of range for slice of length {len}");
    let end_oor = || format!("range end index {end} out of range for slice of length {len}");
    let order = |end: u64| format!("slice index starts at {start} but ends at {end}");
    if start > len {
        return Err(start_oor());
    }
    match kind {
        RANGE => {
            if end > len {
                Err(end_oor())
            } else if start > end {
                Err(order(end))
            } else {
                Ok((start, end))
            }
        }
        // `a..=b` is `a..b + 1`, but an end past the last item is reported
        // as written (`b`), which also covers `b == usize::MAX`.
        INCLUSIVE => {
            if end >= len {
                Err(end_oor())
            } else if start > end + 1 {
                Err(order(end + 1))
            } else {
                Ok((start, end + 1))
            }
        }
        _ => Ok((start, len)),
    }
}

/// The bytes `start..end` of `s`, or std's message (`str::slice_error_fail`).
fn str_bounds(s: &[u8], start: u64, end: u64, kind: u64) -> Result<(usize, usize), String> {
    let len = s.len() as u64;
    let oob =
        |which: &str, i: u64| format!("{which} byte index {i} is out of bounds of {}", quoted(s));
    if start > len {
        return Err(oob("start", start));
    }
    let end = match kind {
        RANGE if end > len => return Err(oob("end", end)),
        RANGE => end,
        // As for slices, an end past the string is reported as written.
        INCLUSIVE if end >= len => return Err(oob("end", end)),
        INCLUSIVE => end + 1,
        _ => len,
    };
    if start > end {
        return Err(format!(
            "begin > end ({start} > {end}) when slicing {}",
            quoted(s)
        ));
    }
    let (start, end) = (start as usize, end as usize);
    for (which, i) in [("start", start), ("end", end)] {
        if !is_char_boundary(s, i) {
            let from = floor_char_boundary(s, i);
            let text = String::from_utf8_lossy(&s[from..]);
            let ch = text.chars().next().unwrap_or(char::REPLACEMENT_CHARACTER);
            return Err(format!(
                "{which} byte index {i} is not a char boundary; it is inside {ch:?} \
                 (bytes {:?}) of {}",
                from..from + ch.len_utf8(),
                quoted(s)
            ));
        }
    }
    Ok((start, end))
}

fn is_char_boundary(s: &[u8], i: usize) -> bool {
    // Not a UTF-8 continuation byte (0b10xx_xxxx).
    i == s.len() || s.get(i).is_some_and(|&b| (b as i8) >= -0x40)
}

fn floor_char_boundary(s: &[u8], i: usize) -> usize {
    let mut i = i.min(s.len());
    while !is_char_boundary(s, i) {
        i -= 1;
    }
    i
}

/// The string as std's messages quote it: in backticks, at most 256 bytes
/// (cut at a char boundary), then `[...]` after the backticks when cut.
fn quoted(s: &[u8]) -> String {
    let cut = floor_char_boundary(s, 256);
    let text = String::from_utf8_lossy(&s[..cut]);
    let ellipsis = if cut < s.len() { "[...]" } else { "" };
    format!("`{text}`{ellipsis}")
}

/// `rr_list_slice(list, list_type_id, array_type_id, item_size, start,
/// end, kind, loc)`: a new list of the items `&list[start..end]`, or the
/// panic std gives at `loc`.
///
/// # Safety
/// `list` must be a list of `item_size`-byte items, `loc` a string object.
#[no_mangle]
pub unsafe extern "C" fn rr_list_slice(
    list: *mut u8,
    list_type_id: u64,
    array_type_id: u64,
    item_size: u64,
    start: u64,
    end: u64,
    kind: u64,
    loc: *const u8,
) -> *mut u8 {
    let (start, end) = match list_bounds(list_len(list) as u64, start, end, kind) {
        Ok(b) => b,
        Err(msg) => panic_at(bytes_of(loc), msg.as_bytes()),
    };
    let n = (end - start) as usize;
    let f = Frame::new([list]);
    let copy = new_list(list_type_id, array_type_id, item_size, n as u64);
    let list = f.get(0);
    if n > 0 {
        // The copy's items are young: plain copies suffice (as
        // `rr_list_clone`).
        std::ptr::copy_nonoverlapping(
            array_data(list_items(list)).add(start as usize * item_size as usize),
            array_data(list_items(copy)),
            n * item_size as usize,
        );
    }
    set_word(copy, LIST_LENGTH_OFFSET, n as u64);
    copy
}

/// `rr_str_slice(s, start, end, kind, loc)`: a new string of the bytes
/// `&s[start..end]`, or the panic std gives at `loc`.
///
/// # Safety
/// `s` and `loc` must be string objects.
#[no_mangle]
pub unsafe extern "C" fn rr_str_slice(
    s: *const u8,
    start: u64,
    end: u64,
    kind: u64,
    loc: *const u8,
) -> *mut u8 {
    let bytes = bytes_of(s);
    match str_bounds(bytes, start, end, kind) {
        Ok((a, b)) => {
            // Copied out first: allocating the new string may move `s`.
            let text = bytes[a..b].to_vec();
            new_string(&text)
        }
        Err(msg) => panic_at(bytes_of(loc), msg.as_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_bounds_follow_std_order() {
        assert_eq!(list_bounds(4, 1, 3, RANGE), Ok((1, 3)));
        assert_eq!(list_bounds(4, 4, 4, RANGE), Ok((4, 4)));
        assert_eq!(list_bounds(4, 2, 0, 2), Ok((2, 4)));
        assert_eq!(list_bounds(4, 3, 3, INCLUSIVE), Ok((3, 4)));
        assert_eq!(list_bounds(4, 4, 3, INCLUSIVE), Ok((4, 4)));
        let e = |r: Result<(u64, u64), String>| r.unwrap_err();
        assert_eq!(
            e(list_bounds(4, 5, 2, RANGE)),
            "range start index 5 out of range for slice of length 4"
        );
        assert_eq!(
            e(list_bounds(4, 2, 9, RANGE)),
            "range end index 9 out of range for slice of length 4"
        );
        assert_eq!(
            e(list_bounds(4, 3, 1, RANGE)),
            "slice index starts at 3 but ends at 1"
        );
        assert_eq!(
            e(list_bounds(4, 3, 1, INCLUSIVE)),
            "slice index starts at 3 but ends at 2"
        );
        assert_eq!(
            e(list_bounds(4, 0, 4, INCLUSIVE)),
            "range end index 4 out of range for slice of length 4"
        );
        assert_eq!(
            e(list_bounds(4, 0, u64::MAX, INCLUSIVE)),
            "range end index 18446744073709551615 out of range for slice of length 4"
        );
        assert_eq!(
            e(list_bounds(4, 5, 0, 2)),
            "range start index 5 out of range for slice of length 4"
        );
    }

    #[test]
    fn str_bounds_follow_std_order() {
        let s = "aéb".as_bytes();
        assert_eq!(str_bounds(s, 0, 1, RANGE), Ok((0, 1)));
        assert_eq!(str_bounds(s, 1, 2, INCLUSIVE), Ok((1, 3)));
        let e = |r: Result<(usize, usize), String>| r.unwrap_err();
        assert_eq!(
            e(str_bounds(s, 2, 0, 2)),
            "start byte index 2 is not a char boundary; it is inside 'é' (bytes 1..3) of `aéb`"
        );
        assert_eq!(
            e(str_bounds(s, 0, 1, INCLUSIVE)),
            "end byte index 2 is not a char boundary; it is inside 'é' (bytes 1..3) of `aéb`"
        );
        assert_eq!(
            e(str_bounds(s, 2, 1, RANGE)),
            "begin > end (2 > 1) when slicing `aéb`"
        );
        assert_eq!(
            e(str_bounds(s, 3, 1, INCLUSIVE)),
            "begin > end (3 > 2) when slicing `aéb`"
        );
        assert_eq!(
            e(str_bounds(s, 9, 2, RANGE)),
            "start byte index 9 is out of bounds of `aéb`"
        );
        assert_eq!(
            e(str_bounds(b"hello", 4, 5, INCLUSIVE)),
            "end byte index 5 is out of bounds of `hello`"
        );
        let long = format!("{}é", "a".repeat(255));
        assert_eq!(
            e(str_bounds(long.as_bytes(), 0, 999, RANGE)),
            format!(
                "end byte index 999 is out of bounds of `{}`[...]",
                "a".repeat(255)
            )
        );
    }
}
