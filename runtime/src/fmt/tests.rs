//! Every `rr_fmt_*` against `format!` of the same value and spec.

use super::*;
use crate::testutil::{lock, string, text};

/// The five spec words of a `format!` spec such as `*^+#08.3x`, parsed the
/// way the rtyper is meant to pass them (independently of `emit`).
fn words(spec: &str) -> (u64, u64, u32, i64, i64) {
    let cs: Vec<char> = spec.chars().collect();
    let mut i = 0;
    let align_of = |c: char| match c {
        '<' => Some(1u64),
        '^' => Some(2),
        '>' => Some(3),
        _ => None,
    };
    let (mut fill, mut flags) = (' ', 0u64);
    if cs.len() >= 2 && align_of(cs[1]).is_some() {
        fill = cs[0];
        flags |= align_of(cs[1]).unwrap() << 4;
        i = 2;
    } else if !cs.is_empty() && align_of(cs[0]).is_some() {
        flags |= align_of(cs[0]).unwrap() << 4;
        i = 1;
    }
    if cs.get(i) == Some(&'+') {
        flags |= 1;
        i += 1;
    }
    if cs.get(i) == Some(&'#') {
        flags |= 2;
        i += 1;
    }
    if cs.get(i) == Some(&'0') {
        flags |= 4;
        i += 1;
    }
    let num = |i: &mut usize| {
        let start = *i;
        while *i < cs.len() && cs[*i].is_ascii_digit() {
            *i += 1;
        }
        let s: String = cs[start..*i].iter().collect();
        if s.is_empty() {
            -1
        } else {
            s.parse::<i64>().unwrap()
        }
    };
    let width = num(&mut i);
    let mut precision = -1;
    if cs.get(i) == Some(&'.') {
        i += 1;
        precision = num(&mut i);
    }
    let kind = match cs.get(i) {
        None => 0,
        Some('?') => 1,
        Some('x') => 2,
        Some('X') => 3,
        Some('b') => 4,
        Some('o') => 5,
        Some(c) => panic!("bad spec type {c}"),
    };
    (kind, flags, fill as u32, width, precision)
}

/// Runs one rr_fmt_* call on a builder that already holds a prefix.
fn run(spec: &str, f: impl FnOnce(*mut u8, u64, u64, u32, i64, i64)) -> String {
    let sb = string("<");
    let (kind, flags, fill, width, precision) = words(spec);
    f(sb, kind, flags, fill, width, precision);
    let t = text(sb);
    t.strip_prefix('<').expect("prefix kept").to_string()
}

trait TestInt: Copy {
    fn bits(self) -> u64;
    fn int_kind() -> u64;
}

macro_rules! test_int {
    ($($t:ty => $k:expr),*) => {$(
        impl TestInt for $t {
            fn bits(self) -> u64 { self as i128 as u64 }
            fn int_kind() -> u64 { $k }
        }
    )*};
}
test_int!(u8 => 8, u16 => 16, u32 => 32, u64 => 64, usize => 64,
          i8 => 0x108, i16 => 0x110, i32 => 0x120, i64 => 0x140, isize => 0x140);

fn int_case<T: TestInt>(v: T, spec: &str) -> String {
    run(spec, |sb, k, f, fill, w, p| unsafe {
        rr_fmt_int(sb, v.bits(), T::int_kind(), k, f, fill, w, p)
    })
}

fn str_case(v: &str, spec: &str) -> String {
    let s = string(v);
    run(spec, |sb, k, f, fill, w, p| unsafe {
        rr_fmt_str(sb, s, k, f, fill, w, p)
    })
}

fn float_case(v: f64, spec: &str) -> String {
    run(spec, |sb, k, f, fill, w, p| unsafe {
        rr_fmt_float(sb, v, k, f, fill, w, p)
    })
}

fn bool_case(v: bool, spec: &str) -> String {
    run(spec, |sb, k, f, fill, w, p| unsafe {
        rr_fmt_bool(sb, v as u8, k, f, fill, w, p)
    })
}

fn char_case(v: char, spec: &str) -> String {
    run(spec, |sb, k, f, fill, w, p| unsafe {
        rr_fmt_char(sb, v as u32, k, f, fill, w, p)
    })
}

/// Checks `case(value, spec)` against `format!` for each literal spec.
macro_rules! check {
    ($case:ident, $v:expr; $($spec:literal)*) => {$(
        assert_eq!(
            $case($v, $spec),
            format!(concat!("{:", $spec, "}"), $v),
            "value {:?} spec {:?}", $v, $spec
        );
    )*};
}

