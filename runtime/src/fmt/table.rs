//! One `write!` per format spec shape.
//!
//! `format_args!` takes width and precision at run time (`w$`, `p$`) but
//! fill, alignment and the `+`, `#`, `0` flags only as literal text, so every
//! combination is spelled out here (by macro) and the right one picked at
//! run time. Values are passed as trait objects: the trait object's `fmt`
//! receives the very `Formatter` options the spec set, so the output is std's
//! own, byte for byte.

use std::fmt::{self, Binary, Debug, Display, LowerHex, Octal, UpperHex};

/// Fill and alignment of a spec as this table spells them: no alignment,
/// space fill with `<` `^` `>`, or one of the [`SENTINELS`] as fill (which
/// the caller replaces by the real fill char afterwards).
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum FillAlign {
    None,
    Left,
    Center,
    Right,
    S0Left,
    S0Center,
    S0Right,
    S1Left,
    S1Center,
    S1Right,
}

/// Fill chars used when the requested fill is not a space: noncharacters
/// that formatted values practically never contain.
pub const SENTINELS: [char; 2] = ['\u{FDD0}', '\u{FDD1}'];

impl FillAlign {
    /// `align`: 1 `<`, 2 `^`, 3 `>`; `sentinel`: index into [`SENTINELS`].
    pub fn with_sentinel(align: u64, sentinel: Option<usize>) -> FillAlign {
        use FillAlign::*;
        match (sentinel, align) {
            (_, 0) => None,
            (Option::None, 1) => Left,
            (Option::None, 2) => Center,
            (Option::None, _) => Right,
            (Some(0), 1) => S0Left,
            (Some(0), 2) => S0Center,
            (Some(0), _) => S0Right,
            (Some(_), 1) => S1Left,
            (Some(_), 2) => S1Center,
            (Some(_), _) => S1Right,
        }
    }
}

/// A format spec in the shape the table dispatches on.
#[derive(Copy, Clone, Debug)]
pub struct Spec {
    pub fill_align: FillAlign,
    pub plus: bool,
    pub alt: bool,
    pub zero: bool,
    /// 0 when absent (the same as no width).
    pub width: usize,
    pub precision: Option<usize>,
}

macro_rules! spec_arms {
    (@fa $c:tt $s:ident) => {
        match $s.fill_align {
            FillAlign::None => spec_arms!(@sign $c $s [""]),
            FillAlign::Left => spec_arms!(@sign $c $s ["<"]),
            FillAlign::Center => spec_arms!(@sign $c $s ["^"]),
            FillAlign::Right => spec_arms!(@sign $c $s [">"]),
            FillAlign::S0Left => spec_arms!(@sign $c $s ["\u{FDD0}<"]),
            FillAlign::S0Center => spec_arms!(@sign $c $s ["\u{FDD0}^"]),
            FillAlign::S0Right => spec_arms!(@sign $c $s ["\u{FDD0}>"]),
            FillAlign::S1Left => spec_arms!(@sign $c $s ["\u{FDD1}<"]),
            FillAlign::S1Center => spec_arms!(@sign $c $s ["\u{FDD1}^"]),
            FillAlign::S1Right => spec_arms!(@sign $c $s ["\u{FDD1}>"]),
        }
    };
    (@sign $c:tt $s:ident [$($q:literal),*]) => {
        if $s.plus {
            spec_arms!(@alt $c $s [$($q,)* "+"])
        } else {
            spec_arms!(@alt $c $s [$($q),*])
        }
    };
    (@alt $c:tt $s:ident [$($q:literal),*]) => {
        if $s.alt {
            spec_arms!(@zero $c $s [$($q,)* "#"])
        } else {
            spec_arms!(@zero $c $s [$($q),*])
        }
    };
    (@zero $c:tt $s:ident [$($q:literal),*]) => {
        if $s.zero {
            spec_arms!(@prec $c $s [$($q,)* "0"])
        } else {
            spec_arms!(@prec $c $s [$($q),*])
        }
    };
    (@prec ($out:ident, $v:ident, $w:ident, $p:ident, $ty:literal) $s:ident [$($q:literal),*]) => {
        if $s.precision.is_some() {
            write!($out, concat!("{:", $($q,)* "w$.p$", $ty, "}"), $v, w = $w, p = $p)
        } else {
            write!($out, concat!("{:", $($q,)* "w$", $ty, "}"), $v, w = $w)
        }
    };
}

macro_rules! spec_fn {
    ($(#[$doc:meta])* $name:ident, $tr:ident, $ty:literal) => {
        $(#[$doc])*
        pub fn $name(out: &mut dyn fmt::Write, v: &dyn $tr, s: &Spec) -> fmt::Result {
            let w = s.width;
            let p = s.precision.unwrap_or(0);
            spec_arms!(@fa (out, v, w, p, $ty) s)
        }
    };
}

spec_fn!(/// `{}`
    display, Display, "");
spec_fn!(/// `{:?}`
    debug, Debug, "?");
spec_fn!(/// `{:x}`
    lower_hex, LowerHex, "x");
spec_fn!(/// `{:X}`
    upper_hex, UpperHex, "X");
spec_fn!(/// `{:b}`
    binary, Binary, "b");
spec_fn!(/// `{:o}`
    octal, Octal, "o");
