//! The parser of the text form of low-level programs (`dump.rs`
//! describes the format): recursive descent over `parse_lex::Cursor`.
//!
//! Types, prebuilts, graphs and blocks may be used before they are
//! defined, so the text is parsed twice by the same code: the first pass
//! only records the declarations (names in order; every reference resolves
//! to a placeholder, so only syntax errors show), the second resolves
//! every name against them and builds the program. Checking types is the
//! verifier's job; the parser only rejects what it cannot build: unknown
//! ops, types, fields, graphs, blocks, prebuilts and undefined variables.
//! `parse_graph.rs` holds the graphs' half.

use crate::llgraph::*;
use crate::lltype::{new_type_table, GcTypeDef, GcTypeId, GcTypeKind, GcTypes, LLType};
pub use crate::parse_lex::ParseError;
use crate::parse_lex::{Cursor, PResult, Pos};
use cranelift_entity::PrimaryMap;
use flowspace::model::{FnHints, IntTy, Var};
use std::collections::{HashMap, HashSet};

/// Variable numbers above this are refused (each number up to the
/// largest becomes an entry of the graph's variable table).
const MAX_VAR: u32 = 1 << 20;

/// Parses a whole program written by `dump::program_to_text` or by hand.
pub fn parse_program(src: &str) -> Result<LLProgram, ParseError> {
    let mut first = Parser::new(src, None);
    first.program()?;
    let decls = first.found;
    decls.check_unique()?;
    let mut second = Parser::new(src, Some(decls));
    second.program()?;
    second.finish()
}

/// What a heap type's references need to know of it.
#[derive(Clone)]
pub(crate) enum Shape {
    Struct(Vec<String>),
    Array,
    Opaque,
}

/// The declarations, in order, as the first pass finds them.
#[derive(Clone, Default)]
pub(crate) struct Decls {
    /// The well-known types first.
    pub(crate) types: Vec<(String, Shape)>,
    /// Written prebuilt numbers.
    pub(crate) prebuilts: Vec<(u32, Pos)>,
    pub(crate) graphs: Vec<(String, Pos)>,
    /// Written block numbers, per graph.
    pub(crate) blocks: Vec<Vec<(u32, Pos)>>,
}

impl Decls {
    fn with_well_known() -> Decls {
        let types = new_type_table()
            .values()
            .map(|d| (d.name.clone(), shape(d)))
            .collect();
        Decls {
            types,
            ..Decls::default()
        }
    }

    fn check_unique(&self) -> PResult<()> {
        let mut seen = HashSet::new();
        for (n, pos) in &self.graphs {
            if !seen.insert(n.as_str()) {
                return Err(pos.err(format!("graph `{n}` is defined twice")));
            }
        }
        let mut seen = HashSet::new();
        for (n, pos) in &self.prebuilts {
            if !seen.insert(*n) {
                return Err(pos.err(format!("prebuilt{n} is defined twice")));
            }
        }
        for blocks in &self.blocks {
            let mut seen = HashSet::new();
            for (n, pos) in blocks {
                if !seen.insert(*n) {
                    return Err(pos.err(format!("block{n} is defined twice in this graph")));
                }
            }
        }
        Ok(())
    }
}

fn shape(d: &GcTypeDef) -> Shape {
    match &d.kind {
        GcTypeKind::Struct { fields, .. } => {
            Shape::Struct(fields.iter().map(|f| f.name.clone()).collect())
        }
        GcTypeKind::Array { .. } => Shape::Array,
        GcTypeKind::Opaque { .. } => Shape::Opaque,
    }
}

/// `digits` if `w` is `prefix` followed by digits only.
pub(crate) fn numbered<'w>(w: &'w str, prefix: &str) -> Option<&'w str> {
    let d = w.strip_prefix(prefix)?;
    (!d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())).then_some(d)
}

pub(crate) fn number_of(digits: &str, pos: Pos) -> PResult<u32> {
    digits
        .parse::<u32>()
        .map_err(|_| pos.err(format!("number `{digits}` is too large")))
}

/// The variables of the graph being parsed.
pub(crate) struct GraphState {
    pub(crate) index: usize,
    pub(crate) defs: HashMap<u32, (LLType, Pos)>,
    pub(crate) uses: Vec<(u32, Pos)>,
    /// Ops written without a result: (block, op) positions to number.
    pub(crate) unnamed: Vec<(usize, usize)>,
}

pub(crate) struct Parser<'s> {
    pub(crate) c: Cursor<'s>,
    /// The first pass's declarations; `None` during the first pass.
    pub(crate) known: Option<Decls>,
    pub(crate) found: Decls,
    pub(crate) types: GcTypes,
    pub(crate) prebuilt: PrimaryMap<PrebuiltId, Prebuilt>,
    pub(crate) graphs: PrimaryMap<LLGraphId, LLGraph>,
    pub(crate) files: Vec<String>,
    pub(crate) entry: Option<(String, Pos)>,
    /// Spans written with a file index, checked at the end.
    pub(crate) span_files: Vec<(u32, Pos)>,
}