macro_rules! check_ints {
    ($($v:expr),*) => {$(
        check!(int_case, $v; "" "?" "5" "<5" "^5" ">5" "*^7" "é<6" "0>6" "+" "+5" "05" "+08"
            "-<4" "x" "X" "#x" "#X" "08x" "#010x" "#010b" "b" "#b" "o" "#o" "#12o" "_^+#12x"
            ".3" "8.2" "+.1" "#?" "+08?" "😀>9" "1" "0" "<0" "30");
    )*};
}

#[test]
fn fmt_int_matches_format() {
    let _g = lock();
    check_ints!(
        0u8,
        7u8,
        255u8,
        0i8,
        -1i8,
        -128i8,
        127i8,
        65535u16,
        -300i16,
        12345u32,
        -1i32,
        i32::MIN,
        u64::MAX,
        0u64,
        i64::MIN,
        i64::MAX,
        -42i64,
        usize::MAX,
        -7isize
    );
}

#[test]
fn fmt_float_matches_format() {
    let _g = lock();
    for v in [
        1.0,
        0.1,
        1e21,
        1e-7,
        -0.0,
        0.0,
        f64::NAN,
        f64::INFINITY,
        -f64::INFINITY,
        2.0 / 3.0,
        -1.5,
        123456789.125,
        1e300,
        5e-324,
        0.3,
        100.0,
        1e15,
        1e16,
        -2.5e-5,
    ] {
        check!(float_case, v; "" "?" "10" "<10" "^10" ">10" "*^11" "+" "+10" "010" "+010"
            ".0" ".1" ".3" "10.3" "+.2" "08.2" "-^12.4" "?" "#?" "12?" "+?" ".2?" "010?" "#<9"
            ".20" "0<8");
    }
}

#[test]
fn fmt_str_matches_format() {
    let _g = lock();
    for v in [
        "",
        "hello",
        "héllo wörld",
        "quote\"s and 'single'",
        "back\\slash",
        "tab\tnl\ncr\r nul\0 bell\u{7} del\u{7f}",
        "\u{200b}zero width \u{301} combining",
        "emoji 😀 and \u{10ffff}",
        "日本語",
    ] {
        check!(str_case, v; "" "?" "12" "<12" "^12" ">12" "*^13" "😀<9" ".3" "8.2" "-^9.1"
            "12?" ">12?" "#?" "0" "05" "+" "#" "1" ".0" "=>30");
    }
}

#[test]
fn fmt_bool_and_char_match_format() {
    let _g = lock();
    for v in [true, false] {
        check!(bool_case, v; "" "?" "7" "<7" "^7" ">7" "*^8" "07" "+" ".2" "3");
    }
    for v in [
        'a',
        'é',
        '\'',
        '"',
        '\\',
        '\n',
        '\0',
        '\u{7f}',
        '😀',
        '\u{301}',
        '\u{10ffff}',
    ] {
        check!(char_case, v; "" "?" "4" "<4" "^4" ">4" "*^5" "04" ".0" "4?" ">4?" "#?" "+");
    }
}

#[test]
fn fmt_io_error_matches_format() {
    let _g = lock();
    let missing = "/nonexistent-rrruntime-dir/file";
    unsafe {
        assert!(crate::io::rr_fs_read(string(missing)).is_null());
        let e = crate::io::rr_take_io_error();
        let want = std::fs::read(missing).unwrap_err();
        let case = |spec: &str| {
            run(spec, |sb, k, f, fill, w, p| {
                rr_fmt_io_error(sb, e, k, f, fill, w, p)
            })
        };
        // Debug pads the inner fields, so a non-space fill must land there.
        for (spec, expected) in [
            ("", format!("{want}")),
            ("?", format!("{want:?}")),
            ("50", format!("{want:50}")),
            ("*<60?", format!("{want:*<60?}")),
            ("#?", format!("{want:#?}")),
            ("->45", format!("{want:->45}")),
        ] {
            assert_eq!(case(spec), expected, "spec {spec:?}");
        }
    }
}

#[test]
fn fmt_fill_when_value_holds_the_sentinels() {
    let _g = lock();
    let v = "a\u{FDD0}b\u{FDD1}c";
    check!(str_case, v; "*^12" "*<12" "*>12" "\u{FDD0}^12" "?" "*^12?");
    check!(str_case, "\u{FDD0}"; "\u{FDD1}>4" "\u{FDD0}>4");
}

#[test]
fn fmt_spec_words_parse_as_documented() {
    // The test's own parser, checked against the ABI's encoding.
    assert_eq!(words(""), (0, 0, 32, -1, -1));
    assert_eq!(
        words("*^+#08.3x"),
        (2, 1 | 2 | 4 | (2 << 4), '*' as u32, 8, 3)
    );
    assert_eq!(words("<5?"), (1, 1 << 4, 32, 5, -1));
    assert_eq!(words(".0"), (0, 0, 32, -1, 0));
}
