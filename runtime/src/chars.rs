//! The `char` methods that need Unicode tables or std's exact rules.

/// The char whose code is `c` (generated code only passes valid ones).
fn ch(c: u32) -> char {
    char::from_u32(c).unwrap_or('\0')
}

/// `rr_char_class(c, class)`: `c.is_whitespace()` (0), `is_alphabetic` (1),
/// `is_numeric` (2), `is_alphanumeric` (3), `is_uppercase` (4),
/// `is_lowercase` (5), `is_control` (6).
#[no_mangle]
pub extern "C" fn rr_char_class(c: u32, class: u64) -> u8 {
    let c = ch(c);
    (match class {
        0 => c.is_whitespace(),
        1 => c.is_alphabetic(),
        2 => c.is_numeric(),
        3 => c.is_alphanumeric(),
        4 => c.is_uppercase(),
        5 => c.is_lowercase(),
        _ => c.is_control(),
    }) as u8
}

/// `rr_char_ascii_case(c, upper)`: `to_ascii_uppercase` (1) or
/// `to_ascii_lowercase` (0).
#[no_mangle]
pub extern "C" fn rr_char_ascii_case(c: u32, upper: u64) -> u32 {
    let c = ch(c);
    (if upper != 0 {
        c.to_ascii_uppercase()
    } else {
        c.to_ascii_lowercase()
    }) as u32
}

/// `rr_char_to_digit(c, radix)`: the digit, or -1 for `None` (the radix
/// is 2..=36, checked by the translator).
#[no_mangle]
pub extern "C" fn rr_char_to_digit(c: u32, radix: u64) -> i64 {
    match ch(c).to_digit(radix.clamp(2, 36) as u32) {
        Some(d) => d as i64,
        None => -1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_case_and_digits_follow_std() {
        assert_eq!(rr_char_class(' ' as u32, 0), 1);
        assert_eq!(rr_char_class('\u{2003}' as u32, 0), 1);
        assert_eq!(rr_char_class('é' as u32, 1), 1);
        assert_eq!(rr_char_class('٣' as u32, 2), 1);
        assert_eq!(rr_char_class('x' as u32, 4), 0);
        assert_eq!(rr_char_ascii_case('q' as u32, 1), 'Q' as u32);
        assert_eq!(rr_char_ascii_case('é' as u32, 1), 'é' as u32);
        assert_eq!(rr_char_to_digit('f' as u32, 16), 15);
        assert_eq!(rr_char_to_digit('8' as u32, 8), -1);
    }
}