impl<'s> Parser<'s> {
    fn new(src: &'s str, known: Option<Decls>) -> Self {
        Parser {
            c: Cursor::new(src),
            known,
            found: Decls::with_well_known(),
            types: new_type_table(),
            prebuilt: PrimaryMap::new(),
            graphs: PrimaryMap::new(),
            files: vec![],
            entry: None,
            span_files: vec![],
        }
    }

    /// Reports `message` at `pos` in the second pass only (the first one
    /// cannot resolve names yet).
    pub(crate) fn check(
        &self,
        ok: bool,
        pos: Pos,
        message: impl FnOnce() -> String,
    ) -> PResult<()> {
        if ok || self.known.is_none() {
            Ok(())
        } else {
            Err(pos.err(message()))
        }
    }

    fn program(&mut self) -> PResult<()> {
        loop {
            if self.c.at_end() {
                return Ok(());
            }
            if self.c.eat("#[") {
                let hints = self.hints()?;
                self.c.expect_word("graph")?;
                self.graph(hints)?;
                continue;
            }
            let w = self.c.peek_word();
            match w {
                "file" => {
                    self.c.word("`file`")?;
                    let f = self.c.string_lit()?;
                    self.files.push(f);
                }
                "entry" => {
                    let pos = self.c.here();
                    self.c.word("`entry`")?;
                    let name = self.c.path("the entry graph's name")?;
                    self.check(self.entry.is_none(), pos, || "a second `entry`".into())?;
                    self.entry = Some((name, pos));
                }
                "type" => {
                    self.c.word("`type`")?;
                    self.type_decl()?;
                }
                "graph" => {
                    self.c.word("`graph`")?;
                    self.graph(FnHints::default())?;
                }
                w if numbered(w, "prebuilt").is_some() => self.prebuilt_decl()?,
                _ => {
                    return Err(self
                        .c
                        .expected("`file`, `entry`, `type`, `prebuiltN`, `#[` or `graph`"))
                }
            }
        }
    }

    fn finish(mut self) -> PResult<LLProgram> {
        for (f, pos) in &self.span_files {
            if *f as usize >= self.files.len() {
                return Err(pos.err(format!(
                    "span of file {f}, but the program has {} `file` lines",
                    self.files.len()
                )));
            }
        }
        let find = |n: &str| {
            self.graphs
                .iter()
                .find(|(_, g)| g.name == n)
                .map(|(i, _)| i)
        };
        let entry = match &self.entry {
            Some((n, pos)) => find(n).ok_or_else(|| pos.err(format!("unknown graph `{n}`")))?,
            None => match find("main").or_else(|| self.graphs.keys().next()) {
                Some(e) => e,
                None => return Err(self.c.here().err("expected at least one graph")),
            },
        };
        Ok(LLProgram {
            types: self.types,
            graphs: self.graphs,
            prebuilt: self.prebuilt,
            entry,
            files: self.files,
        })
    }

    // ---------------------------------------------------------- types

    /// `type Name = struct { f: T, … } | array T | opaque name`
    fn type_decl(&mut self) -> PResult<()> {
        let name = self.c.type_name("a type name")?;
        self.c.expect("=")?;
        let def = match self.c.peek_word() {
            "struct" => {
                self.c.word("`struct`")?;
                self.c.expect("{")?;
                let fields = self.comma_list("}", |p| {
                    let f = p.c.name("a field name")?;
                    p.c.expect(":")?;
                    Ok((f, p.ll_type()?))
                })?;
                GcTypeDef::new_struct(name, &fields)
            }
            "array" => {
                self.c.word("`array`")?;
                let item = self.ll_type()?;
                GcTypeDef::new_array(name, item)
            }
            "opaque" => {
                self.c.word("`opaque`")?;
                let runtime_name = self.c.name("the runtime's name of the type")?;
                GcTypeDef {
                    name,
                    kind: GcTypeKind::Opaque { runtime_name },
                }
            }
            _ => return Err(self.c.expected("`struct`, `array` or `opaque`")),
        };
        self.found.types.push((def.name.clone(), shape(&def)));
        self.types.push(def);
        Ok(())
    }

