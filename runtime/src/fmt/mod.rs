//! `rr_fmt_*`: one formatted value appended to a string builder, exactly as
//! `format!` writes it (std's own formatting does the work, see `table`).

mod table;

use crate::io::io_error_ref;
use crate::layout::str_of;
use crate::list::append_bytes;
use crate::panic::internal_error;
use std::fmt::{self, Binary, Debug, Display, LowerHex, Octal, UpperHex};
use table::{FillAlign, Spec, SENTINELS};

/// Spec flag bits (see docs/runtime-abi.md).
const FLAG_PLUS: u64 = 1;
const FLAG_ALT: u64 = 2;
const FLAG_ZERO: u64 = 4;
const ALIGN_SHIFT: u64 = 4;

/// Format kinds.
const KIND_DISPLAY: u64 = 0;
const KIND_DEBUG: u64 = 1;
const KIND_LOWER_HEX: u64 = 2;
const KIND_UPPER_HEX: u64 = 3;
const KIND_BINARY: u64 = 4;
const KIND_OCTAL: u64 = 5;

/// A value seen through the trait its spec's kind names.
enum Val<'a> {
    Display(&'a dyn Display),
    Debug(&'a dyn Debug),
    LowerHex(&'a dyn LowerHex),
    UpperHex(&'a dyn UpperHex),
    Binary(&'a dyn Binary),
    Octal(&'a dyn Octal),
}

impl Val<'_> {
    fn write(&self, out: &mut dyn fmt::Write, s: &Spec) -> fmt::Result {
        match *self {
            Val::Display(v) => table::display(out, v, s),
            Val::Debug(v) => table::debug(out, v, s),
            Val::LowerHex(v) => table::lower_hex(out, v, s),
            Val::UpperHex(v) => table::upper_hex(out, v, s),
            Val::Binary(v) => table::binary(out, v, s),
            Val::Octal(v) => table::octal(out, v, s),
        }
    }
}

/// Appends to a string object, following it when an append moves it (the
/// builder is the only GC reference alive across the appends: the values
/// are Rust data, string values copied out first, see `rr_fmt_str`).
struct Builder(*mut u8);

impl fmt::Write for Builder {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        // SAFETY: the builder was handed to rr_fmt_* as a String object.
        self.0 = unsafe { append_bytes(self.0, s.as_bytes()) };
        Ok(())
    }
}

/// Appends `v` formatted with the spec words to the string object `sb`.
fn emit(sb: *mut u8, v: Val, flags: u64, fill: u32, width: i64, precision: i64) {
    let align = (flags >> ALIGN_SHIFT) & 3;
    let fill = char::from_u32(fill).unwrap_or(' ');
    let mut spec = Spec {
        fill_align: FillAlign::with_sentinel(align, None),
        plus: flags & FLAG_PLUS != 0,
        alt: flags & FLAG_ALT != 0,
        zero: flags & FLAG_ZERO != 0,
        width: width.max(0) as usize,
        precision: (precision >= 0).then_some(precision as usize),
    };
    let mut out = Builder(sb);
    // A fill other than a space can only come with an explicit alignment.
    if fill == ' ' || align == 0 || spec.width == 0 {
        let _ = v.write(&mut out, &spec);
        return;
    }
    // Format with a sentinel fill std can take literally, then put the real
    // fill in its place. Padding may sit inside the value (`{:*<9?}` of an
    // io::Error pads a field), so replacing beats re-padding the outside.
    let mut plain = String::new();
    let _ = v.write(&mut plain, &Spec { width: 0, ..spec });
    let mut fill_buf = [0u8; 4];
    let fill_str = fill.encode_utf8(&mut fill_buf);
    for (i, &sentinel) in SENTINELS.iter().enumerate() {
        if !plain.contains(sentinel) {
            spec.fill_align = FillAlign::with_sentinel(align, Some(i));
            let mut padded = String::new();
            let _ = v.write(&mut padded, &spec);
            let _ = fmt::Write::write_str(&mut out, &padded.replace(sentinel, fill_str));
            return;
        }
    }
    // The value holds every sentinel: pad the outside, which is where all
    // std types but nested Debug output put their padding.
    let mut padded = String::new();
    let _ = v.write(&mut padded, &spec);
    let pad = padded.chars().count().saturating_sub(plain.chars().count());
    if pad == 0 || spec.zero {
        let _ = fmt::Write::write_str(&mut out, &padded);
        return;
    }
    let (pre, post) = match align {
        1 => (0, pad),
        2 => (pad / 2, pad - pad / 2),
        _ => (pad, 0),
    };
    let text = format!("{}{plain}{}", fill_str.repeat(pre), fill_str.repeat(post));
    let _ = fmt::Write::write_str(&mut out, &text);
}

#[cold]
fn bad_kind(what: &str, kind: u64) -> ! {
    internal_error(&format!(
        "rr_fmt_{what}: format kind {kind} is not supported"
    ))
}

/// The trait of `kind` for a value that has only Display and Debug.
fn display_or_debug<'a, T: Display + Debug>(v: &'a T, kind: u64, what: &str) -> Val<'a> {
    match kind {
        KIND_DISPLAY => Val::Display(v),
        KIND_DEBUG => Val::Debug(v),
        _ => bad_kind(what, kind),
    }
}

/// Appends an integer of a concrete Rust type.
fn emit_int<T>(sb: *mut u8, v: T, kind: u64, flags: u64, fill: u32, width: i64, precision: i64)
where
    T: Display + Debug + LowerHex + UpperHex + Binary + Octal,
{
    let val = match kind {
        KIND_DISPLAY => Val::Display(&v),
        KIND_DEBUG => Val::Debug(&v),
        KIND_LOWER_HEX => Val::LowerHex(&v),
        KIND_UPPER_HEX => Val::UpperHex(&v),
        KIND_BINARY => Val::Binary(&v),
        KIND_OCTAL => Val::Octal(&v),
        _ => bad_kind("int", kind),
    };
    emit(sb, val, flags, fill, width, precision)
}

/// `rr_fmt_str(sb, s, kind, flags, fill, width, precision)`.
///
/// # Safety
/// `sb` must be a `String`, `s` a string object.
#[no_mangle]
pub unsafe extern "C" fn rr_fmt_str(
    sb: *mut u8,
    s: *const u8,
    kind: u64,
    flags: u64,
    fill: u32,
    width: i64,
    precision: i64,
) {
    // An owned copy: appending may collect and move `s`'s bytes.
    let text = str_of(s).into_owned();
    let text: &str = &text;
    emit(
        sb,
        display_or_debug(&text, kind, "str"),
        flags,
        fill,
        width,
        precision,
    )
}

/// `rr_fmt_int(sb, value, int_kind, kind, flags, fill, width, precision)`:
/// `int_kind = bits | (signed << 8)`; `value` holds the bits extended to 64.
///
/// # Safety
/// `sb` must be a `String`.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn rr_fmt_int(
    sb: *mut u8,
    value: u64,
    int_kind: u64,
    kind: u64,
    flags: u64,
    fill: u32,
    width: i64,
    precision: i64,
) {
    let (k, f, w, p) = (kind, flags, fill, width);
    match int_kind {
        8 => emit_int(sb, value as u8, k, f, w, p, precision),
        16 => emit_int(sb, value as u16, k, f, w, p, precision),
        32 => emit_int(sb, value as u32, k, f, w, p, precision),
        64 => emit_int(sb, value, k, f, w, p, precision),
        0x108 => emit_int(sb, value as i8, k, f, w, p, precision),
        0x110 => emit_int(sb, value as i16, k, f, w, p, precision),
        0x120 => emit_int(sb, value as i32, k, f, w, p, precision),
        0x140 => emit_int(sb, value as i64, k, f, w, p, precision),
        _ => internal_error(&format!("rr_fmt_int: unknown int kind {int_kind:#x}")),
    }
}

