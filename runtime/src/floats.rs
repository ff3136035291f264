//! The `f64` methods, computed by std itself so that every result (NaN
//! handling of `min`/`max`, rounding of `round`) is the untranslated one.

/// `rr_f64_unary(x, op)`: `sqrt` (0), `abs`, `floor`, `ceil`, `round`,
/// `trunc`, `fract`, `exp`, `ln`, `log10`, `log2`, `sin`, `cos`, `tan`,
/// `signum` (14), the order of the annotator's `float_unary`.
#[no_mangle]
pub extern "C" fn rr_f64_unary(x: f64, op: u64) -> f64 {
    match op {
        0 => x.sqrt(),
        1 => x.abs(),
        2 => x.floor(),
        3 => x.ceil(),
        4 => x.round(),
        5 => x.trunc(),
        6 => x.fract(),
        7 => x.exp(),
        8 => x.ln(),
        9 => x.log10(),
        10 => x.log2(),
        11 => x.sin(),
        12 => x.cos(),
        13 => x.tan(),
        _ => x.signum(),
    }
}

/// `rr_f64_binary(x, y, op)`: `powf` (0), `min`, `max`, `atan2`, `hypot`.
#[no_mangle]
pub extern "C" fn rr_f64_binary(x: f64, y: f64, op: u64) -> f64 {
    match op {
        0 => x.powf(y),
        1 => x.min(y),
        2 => x.max(y),
        3 => x.atan2(y),
        _ => x.hypot(y),
    }
}

/// `rr_f64_test(x, op)`: `is_nan` (0), `is_finite`, `is_infinite`,
/// `is_sign_negative`.
#[no_mangle]
pub extern "C" fn rr_f64_test(x: f64, op: u64) -> u8 {
    (match op {
        0 => x.is_nan(),
        1 => x.is_finite(),
        2 => x.is_infinite(),
        _ => x.is_sign_negative(),
    }) as u8
}

/// `rr_f64_powi(x, n)`: `x.powi(n)`.
#[no_mangle]
pub extern "C" fn rr_f64_powi(x: f64, n: i32) -> f64 {
    x.powi(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_are_std_s() {
        assert_eq!(rr_f64_unary(2.25, 0), 1.5);
        assert_eq!(rr_f64_unary(-2.5, 4), -3.0);
        assert_eq!(rr_f64_binary(f64::NAN, 1.0, 1), 1.0);
        assert_eq!(rr_f64_binary(2.0, 10.0, 0), 1024.0);
        assert_eq!(rr_f64_test(f64::NAN, 0), 1);
        assert_eq!(rr_f64_test(-0.0, 3), 1);
        assert_eq!(rr_f64_powi(1.5, 2), 2.25);
    }
}
