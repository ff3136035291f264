//! The parser of the text form (see the parent module for the format).

use super::fake_gcref;
use crate::ops::{Opcode, Type};
use crate::trace::{Descr, Op, Trace, Value, VirtualObj};
use abi::{ArrayDescr, FieldDescr, IntKind, Kind};
use std::collections::HashMap;
use std::fmt;

/// A parse error at a 1-based line.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ParseError {}

/// Parses the text form of a trace.
pub fn parse(text: &str) -> Result<Trace, ParseError> {
    let mut p = Parser {
        trace: Trace::default(),
        names: HashMap::new(),
    };
    let mut seen_inputs = false;
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let err = |message: String| ParseError {
            line: n + 1,
            message,
        };
        if !seen_inputs {
            seen_inputs = true;
            p.inputs(line).map_err(err)?;
        } else {
            p.op(line).map_err(err)?;
        }
    }
    if !seen_inputs {
        return Err(ParseError {
            line: 1,
            message: "expected the inputs line `[i0, p1, ...]`".into(),
        });
    }
    Ok(p.trace)
}

struct Parser {
    trace: Trace,
    names: HashMap<String, Value>,
}

/// An item between an operation's parentheses.
enum Item {
    Value(Value),
    Descr(Descr),
    Guard(u32),
}

impl Parser {
    fn inputs(&mut self, line: &str) -> Result<(), String> {
        let inner = line
            .strip_prefix('[')
            .and_then(|l| l.strip_suffix(']'))
            .ok_or("expected the inputs line `[i0, p1, ...]`")?;
        for name in inner.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let ty = name_type(name).ok_or_else(|| format!("bad input name `{name}`"))?;
            let v = Value::Input(self.trace.inputs.len() as u32);
            self.define(name, v)?;
            self.trace.inputs.push(ty);
        }
        Ok(())
    }

    fn define(&mut self, name: &str, v: Value) -> Result<(), String> {
        if self.names.insert(name.to_string(), v).is_some() {
            return Err(format!("`{name}` is defined twice"));
        }
        Ok(())
    }

    fn op(&mut self, line: &str) -> Result<(), String> {
        let open = line.find('(').ok_or("expected `name(...)`")?;
        let (result, opname) = match line[..open].split_once('=') {
            Some((r, o)) => (Some(r.trim()), o.trim()),
            None => (None, line[..open].trim()),
        };
        let opcode =
            Opcode::from_name(opname).ok_or_else(|| format!("unknown operation `{opname}`"))?;
        let mut cur = Cursor {
            s: line,
            pos: open + 1,
        };
        let mut op = Op::new(opcode, Vec::new());
        let mut have_descr = false;
        cur.skip_ws();
        if !cur.eat(')') {
            loop {
                cur.skip_ws();
                match self.item(&mut cur)? {
                    Item::Value(v) if !have_descr => op.args.push(v),
                    Item::Value(_) => return Err("argument after the descr".into()),
                    _ if have_descr => return Err("two descrs".into()),
                    Item::Descr(d) => {
                        have_descr = true;
                        op.descr = d;
                    }
                    Item::Guard(n) => {
                        have_descr = true;
                        op.resume = n;
                    }
                }
                cur.skip_ws();
                if cur.eat(')') {
                    break;
                }
                if !cur.eat(',') {
                    return Err(format!("expected `,` or `)` at column {}", cur.pos + 1));
                }
            }
        }
        cur.skip_ws();
        if cur.eat('[') {
            cur.skip_ws();
            if !cur.eat(']') {
                loop {
                    cur.skip_ws();
                    let v = self.value(&mut cur)?;
                    op.fail_args.push(v);
                    cur.skip_ws();
                    if cur.eat(']') {
                        break;
                    }
                    if !cur.eat(',') {
                        return Err(format!("expected `,` or `]` at column {}", cur.pos + 1));
                    }
                }
            }
            cur.skip_ws();
        }
        while cur.rest().starts_with("virtual(") {
            cur.pos += "virtual(".len();
            op.virtuals.push(virtual_obj(&mut cur)?);
            cur.skip_ws();
        }
        if !cur.rest().is_empty() {
            return Err(format!("unexpected `{}`", cur.rest()));
        }
        let arity = opcode.arity();
        if arity >= 0 && op.args.len() != arity as usize {
            return Err(format!(
                "`{opname}` takes {arity} arguments, not {}",
                op.args.len()
            ));
        }
        let ty = opcode.result();
        match (result, ty) {
            (None, Type::Void) => {}
            (Some(r), Type::Void) => return Err(format!("`{opname}` has no result (`{r}`)")),
            (None, _) => return Err(format!("`{opname}` needs a result name")),
            (Some(r), ty) => {
                if name_type(r) != Some(ty) {
                    return Err(format!(
                        "result `{r}` of `{opname}` should be named `{}N`",
                        super::prefix(ty)
                    ));
                }
                self.define(r, Value::Op(self.trace.ops.len() as u32))?;
            }
        }
        self.trace.ops.push(op);
        Ok(())
    }

    fn item(&mut self, cur: &mut Cursor) -> Result<Item, String> {
        if cur.rest().starts_with("descr=") {
            cur.pos += "descr=".len();
            return descr(cur);
        }
        if cur.peek() == Some('\'') {
            return Ok(Item::Descr(Descr::Text(quoted(cur)?)));
        }
        self.value(cur).map(Item::Value)
    }

    fn value(&mut self, cur: &mut Cursor) -> Result<Value, String> {
        if cur.rest().starts_with("ConstPtr(") {
            cur.pos += "ConstPtr(".len();
            let tok = cur.token();
            let n: u32 = tok
                .strip_prefix("ptr")
                .and_then(|d| d.parse().ok())
                .ok_or_else(|| format!("bad `ConstPtr({tok}`"))?;
            if !cur.eat(')') {
                return Err("expected `)` after `ConstPtr(ptrN`".into());
            }
            while self.trace.gcrefs.len() <= n as usize {
                let i = self.trace.gcrefs.len() as u32;
                self.trace.gcrefs.push(fake_gcref(i));
            }
            return Ok(Value::ConstRef(n));
        }
        let tok = cur.token();
        if tok.is_empty() {
            return Err(format!("expected a value at column {}", cur.pos + 1));
        }
        if tok == "NULL" {
            return Ok(Value::Null);
        }
        if name_type(tok).is_some() {
            return self
                .names
                .get(tok)
                .copied()
                .ok_or_else(|| format!("`{tok}` is not defined"));
        }
        float_const(tok)
            .map(Value::ConstFloat)
            .or_else(|| tok.parse::<i64>().ok().map(Value::ConstInt))
            .ok_or_else(|| format!("bad value `{tok}`"))
    }
}