/// `rr_fmt_float(sb, value, kind, flags, fill, width, precision)`.
///
/// # Safety
/// `sb` must be a `String`.
#[no_mangle]
pub unsafe extern "C" fn rr_fmt_float(
    sb: *mut u8,
    value: f64,
    kind: u64,
    flags: u64,
    fill: u32,
    width: i64,
    precision: i64,
) {
    emit(
        sb,
        display_or_debug(&value, kind, "float"),
        flags,
        fill,
        width,
        precision,
    )
}

/// `rr_fmt_bool(sb, value, kind, flags, fill, width, precision)`.
///
/// # Safety
/// `sb` must be a `String`.
#[no_mangle]
pub unsafe extern "C" fn rr_fmt_bool(
    sb: *mut u8,
    value: u8,
    kind: u64,
    flags: u64,
    fill: u32,
    width: i64,
    precision: i64,
) {
    let b = value != 0;
    emit(
        sb,
        display_or_debug(&b, kind, "bool"),
        flags,
        fill,
        width,
        precision,
    )
}

/// `rr_fmt_char(sb, value, kind, flags, fill, width, precision)`.
///
/// # Safety
/// `sb` must be a `String`.
#[no_mangle]
pub unsafe extern "C" fn rr_fmt_char(
    sb: *mut u8,
    value: u32,
    kind: u64,
    flags: u64,
    fill: u32,
    width: i64,
    precision: i64,
) {
    let c = char::from_u32(value).unwrap_or(char::REPLACEMENT_CHARACTER);
    emit(
        sb,
        display_or_debug(&c, kind, "char"),
        flags,
        fill,
        width,
        precision,
    )
}

/// `rr_fmt_io_error(sb, err, kind, flags, fill, width, precision)`.
///
/// # Safety
/// `sb` must be a `String`, `err` an IoError object.
#[no_mangle]
pub unsafe extern "C" fn rr_fmt_io_error(
    sb: *mut u8,
    err: *const u8,
    kind: u64,
    flags: u64,
    fill: u32,
    width: i64,
    precision: i64,
) {
    let e = io_error_ref(err);
    emit(
        sb,
        display_or_debug(e, kind, "io_error"),
        flags,
        fill,
        width,
        precision,
    )
}

#[cfg(test)]
mod tests;
