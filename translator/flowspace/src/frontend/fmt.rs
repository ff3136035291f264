//! Format strings (`"x = {x}, {:>8.3}"`) -> pieces and argument references.
//! Written from the grammar of `std::fmt`; what cannot be done exactly is
//! rejected (`{:e}`, `{:width$}`, `{:.*}`, ...).

use crate::model::{FmtAlign, FmtKind, FmtSpec};

/// Which argument a `{...}` takes.
#[derive(Clone, Debug, PartialEq)]
pub enum ArgRef {
    /// `{}`: the next positional argument.
    Next,
    /// `{0}`
    Index(usize),
    /// `{name}`: a named argument or a captured variable.
    Name(String),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Piece {
    Lit(String),
    Arg(ArgRef, FmtSpec),
}

/// A problem in a format string: the message and the char range of the
/// offending `{...}` in the string's value.
#[derive(Clone, Debug, PartialEq)]
pub struct FmtError {
    pub message: String,
    pub start: usize,
    pub end: usize,
}

/// Parses a format string.
pub fn parse_format_string(s: &str) -> Result<Vec<Piece>, FmtError> {
    let mut out = Vec::new();
    let mut lit = String::new();
    let mut chars = s.chars().enumerate().map(|(i, c)| (c, i)).peekable();
    let err = |message: String, start: usize, end: usize| FmtError {
        message,
        start,
        end,
    };
    while let Some((c, pos)) = chars.next() {
        match c {
            '{' if chars.peek().map(|p| p.0) == Some('{') => {
                chars.next();
                lit.push('{');
            }
            '}' if chars.peek().map(|p| p.0) == Some('}') => {
                chars.next();
                lit.push('}');
            }
            '}' => {
                return Err(err(
                    "unmatched `}` in a format string (write `}}` for a literal brace)".into(),
                    pos,
                    pos + 1,
                ))
            }
            '{' => {
                let mut inner = String::new();
                let mut closed = None;
                for (c, p) in chars.by_ref() {
                    if c == '}' {
                        closed = Some(p);
                        break;
                    }
                    inner.push(c);
                }
                let Some(close) = closed else {
                    return Err(err(
                        "unclosed `{` in a format string (write `{{` for a literal brace)".into(),
                        pos,
                        pos + 1,
                    ));
                };
                if !lit.is_empty() {
                    out.push(Piece::Lit(std::mem::take(&mut lit)));
                }
                let (arg, spec) = match inner.find(':') {
                    Some(i) => (&inner[..i], &inner[i + 1..]),
                    None => (inner.as_str(), ""),
                };
                let piece = parse_arg(arg).and_then(|a| Ok(Piece::Arg(a, parse_spec(spec)?)));
                out.push(piece.map_err(|m| err(m, pos, close + 1))?);
            }
            c => lit.push(c),
        }
    }
    if !lit.is_empty() {
        out.push(Piece::Lit(lit));
    }
    Ok(out)
}

fn parse_arg(a: &str) -> Result<ArgRef, String> {
    let a = a.trim();
    if a.is_empty() {
        return Ok(ArgRef::Next);
    }
    if a.chars().all(|c| c.is_ascii_digit()) {
        return a
            .parse()
            .map(ArgRef::Index)
            .map_err(|_| format!("bad argument index `{a}`"));
    }
    let mut cs = a.chars();
    let first_ok = cs.next().is_some_and(|c| c.is_alphabetic() || c == '_');
    if first_ok && cs.all(|c| c.is_alphanumeric() || c == '_') {
        return Ok(ArgRef::Name(a.to_string()));
    }
    Err(format!(
        "`{{{a}}}` is not supported in format strings; write `{{}}`, `{{0}}` or `{{name}}`"
    ))
}

fn parse_spec(s: &str) -> Result<FmtSpec, String> {
    let mut spec = FmtSpec::default();
    let cs: Vec<char> = s.chars().collect();
    let mut i = 0;
    let align_of = |c: char| match c {
        '<' => Some(FmtAlign::Left),
        '^' => Some(FmtAlign::Center),
        '>' => Some(FmtAlign::Right),
        _ => None,
    };
    if cs.len() >= 2 {
        if let Some(a) = align_of(cs[1]) {
            spec.fill = cs[0];
            spec.align = a;
            i = 2;
        }
    }
    if i == 0 {
        if let Some(a) = cs.first().and_then(|c| align_of(*c)) {
            spec.align = a;
            i = 1;
        }
    }
    if cs.get(i) == Some(&'+') {
        spec.plus = true;
        i += 1;
    } else if cs.get(i) == Some(&'-') {
        return Err("the `-` flag in format specs is not supported; remove it".into());
    }
    if cs.get(i) == Some(&'#') {
        spec.alternate = true;
        i += 1;
    }
    if cs.get(i) == Some(&'0') {
        spec.zero_pad = true;
        i += 1;
    }
    let digits = |i: &mut usize| -> Result<Option<u32>, String> {
        let start = *i;
        while *i < cs.len() && cs[*i].is_ascii_digit() {
            *i += 1;
        }
        if *i == start {
            Ok(None)
        } else {
            let text: String = cs[start..*i].iter().collect();
            match text.parse::<u32>() {
                Ok(n) if n <= u16::MAX as u32 => Ok(Some(n)),
                _ => Err(format!("the width or precision `{text}` is too large")),
            }
        }
    };
    let w = digits(&mut i)?;
    if cs.get(i) == Some(&'$')
        || (w.is_none()
            && cs.get(i).is_some_and(|c| c.is_alphabetic() || *c == '_')
            && cs[i..].contains(&'$'))
    {
        return Err("widths taken from arguments (`{:width$}`) are not supported; write the width as a number".into());
    }
    spec.width = w;
    if cs.get(i) == Some(&'.') {
        i += 1;
        if cs.get(i) == Some(&'*') {
            return Err("`{:.*}` is not supported; write the precision as a number".into());
        }
        let p = digits(&mut i)?;
        if p.is_none() || cs.get(i) == Some(&'$') {
            return Err("the precision must be a number (`{:.3}`)".into());
        }
        spec.precision = p;
    }
    let rest: String = cs[i.min(cs.len())..].iter().collect();
    spec.kind = match rest.as_str() {
        "" => FmtKind::Display,
        "?" => FmtKind::Debug,
        "x" => FmtKind::LowerHex,
        "X" => FmtKind::UpperHex,
        "b" => FmtKind::Binary,
        "o" => FmtKind::Octal,
        "e" | "E" => {
            return Err("scientific notation (`{:e}`) is not supported in format strings".into())
        }
        other => {
            return Err(format!(
                "the format type `{other}` (in `{{:{s}}}`) is not supported in format strings"
            ))
        }
    };
    Ok(spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_escapes() {
        let p = parse_format_string("a{{b}}c {} {x} {0}").unwrap();
        assert_eq!(p[0], Piece::Lit("a{b}c ".into()));
        assert_eq!(p[1], Piece::Arg(ArgRef::Next, FmtSpec::default()));
        assert_eq!(
            p[3],
            Piece::Arg(ArgRef::Name("x".into()), FmtSpec::default())
        );
        assert_eq!(p[5], Piece::Arg(ArgRef::Index(0), FmtSpec::default()));
    }

    #[test]
    fn full_spec() {
        let p = parse_format_string("{:*^+#010.3x}").unwrap();
        let Piece::Arg(_, s) = &p[0] else { panic!() };
        assert_eq!(s.fill, '*');
        assert_eq!(s.align, FmtAlign::Center);
        assert!(s.plus && s.alternate && s.zero_pad);
        assert_eq!(s.width, Some(10));
        assert_eq!(s.precision, Some(3));
        assert_eq!(s.kind, FmtKind::LowerHex);
        let p = parse_format_string("{:>5}{:<3?}{:05}").unwrap();
        let Piece::Arg(_, s) = &p[2] else { panic!() };
        assert!(s.zero_pad);
        assert_eq!(s.width, Some(5));
    }

    #[test]
    fn rejects() {
        for bad in [
            "{:e}", "{:w$}", "{:1$}", "{:.*}", "{", "}", "{:x?}", "{a.b}",
        ] {
            assert!(
                parse_format_string(bad).is_err(),
                "{bad} should be rejected"
            );
        }
    }
}
