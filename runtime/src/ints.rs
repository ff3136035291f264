//! Integer `pow`: `rr_int_pow(base, exp, ty)` is `base.wrapping_pow(exp)`
//! and `rr_int_pow_overflows(base, exp, ty)` whether `base.checked_pow(exp)`
//! is `None`, for the integer type `ty` = bits | signed << 8 (the base in
//! the low bits of its word, the exponent a `u32`).

macro_rules! by_type {
    ($ty:expr, $base:expr, |$b:ident: $t:ident| $body:expr) => {
        match ($ty & 0xff, $ty >> 8 != 0) {
            (8, true) => {
                type $t = i8;
                let $b = $base as $t;
                $body
            }
            (16, true) => {
                type $t = i16;
                let $b = $base as $t;
                $body
            }
            (32, true) => {
                type $t = i32;
                let $b = $base as $t;
                $body
            }
            (8, false) => {
                type $t = u8;
                let $b = $base as $t;
                $body
            }
            (16, false) => {
                type $t = u16;
                let $b = $base as $t;
                $body
            }
            (32, false) => {
                type $t = u32;
                let $b = $base as $t;
                $body
            }
            (_, true) => {
                type $t = i64;
                let $b = $base as $t;
                $body
            }
            (_, false) => {
                type $t = u64;
                let $b = $base as $t;
                $body
            }
        }
    };
}

/// `base.wrapping_pow(exp)` in the type `ty`, as a word.
// The macro's u64 arm casts a u64 to itself.
#[allow(clippy::unnecessary_cast)]
#[no_mangle]
pub extern "C" fn rr_int_pow(base: u64, exp: u64, ty: u64) -> u64 {
    let e = exp as u32;
    by_type!(ty, base, |b: T| b.wrapping_pow(e) as u64)
}

/// Whether `base.checked_pow(exp)` overflows in the type `ty`.
#[no_mangle]
pub extern "C" fn rr_int_pow_overflows(base: u64, exp: u64, ty: u64) -> u8 {
    let e = exp as u32;
    by_type!(ty, base, |b: T| b.checked_pow(e).is_none() as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pow_is_std_s() {
        let i64t = 64 | 1 << 8;
        assert_eq!(rr_int_pow(3, 4, i64t), 81);
        assert_eq!(rr_int_pow_overflows(3, 4, i64t), 0);
        assert_eq!(rr_int_pow_overflows(2, 63, i64t), 1);
        assert_eq!(rr_int_pow_overflows(-2i64 as u64, 63, i64t), 0);
        assert_eq!(rr_int_pow(2, 8, 8), 0);
        assert_eq!(rr_int_pow_overflows(2, 7, 8), 0);
        assert_eq!(rr_int_pow_overflows(2, 8, 8), 1);
        assert_eq!(rr_int_pow(-3i64 as u64, 3, 32 | 1 << 8) as i32, -27);
        assert_eq!(rr_int_pow_overflows(10, 19, 64), 0);
        assert_eq!(rr_int_pow_overflows(10, 20, 64), 1);
    }
}