    /// A heap type by name (`Tape`, `"odd name"`, `Foo#7`).
    pub(crate) fn gc_type(&mut self) -> PResult<GcTypeId> {
        let pos = self.c.here();
        let name = self.c.type_name("a heap type name")?;
        let id = if self.c.peek() == Some('#') {
            self.c.bump();
            Some(self.c.uint("a type id after `#`")?)
        } else {
            None
        };
        let Some(k) = &self.known else {
            return Ok(GcTypeId::from_u32(0));
        };
        if let Some(i) = id {
            return match k.types.get(i as usize) {
                Some((n, _)) if *n == name => Ok(GcTypeId::from_u32(i)),
                _ => Err(pos.err(format!("no type `{name}` with id {i}"))),
            };
        }
        let mut it = k.types.iter().enumerate().filter(|(_, (n, _))| *n == name);
        match (it.next(), it.next()) {
            (Some((i, _)), None) => Ok(GcTypeId::from_u32(i as u32)),
            (None, _) => Err(pos.err(format!("unknown type `{name}`"))),
            (Some(_), Some(_)) => {
                Err(pos.err(format!("two types are named `{name}`: write `{name}#id`")))
            }
        }
    }

    pub(crate) fn shape_of(&self, t: GcTypeId) -> Option<&Shape> {
        self.known
            .as_ref()
            .and_then(|k| k.types.get(t.as_u32() as usize))
            .map(|(_, s)| s)
    }

    /// A value type: `void bool char f64 i8 … usize *Name`.
    pub(crate) fn ll_type(&mut self) -> PResult<LLType> {
        if self.c.eat("*") {
            return Ok(LLType::Ptr(self.gc_type()?));
        }
        let pos = self.c.here();
        let w = self.c.word("a type")?;
        Ok(match w {
            "void" => LLType::Void,
            "bool" => LLType::Bool,
            "char" => LLType::Char,
            "f64" => LLType::Float,
            w => match IntTy::from_name(w) {
                Some(i) => LLType::Int(i),
                None => return Err(pos.err(format!("unknown type `{w}`"))),
            },
        })
    }

    // ------------------------------------------------------ prebuilts

    /// `prebuiltN: Type = { f: c, … } | [c, …] | b"…"`
    fn prebuilt_decl(&mut self) -> PResult<()> {
        let pos = self.c.here();
        let w = self.c.word("a prebuilt")?;
        let n = number_of(numbered(w, "prebuilt").unwrap_or(""), pos)?;
        self.found.prebuilts.push((n, pos));
        self.c.expect(":")?;
        let tpos = self.c.here();
        let ty = self.gc_type()?;
        self.c.expect("=")?;
        let shape = self.shape_of(ty).cloned();
        let data = if self.c.eat("{") {
            let fields = self.comma_list("}", |p| {
                let fpos = p.c.here();
                let f = p.c.name("a field name")?;
                p.c.expect(":")?;
                Ok((f, fpos, p.constant()?))
            })?;
            let names = match &shape {
                Some(Shape::Struct(names)) => names.clone(),
                _ => vec![],
            };
            self.check(matches!(shape, Some(Shape::Struct(_))), tpos, || {
                "a prebuilt `{ … }` needs a struct type".into()
            })?;
            for (i, (f, fpos, _)) in fields.iter().enumerate() {
                let want = names.get(i);
                self.check(want == Some(f), *fpos, || match want {
                    Some(w) => format!("expected field `{w}`, found `{f}`"),
                    None => format!("the type has only {} fields", names.len()),
                })?;
            }
            self.check(fields.len() >= names.len(), pos, || {
                format!(
                    "the prebuilt gives {} of {} fields",
                    fields.len(),
                    names.len()
                )
            })?;
            PrebuiltData::Struct(fields.into_iter().map(|(_, _, c)| c).collect())
        } else if self.c.eat("[") {
            PrebuiltData::Array(self.comma_list("]", |p| p.constant())?)
        } else if self.c.starts_with("b\"") {
            PrebuiltData::Bytes(self.c.byte_string()?)
        } else {
            return Err(self.c.expected("`{`, `[` or `b\"`"));
        };
        if !matches!(data, PrebuiltData::Struct(_)) {
            self.check(matches!(shape, Some(Shape::Array)), tpos, || {
                "a prebuilt array needs an array type".into()
            })?;
        }
        self.prebuilt.push(Prebuilt { ty, data });
        Ok(())
    }

    fn prebuilt_ref(&self, n: u32, pos: Pos) -> PResult<PrebuiltId> {
        let Some(k) = &self.known else {
            return Ok(PrebuiltId::from_u32(0));
        };
        match k.prebuilts.iter().position(|(m, _)| *m == n) {
            Some(i) => Ok(PrebuiltId::from_u32(i as u32)),
            None => Err(pos.err(format!("unknown prebuilt{n}"))),
        }
    }

    // ------------------------------------------------------ values

    fn constant(&mut self) -> PResult<LLConst> {
        match self.operand(None)? {
            LLValue::Const(c) => Ok(c),
            LLValue::Var(_) => unreachable_var(),
        }
    }