/// A float constant's bits, if `tok` is one.
fn float_const(tok: &str) -> Option<u64> {
    match tok {
        "inf" => return Some(f64::INFINITY.to_bits()),
        "-inf" => return Some(f64::NEG_INFINITY.to_bits()),
        "nan" => return Some(f64::NAN.to_bits()),
        _ => {}
    }
    if let Some(hex) = tok.strip_prefix("nan_0x") {
        let bits = u64::from_str_radix(hex, 16).ok()?;
        return f64::from_bits(bits).is_nan().then_some(bits);
    }
    if tok.contains(['.', 'e', 'E']) {
        return tok.parse::<f64>().ok().map(f64::to_bits);
    }
    None
}

/// The type a value name (`i3`, `p0`, `f12`) stands for.
fn name_type(name: &str) -> Option<Type> {
    let mut chars = name.chars();
    let ty = match chars.next()? {
        'i' => Type::Int,
        'p' => Type::Ref,
        'f' => Type::Float,
        'v' => Type::Void,
        _ => return None,
    };
    let digits = chars.as_str();
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then_some(ty)
}

fn descr(cur: &mut Cursor) -> Result<Item, String> {
    if !cur.eat('<') {
        return Err("expected `<` after `descr=`".into());
    }
    let start = cur.pos;
    let mut depth = 1;
    loop {
        match cur.next() {
            None => return Err("unterminated descr".into()),
            Some('<') => depth += 1,
            Some('>') => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            Some(_) => {}
        }
    }
    let body = &cur.s[start..cur.pos - 1];
    let words: Vec<&str> = body.split_whitespace().collect();
    let num = |i: usize| -> Result<u32, String> {
        words
            .get(i)
            .and_then(|w| w.parse().ok())
            .ok_or_else(|| format!("bad descr `<{body}>`"))
    };
    let kind = |i: usize| -> Result<Kind, String> {
        words
            .get(i)
            .and_then(|w| parse_kind(w))
            .ok_or_else(|| format!("bad kind in descr `<{body}>`"))
    };
    let exact = |n: usize| -> Result<(), String> {
        if words.len() == n {
            Ok(())
        } else {
            Err(format!("bad descr `<{body}>`"))
        }
    };
    let d = match words.first().copied() {
        Some("Field") => {
            exact(3)?;
            Descr::Field(FieldDescr {
                offset: num(1)?,
                kind: kind(2)?,
            })
        }
        Some("Array") => {
            let item = kind(1)?;
            let item_size = if words.len() == 3 {
                num(2)?
            } else {
                exact(2)?;
                item.bytes()
            };
            Descr::Array(ArrayDescr { item, item_size })
        }
        Some("Size") => {
            exact(3)?;
            Descr::Size {
                type_id: num(1)?,
                size: num(2)?,
            }
        }
        Some("ArrayAlloc") => {
            exact(3)?;
            Descr::ArrayAlloc {
                type_id: num(1)?,
                item_size: num(2)?,
            }
        }
        // The callee's name after the number is for readers only.
        Some("Call") => Descr::Call(num(1)?),
        Some("Target") => Descr::Target(num(1)?),
        Some("Body") => Descr::Body(num(1)?),
        Some("Restart") => Descr::Restart(num(1)?),
        Some("IntKind") => {
            exact(2)?;
            match kind(1)? {
                Kind::Int(k) => Descr::IntKind(k),
                _ => return Err(format!("bad int kind in `<{body}>`")),
            }
        }
        Some("Guard") => {
            exact(2)?;
            return Ok(Item::Guard(num(1)?));
        }
        _ => return Err(format!("unknown descr `<{body}>`")),
    };
    Ok(Item::Descr(d))
}

