//! The character-level half of the text-form parser: a cursor over the
//! source that skips blanks and `//` comments and reads words, names,
//! literals and numbers, tracking `line:col` for errors. Never panics: the
//! index only moves by whole characters.

use crate::text::{is_word_char, type_name_len};
use std::fmt;

/// A parse failure at a 1-based `line:col` (columns count characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub line: u32,
    pub col: u32,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.col, self.message)
    }
}

impl std::error::Error for ParseError {}

pub type PResult<T> = Result<T, ParseError>;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl Pos {
    pub fn err(self, message: impl Into<String>) -> ParseError {
        ParseError {
            line: self.line,
            col: self.col,
            message: message.into(),
        }
    }
}

pub struct Cursor<'s> {
    src: &'s str,
    i: usize,
    line: u32,
    col: u32,
}

impl<'s> Cursor<'s> {
    pub fn new(src: &'s str) -> Self {
        Cursor {
            src,
            i: 0,
            line: 1,
            col: 1,
        }
    }

    fn rest(&self) -> &'s str {
        self.src.get(self.i..).unwrap_or("")
    }

    pub fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn peek_nth(&self, n: usize) -> Option<char> {
        self.rest().chars().nth(n)
    }

    pub fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.i += c.len_utf8();
        if c == '\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
        Some(c)
    }

    /// Consumes `n` bytes of the rest (a prefix made of whole chars).
    fn take(&mut self, n: usize) -> &'s str {
        let start = self.i;
        while self.i < start + n && self.bump().is_some() {}
        self.src.get(start..self.i).unwrap_or("")
    }

    pub fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            col: self.col,
        }
    }

    pub fn skip_ws(&mut self) {
        loop {
            match self.peek() {
                Some(c) if c.is_whitespace() => {
                    self.bump();
                }
                Some('/') if self.peek_nth(1) == Some('/') => {
                    while !matches!(self.peek(), None | Some('\n')) {
                        self.bump();
                    }
                }
                _ => break,
            }
        }
    }

    /// The position of the next token.
    pub fn here(&mut self) -> Pos {
        self.skip_ws();
        self.pos()
    }

    pub fn at_end(&mut self) -> bool {
        self.skip_ws();
        self.peek().is_none()
    }

    pub fn starts_with(&mut self, s: &str) -> bool {
        self.skip_ws();
        self.rest().starts_with(s)
    }

    /// What the next token looks like, for "found …" in messages.
    fn found(&mut self) -> String {
        self.skip_ws();
        let w = self.peek_word();
        if !w.is_empty() {
            format!("`{w}`")
        } else {
            match self.peek() {
                None => "end of input".into(),
                Some(c) => format!("`{c}`"),
            }
        }
    }

    /// "expected {what}, found …" at the next token.
    pub fn expected(&mut self, what: &str) -> ParseError {
        let found = self.found();
        self.pos().err(format!("expected {what}, found {found}"))
    }

    /// Consumes the punctuation `s` if it comes next.
    pub fn eat(&mut self, s: &str) -> bool {
        if self.starts_with(s) {
            self.take(s.len());
            true
        } else {
            false
        }
    }

    pub fn expect(&mut self, s: &str) -> PResult<()> {
        if self.eat(s) {
            Ok(())
        } else {
            Err(self.expected(&format!("`{s}`")))
        }
    }

    /// The word (`[A-Za-z0-9_]*`) that comes next, not consumed.
    pub fn peek_word(&mut self) -> &'s str {
        self.skip_ws();
        let r = self.rest();
        let n = r.find(|c: char| !is_word_char(c)).unwrap_or(r.len());
        r.get(..n).unwrap_or("")
    }

    /// Consumes the word `w` if it comes next (a whole word).
    pub fn eat_word(&mut self, w: &str) -> bool {
        if self.peek_word() == w {
            self.take(w.len());
            true
        } else {
            false
        }
    }

    pub fn expect_word(&mut self, w: &str) -> PResult<()> {
        if self.eat_word(w) {
            Ok(())
        } else {
            Err(self.expected(&format!("`{w}`")))
        }
    }

    /// A word, which must be there.
    pub fn word(&mut self, what: &str) -> PResult<&'s str> {
        let w = self.peek_word();
        if w.is_empty() {
            return Err(self.expected(what));
        }
        Ok(self.take(w.len()))
    }

    /// A word or a quoted name (fields, runtime functions, hint names).
    pub fn name(&mut self, what: &str) -> PResult<String> {
        if self.starts_with("\"") {
            return self.string_lit();
        }
        Ok(self.word(what)?.to_string())
    }

    /// A graph name: words joined by `::`, or quoted.
    pub fn path(&mut self, what: &str) -> PResult<String> {
        if self.starts_with("\"") {
            return self.string_lit();
        }
        let mut s = self.word(what)?.to_string();
        while self.rest().starts_with("::") {
            self.take(2);
            let w = self.peek_word_here();
            if w.is_empty() {
                return Err(self.expected("a name after `::`"));
            }
            s.push_str("::");
            s.push_str(self.take(w.len()));
        }
        Ok(s)
    }

    /// Like `peek_word`, without skipping blanks first.
    fn peek_word_here(&self) -> &'s str {
        let r = self.rest();
        let n = r.find(|c: char| !is_word_char(c)).unwrap_or(r.len());
        r.get(..n).unwrap_or("")
    }

    /// A heap-type name (`List<u8>`, `(u8, i64)`), or quoted.
    pub fn type_name(&mut self, what: &str) -> PResult<String> {
        if self.starts_with("\"") {
            return self.string_lit();
        }
        let n = type_name_len(self.rest());
        if n == 0 {
            return Err(self.expected(what));
        }
        Ok(self.take(n).to_string())
    }

    /// An unsigned decimal number.
    pub fn uint(&mut self, what: &str) -> PResult<u32> {
        let pos = self.here();
        let r = self.rest();
        let n = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
        if n == 0 {
            return Err(self.expected(what));
        }
        let digits = self.take(n);
        digits
            .parse::<u32>()
            .map_err(|_| pos.err(format!("number `{digits}` is too large")))
    }

    /// A decimal integer with an optional `-` (switch cases).
    pub fn int(&mut self, what: &str) -> PResult<i64> {
        let pos = self.here();
        let neg = self.rest().starts_with('-');
        let r = self.rest().get(usize::from(neg)..).unwrap_or("");
        let n = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
        if n == 0 {
            return Err(self.expected(what));
        }
        let text = self.take(n + usize::from(neg));
        text.parse::<i64>()
            .map_err(|_| pos.err(format!("integer `{text}` is out of range")))
    }

    /// A number with its suffix: `3_usize`, `-1.5e3_f64`, `0x7ff8…_f64bits`
    /// → (`-1.5e3`, `f64`). The cursor is at `-` or a digit.
    pub fn number(&mut self) -> PResult<(&'s str, &'s str)> {
        self.skip_ws();
        let start = self.i;
        if self.peek() == Some('-') {
            self.bump();
        }
        if self.rest().starts_with("0x") {
            self.take(2);
            while self.peek().is_some_and(|c| c.is_ascii_hexdigit()) {
                self.bump();
            }
        } else {
            let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
            if !digit(self.peek()) {
                return Err(self.expected("a number"));
            }
            while digit(self.peek()) {
                self.bump();
            }
            if self.peek() == Some('.') && digit(self.peek_nth(1)) {
                self.bump();
                while digit(self.peek()) {
                    self.bump();
                }
            }
            if matches!(self.peek(), Some('e' | 'E'))
                && (digit(self.peek_nth(1))
                    || (matches!(self.peek_nth(1), Some('+' | '-')) && digit(self.peek_nth(2))))
            {
                self.take(2);
                while digit(self.peek()) {
                    self.bump();
                }
            }
        }
        let text = self.src.get(start..self.i).unwrap_or("");
        if self.peek() != Some('_') {
            return Err(self.expected("a type suffix after the number (`_usize`, `_f64`)"));
        }
        self.bump();
        let suffix = self.peek_word_here();
        if suffix.is_empty() {
            return Err(self.expected("a type suffix after `_`"));
        }
        Ok((text, self.take(suffix.len())))
    }

    /// `"…"` (escapes `\\ \" \' \n \r \t \0 \u{…}`).
    pub fn string_lit(&mut self) -> PResult<String> {
        self.expect("\"")?;
        let mut out = String::new();
        loop {
            let pos = self.pos();
            match self.bump() {
                None | Some('\n') => return Err(pos.err("unterminated string")),
                Some('"') => return Ok(out),
                Some('\\') => out.push(self.char_escape(pos)?),
                Some(c) => out.push(c),
            }
        }
    }

    /// `'c'` with the escapes of strings.
    pub fn char_lit(&mut self) -> PResult<char> {
        let pos = self.here();
        self.expect("'")?;
        let c = match self.bump() {
            None | Some('\n') | Some('\'') => return Err(pos.err("bad character literal")),
            Some('\\') => self.char_escape(pos)?,
            Some(c) => c,
        };
        if self.bump() != Some('\'') {
            return Err(pos.err("unterminated character literal"));
        }
        Ok(c)
    }

    fn char_escape(&mut self, pos: Pos) -> PResult<char> {
        Ok(match self.bump() {
            Some('\\') => '\\',
            Some('"') => '"',
            Some('\'') => '\'',
            Some('n') => '\n',
            Some('r') => '\r',
            Some('t') => '\t',
            Some('0') => '\0',
            Some('u') => {
                let code = self.braced_hex(pos)?;
                char::from_u32(code).ok_or_else(|| pos.err("escape is not a character"))?
            }
            _ => return Err(pos.err("unknown escape")),
        })
    }

    fn braced_hex(&mut self, pos: Pos) -> PResult<u32> {
        if self.bump() != Some('{') {
            return Err(pos.err("expected `{` after `\\u`"));
        }
        let mut v: u32 = 0;
        let mut n = 0;
        loop {
            match self.bump() {
                Some('}') if n > 0 => return Ok(v),
                Some(c) if c.is_ascii_hexdigit() && n < 6 => {
                    v = v * 16 + c.to_digit(16).unwrap_or(0);
                    n += 1;
                }
                _ => return Err(pos.err("bad `\\u{…}` escape")),
            }
        }
    }

    /// `b"…"` (escapes `\\ \" \' \n \r \t \0 \xNN`).
    pub fn byte_string(&mut self) -> PResult<Vec<u8>> {
        self.expect("b\"")?;
        let mut out = vec![];
        loop {
            let pos = self.pos();
            match self.bump() {
                None | Some('\n') => return Err(pos.err("unterminated byte string")),
                Some('"') => return Ok(out),
                Some('\\') => {
                    let b = match self.bump() {
                        Some('\\') => b'\\',
                        Some('"') => b'"',
                        Some('\'') => b'\'',
                        Some('n') => b'\n',
                        Some('r') => b'\r',
                        Some('t') => b'\t',
                        Some('0') => 0,
                        Some('x') => {
                            let hi = self.bump().and_then(|c| c.to_digit(16));
                            let lo = self.bump().and_then(|c| c.to_digit(16));
                            match (hi, lo) {
                                (Some(h), Some(l)) => (h * 16 + l) as u8,
                                _ => return Err(pos.err("bad `\\xNN` escape")),
                            }
                        }
                        _ => return Err(pos.err("unknown escape")),
                    };
                    out.push(b);
                }
                Some(c) if c.is_ascii() => out.push(c as u8),
                Some(c) => {
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
            }
        }
    }
}