    /// A variable (when `g` is given) or a constant.
    pub(crate) fn operand(&mut self, g: Option<&mut GraphState>) -> PResult<LLValue> {
        let pos = self.c.here();
        if self.c.peek() == Some('\'') {
            return Ok(LLValue::Const(LLConst::Char(self.c.char_lit()?)));
        }
        if self.c.eat("-inf_f64") {
            return Ok(LLValue::Const(LLConst::Float(f64::NEG_INFINITY)));
        }
        if matches!(self.c.peek(), Some('-' | '0'..='9')) {
            return Ok(LLValue::Const(self.number(pos)?));
        }
        let w = self.c.peek_word();
        let c = match w {
            "true" => LLConst::Bool(true),
            "false" => LLConst::Bool(false),
            "void" => LLConst::Void,
            "inf_f64" => LLConst::Float(f64::INFINITY),
            "nan_f64" => LLConst::Float(f64::NAN),
            "null" => {
                self.c.word("`null`")?;
                self.c.expect("<")?;
                let t = self.gc_type()?;
                self.c.expect(">")?;
                return Ok(LLValue::Const(LLConst::Null(t)));
            }
            w if numbered(w, "prebuilt").is_some() => {
                let n = number_of(numbered(w, "prebuilt").unwrap_or(""), pos)?;
                LLConst::Prebuilt(self.prebuilt_ref(n, pos)?)
            }
            w if numbered(w, "v").is_some() => {
                let Some(g) = g else {
                    return Err(pos.err(format!("expected a constant, found variable `{w}`")));
                };
                let (n, _) = self.var()?;
                g.uses.push((n, pos));
                return Ok(LLValue::Var(Var::from_u32(n)));
            }
            _ => return Err(self.c.expected("a value")),
        };
        self.c.word("a value")?;
        Ok(LLValue::Const(c))
    }

    /// `3_usize`, `-1_i64`, `0.5_f64`, `0x…_f64bits`.
    fn number(&mut self, pos: Pos) -> PResult<LLConst> {
        let (text, suffix) = self.c.number()?;
        let hex = text.trim_start_matches('-').starts_with("0x");
        match suffix {
            "f64bits" if hex && !text.starts_with('-') => {
                u64::from_str_radix(text.get(2..).unwrap_or(""), 16)
                    .map(|b| LLConst::Float(f64::from_bits(b)))
                    .map_err(|_| pos.err(format!("bad float bits `{text}`")))
            }
            "f64" if !hex => text
                .parse::<f64>()
                .map(LLConst::Float)
                .map_err(|_| pos.err(format!("bad float `{text}`"))),
            s => {
                let Some(t) = IntTy::from_name(s) else {
                    return Err(pos.err(format!("unknown type suffix `_{s}`")));
                };
                let n = if hex || text.contains(['.', 'e', 'E']) {
                    None
                } else {
                    text.parse::<i128>().ok()
                };
                let (lo, hi) = t.range();
                match n {
                    // 64-bit unsigned values are kept as their bit pattern.
                    Some(n) if n >= lo && n <= hi => Ok(LLConst::Int(n as i64, t)),
                    _ => Err(pos.err(format!("`{text}` is not a value of {s}"))),
                }
            }
        }
    }

    /// `vN` → N.
    pub(crate) fn var(&mut self) -> PResult<(u32, Pos)> {
        let pos = self.c.here();
        let w = self.c.peek_word();
        let Some(d) = numbered(w, "v") else {
            return Err(self.c.expected("a variable (`v0`)"));
        };
        let n = number_of(d, pos)?;
        if n > MAX_VAR {
            return Err(pos.err(format!("variable number {n} is too large")));
        }
        self.c.word("a variable")?;
        Ok((n, pos))
    }

    pub(crate) fn define(&self, g: &mut GraphState, n: u32, ty: LLType, pos: Pos) -> PResult<()> {
        let first = !g.defs.contains_key(&n);
        self.check(first, pos, || format!("v{n} is defined twice"))?;
        g.defs.entry(n).or_insert((ty, pos));
        Ok(())
    }

    /// Items separated by `,` up to `close` (which is consumed); the
    /// opening bracket is already consumed.
    pub(crate) fn comma_list<T>(
        &mut self,
        close: &str,
        mut item: impl FnMut(&mut Self) -> PResult<T>,
    ) -> PResult<Vec<T>> {
        let mut out = vec![];
        if self.c.eat(close) {
            return Ok(out);
        }
        loop {
            out.push(item(self)?);
            if self.c.eat(close) {
                return Ok(out);
            }
            if !self.c.eat(",") {
                return Err(self.c.expected(&format!("`,` or `{close}`")));
            }
        }
    }
}

/// `operand(None)` never returns a variable.
fn unreachable_var() -> PResult<LLConst> {
    Err(Pos { line: 0, col: 0 }.err("internal error: a variable where a constant was parsed"))
}