/// `#slot, descr=<Size T S>, <Field O K>=#k, ...)` of a `virtual(...)`.
fn virtual_obj(cur: &mut Cursor) -> Result<VirtualObj, String> {
    let slot = fail_index(cur)?;
    let sep = |cur: &mut Cursor| {
        cur.skip_ws();
        let more = cur.eat(',');
        cur.skip_ws();
        more
    };
    if !sep(cur) || !cur.rest().starts_with("descr=") {
        return Err("expected `, descr=<Size T S>` in `virtual(...)`".into());
    }
    cur.pos += "descr=".len();
    let Item::Descr(Descr::Size { type_id, size }) = descr(cur)? else {
        return Err("a virtual's descr is `<Size T S>`".into());
    };
    let mut fields = Vec::new();
    while sep(cur) {
        let Item::Descr(Descr::Field(fd)) = descr(cur)? else {
            return Err("expected `<Field O K>=#n` in `virtual(...)`".into());
        };
        if !cur.eat('=') {
            return Err("expected `=#n` after a virtual's field".into());
        }
        fields.push((fd, fail_index(cur)?));
    }
    if !cur.eat(')') {
        return Err("expected `)` after `virtual(...`".into());
    }
    Ok(VirtualObj {
        slot,
        type_id,
        size,
        fields,
    })
}

/// `#n`: fail arg `n`.
fn fail_index(cur: &mut Cursor) -> Result<u32, String> {
    if !cur.eat('#') {
        return Err(format!("expected `#n` at column {}", cur.pos + 1));
    }
    let tok = cur.token();
    tok.parse()
        .map_err(|_| format!("bad fail arg index `#{tok}`"))
}

fn parse_kind(w: &str) -> Option<Kind> {
    match w {
        "ref" => return Some(Kind::Ref),
        "float" => return Some(Kind::Float),
        _ => {}
    }
    let signed = match w.as_bytes().first()? {
        b'i' => true,
        b'u' => false,
        _ => return None,
    };
    let bits: u8 = w[1..].parse().ok()?;
    matches!(bits, 8 | 16 | 32 | 64).then_some(Kind::Int(IntKind::new(bits, signed)))
}

fn quoted(cur: &mut Cursor) -> Result<String, String> {
    cur.next(); // the opening quote
    let mut out = String::new();
    loop {
        match cur.next() {
            None => return Err("unterminated string".into()),
            Some('\'') => return Ok(out),
            Some('\\') => match cur.next() {
                Some('n') => out.push('\n'),
                Some(c @ ('\'' | '\\')) => out.push(c),
                _ => return Err("bad escape in string".into()),
            },
            Some(c) => out.push(c),
        }
    }
}

/// A position in one line.
struct Cursor<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn rest(&self) -> &'a str {
        &self.s[self.pos..]
    }
    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }
    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }
    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }
    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.next();
        }
    }
    /// A run of name/number characters.
    fn token(&mut self) -> &'a str {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '+'))
        {
            self.next();
        }
        &self.s[start..self.pos]
    }
}
