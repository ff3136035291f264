//! The graph half of the text-form parser (`parse.rs` has the rest):
//! hints, graph headers, blocks, ops with their parameters, exits.

use crate::llgraph::*;
use crate::lltype::{GcTypeId, LLType};
use crate::opnames::{check_from_name, check_name, cmp_from_name, cmp_name, OpParam, OpTag};
use crate::opnames::{ALL_CHECKS, ALL_CMPS};
use crate::parse::{number_of, numbered, GraphState, Parser, Shape};
use crate::parse_lex::{PResult, Pos};
use cranelift_entity::PrimaryMap;
use flowspace::model::{Block, FnHints, MergePoint, Var};
use flowspace::span::Span;
use std::collections::HashMap;

impl Parser<'_> {
    /// `#[purefunction, dont_look_inside, unroll_safe, jit_merge_point(…)]`
    /// (after `#[`).
    pub(crate) fn hints(&mut self) -> PResult<FnHints> {
        let mut h = FnHints::default();
        let items = self.comma_list("]", |p| {
            let pos = p.c.here();
            let w = p.c.word("a hint")?;
            match w {
                "purefunction" | "dont_look_inside" | "unroll_safe" => Ok((w, None)),
                "jit_merge_point" => Ok((w, Some(p.merge_point()?))),
                _ => Err(pos.err(format!("unknown hint `{w}`"))),
            }
        })?;
        for (w, mp) in items {
            match w {
                "purefunction" => h.purefunction = true,
                "dont_look_inside" => h.dont_look_inside = true,
                "unroll_safe" => h.unroll_safe = true,
                _ => h.merge_point = mp,
            }
        }
        Ok(h)
    }

    /// `(greens(a, b), reds(c), immutable_greens(a), get_printable_location = f)`
    fn merge_point(&mut self) -> PResult<MergePoint> {
        let mut mp = MergePoint::default();
        self.c.expect("(")?;
        self.comma_list(")", |p| {
            let pos = p.c.here();
            let w =
                p.c.word("`greens`, `reds`, `immutable_greens` or `get_printable_location`")?;
            let names = |p: &mut Self| {
                p.c.expect("(")?;
                p.comma_list(")", |p| p.c.name("a variable name"))
            };
            match w {
                "greens" => mp.greens = names(p)?,
                "reds" => mp.reds = names(p)?,
                "immutable_greens" => mp.immutable_greens = names(p)?,
                "get_printable_location" => {
                    p.c.expect("=")?;
                    mp.get_printable_location = Some(p.c.path("a function name")?);
                }
                _ => return Err(pos.err(format!("unknown merge point item `{w}`"))),
            }
            Ok(())
        })?;
        Ok(mp)
    }

    fn span(&mut self) -> PResult<Span> {
        let pos = self.c.here();
        let file = self.c.uint("a file index")?;
        self.c.expect(":")?;
        let line = self.c.uint("a line")?;
        self.c.expect(":")?;
        let col = self.c.uint("a column")?;
        self.span_files.push((file, pos));
        Ok(Span {
            file,
            lo: 0,
            hi: 0,
            line,
            col,
        })
    }

    /// `graph Name(vN: T, …) -> T [@span] [start blockN]` and its blocks
    /// (after `graph`).
    pub(crate) fn graph(&mut self, hints: FnHints) -> PResult<()> {
        let pos = self.c.here();
        let name = self.c.path("a graph name")?;
        self.found.graphs.push((name.clone(), pos));
        self.found.blocks.push(vec![]);
        let mut g = GraphState {
            index: self.found.graphs.len() - 1,
            defs: HashMap::new(),
            uses: vec![],
            unnamed: vec![],
        };
        self.c.expect("(")?;
        let params = self.comma_list(")", |p| {
            let (n, vpos) = p.var()?;
            p.c.expect(":")?;
            let t = p.ll_type()?;
            p.define(&mut g, n, t, vpos)?;
            Ok(n)
        })?;
        self.c.expect("->")?;
        let ret = self.ll_type()?;
        let span = if self.c.eat("@") {
            self.span()?
        } else {
            Span::default()
        };
        let start = if self.c.eat_word("start") {
            let spos = self.c.here();
            let w = self.c.word("the start block")?;
            match numbered(w, "block") {
                Some(d) => Some((number_of(d, spos)?, spos)),
                None => return Err(spos.err(format!("expected a block, found `{w}`"))),
            }
        } else {
            None
        };
        let mut blocks: Vec<LLBlock> = vec![];
        let mut start_index = None;
        while numbered(self.c.peek_word(), "block").is_some() {
            let bpos = self.c.here();
            let n = self.block_label()?;
            let is_start = match start {
                Some((s, _)) => s == n,
                None => blocks.is_empty(),
            };
            if is_start {
                start_index = Some(blocks.len());
            }
            let b = self.block(&mut g, is_start, &params, bpos, blocks.len())?;
            blocks.push(b);
        }
        if blocks.is_empty() {
            return Err(self.c.expected("a block (`block0(…):`)"));
        }
        let start_index = match (start_index, start) {
            (Some(i), _) => i,
            (None, Some((n, spos))) => {
                self.check(false, spos, || format!("no block{n} in this graph"))?;
                0
            }
            (None, None) => 0,
        };
        let vars = self.finish_vars(&mut g, &mut blocks)?;
        self.graphs.push(LLGraph {
            name,
            ret,
            start: Block::from_u32(start_index as u32),
            blocks: blocks.into_iter().collect(),
            vars,
            hints,
            span,
        });
        Ok(())
    }

    /// Checks every used variable is defined, numbers the unnamed results
    /// and builds the variable table (unused numbers become void).
    fn finish_vars(
        &self,
        g: &mut GraphState,
        blocks: &mut [LLBlock],
    ) -> PResult<PrimaryMap<Var, LLVarData>> {
        for (n, pos) in &g.uses {
            self.check(g.defs.contains_key(n), *pos, || {
                format!("undefined variable v{n}")
            })?;
        }
        let mut next = g
            .defs
            .keys()
            .chain(g.uses.iter().map(|(n, _)| n))
            .max()
            .map_or(0, |m| m + 1);
        for &(b, i) in &g.unnamed {
            if let Some(op) = blocks.get_mut(b).and_then(|bd| bd.ops.get_mut(i)) {
                op.result = Var::from_u32(next);
                g.defs.insert(next, (LLType::Void, Pos { line: 0, col: 0 }));
                next += 1;
            }
        }
        let mut vars = PrimaryMap::new();
        for n in 0..next {
            let ty = g.defs.get(&n).map_or(LLType::Void, |(t, _)| *t);
            vars.push(LLVarData { ty, name: None });
        }
        Ok(vars)
    }

    /// `blockN` → N (recorded as a definition).
    fn block_label(&mut self) -> PResult<u32> {
        let pos = self.c.here();
        let w = self.c.word("a block")?;
        let n = number_of(numbered(w, "block").unwrap_or(""), pos)?;
        if let Some(bs) = self.found.blocks.last_mut() {
            bs.push((n, pos));
        }
        Ok(n)
    }

    /// The block `blockN` refers to in graph `g`.
    fn block_ref(&mut self, g: &GraphState) -> PResult<Block> {
        let pos = self.c.here();
        let w = self.c.word("a block")?;
        let Some(d) = numbered(w, "block") else {
            return Err(pos.err(format!("expected a block, found `{w}`")));
        };
        let n = number_of(d, pos)?;
        let Some(k) = &self.known else {
            return Ok(Block::from_u32(0));
        };
        let found = k
            .blocks
            .get(g.index)
            .and_then(|bs| bs.iter().position(|(m, _)| *m == n));
        match found {
            Some(i) => Ok(Block::from_u32(i as u32)),
            None => Err(pos.err(format!("unknown block block{n}"))),
        }
    }

    /// `(inputs):` then ops up to and including the exit.
    fn block(
        &mut self,
        g: &mut GraphState,
        is_start: bool,
        params: &[u32],
        bpos: Pos,
        index: usize,
    ) -> PResult<LLBlock> {
        self.c.expect("(")?;
        let inputs = self.comma_list(")", |p| {
            let (n, vpos) = p.var()?;
            let t = if p.c.eat(":") {
                Some(p.ll_type()?)
            } else {
                None
            };
            Ok((n, vpos, t))
        })?;
        self.c.expect(":")?;
        if is_start {
            let same = inputs.len() == params.len()
                && inputs.iter().zip(params).all(|((n, _, t), p)| {
                    n == p && t.is_none_or(|t| g.defs.get(p).map(|d| d.0) == Some(t))
                });
            self.check(same, bpos, || {
                "the start block's inputs must be the graph's parameters".into()
            })?;
        } else {
            for (n, vpos, t) in &inputs {
                let Some(t) = t else {
                    return Err(vpos.err(format!("expected `:` and the type of block input v{n}")));
                };
                self.define(g, *n, *t, *vpos)?;
            }
        }
        let inputs: Vec<Var> = inputs.iter().map(|(n, _, _)| Var::from_u32(*n)).collect();
        let mut ops = vec![];
        loop {
            let w = self.c.peek_word();
            if matches!(w, "goto" | "if" | "switch" | "return" | "unreachable") {
                let exit = self.exit(g)?;
                return Ok(LLBlock { inputs, ops, exit });
            }
            let named = numbered(w, "v").is_some();
            if !named && OpTag::from_name(w).is_none() {
                let pos = self.c.here();
                if !w.is_empty()
                    && (self.next_after_word_is(w, '(') || self.next_after_word_is(w, '<'))
                {
                    return Err(pos.err(format!("unknown op `{w}`")));
                }
                return Err(self.c.expected(
                    "an op or a block exit (`goto`, `if`, `switch`, `return`, `unreachable`)",
                ));
            }
            let op = self.op(g, named)?;
            if !named {
                g.unnamed.push((index, ops.len()));
            }
            ops.push(op);
        }
    }

    /// Whether `c` follows the word `w` that comes next.
    fn next_after_word_is(&mut self, w: &str, c: char) -> bool {
        self.c.starts_with(&format!("{w}{c}"))
    }

    /// `[vN: T =] name[<param>](args) [@span]`
    fn op(&mut self, g: &mut GraphState, named: bool) -> PResult<LLOp> {
        let result = if named {
            let (n, pos) = self.var()?;
            self.c.expect(":")?;
            let t = self.ll_type()?;
            self.c.expect("=")?;
            self.define(g, n, t, pos)?;
            Var::from_u32(n)
        } else {
            // Numbered at the end of the graph.
            Var::from_u32(0)
        };
        let pos = self.c.here();
        let name = self.c.word("an op name")?;
        let Some(tag) = OpTag::from_name(name) else {
            return Err(pos.err(format!("unknown op `{name}`")));
        };
        let kind = self.op_kind(tag)?;
        self.c.expect("(")?;
        let args = self.comma_list(")", |p| p.operand(Some(g)))?;
        let span = if self.c.eat("@") {
            self.span()?
        } else {
            Span::default()
        };
        Ok(LLOp {
            kind,
            args,
            result,
            span,
        })
    }

    /// The op kind of `tag` with its `<param>` (after the name).
    fn op_kind(&mut self, tag: OpTag) -> PResult<LLOpKind> {
        let param = tag.spec().1;
        if param != OpParam::None {
            self.c.expect("<")?;
        }
        let kind = match tag {
            OpTag::IntAdd => LLOpKind::IntAdd,
            OpTag::IntSub => LLOpKind::IntSub,
            OpTag::IntMul => LLOpKind::IntMul,
            OpTag::IntDiv => LLOpKind::IntDiv,
            OpTag::IntRem => LLOpKind::IntRem,
            OpTag::IntAnd => LLOpKind::IntAnd,
            OpTag::IntOr => LLOpKind::IntOr,
            OpTag::IntXor => LLOpKind::IntXor,
            OpTag::IntShl => LLOpKind::IntShl,
            OpTag::IntShr => LLOpKind::IntShr,
            OpTag::IntNeg => LLOpKind::IntNeg,
            OpTag::IntNot => LLOpKind::IntNot,
            OpTag::IntCmp => LLOpKind::IntCmp(self.cmp()?),
            OpTag::FloatAdd => LLOpKind::FloatAdd,
            OpTag::FloatSub => LLOpKind::FloatSub,
            OpTag::FloatMul => LLOpKind::FloatMul,
            OpTag::FloatDiv => LLOpKind::FloatDiv,
            OpTag::FloatRem => LLOpKind::FloatRem,
            OpTag::FloatNeg => LLOpKind::FloatNeg,
            OpTag::FloatCmp => LLOpKind::FloatCmp(self.cmp()?),
            OpTag::Cast => LLOpKind::Cast,
            OpTag::SameAs => LLOpKind::SameAs,
            OpTag::Check => {
                let pos = self.c.here();
                let w = self.c.word("a check kind")?;
                LLOpKind::Check(check_from_name(w).ok_or_else(|| {
                    let all: Vec<&str> = ALL_CHECKS.iter().map(|c| check_name(*c)).collect();
                    pos.err(format!("unknown check `{w}` (one of {})", all.join(", ")))
                })?)
            }
            OpTag::Malloc => LLOpKind::Malloc(self.gc_type()?),
            OpTag::MallocArray => LLOpKind::MallocArray(self.gc_type()?),
            OpTag::GetField => {
                let (ty, field) = self.field_ref()?;
                LLOpKind::GetField { ty, field }
            }
            OpTag::SetField => {
                let (ty, field) = self.field_ref()?;
                LLOpKind::SetField { ty, field }
            }
            OpTag::GetArrayItem => LLOpKind::GetArrayItem(self.gc_type()?),
            OpTag::SetArrayItem => LLOpKind::SetArrayItem(self.gc_type()?),
            OpTag::ArrayLen => LLOpKind::ArrayLen(self.gc_type()?),
            OpTag::PtrEq => LLOpKind::PtrEq,
            OpTag::PtrNe => LLOpKind::PtrNe,
            OpTag::TypeIdOf => LLOpKind::TypeIdOf,
            OpTag::PtrCast => LLOpKind::PtrCast,
            OpTag::DirectCall => LLOpKind::DirectCall(self.graph_ref()?),
            OpTag::RuntimeCall => LLOpKind::RuntimeCall(self.c.name("a runtime function")?),
            OpTag::JitMergePoint => {
                let driver = self.c.uint("the driver index")?;
                self.c.expect(",")?;
                let greens = self.c.uint("the number of greens")?;
                LLOpKind::JitMergePoint { driver, greens }
            }
            OpTag::JitPromote => LLOpKind::JitPromote,
            OpTag::JitIsJitted => LLOpKind::JitIsJitted,
        };
        if param != OpParam::None {
            self.c.expect(">")?;
        }
        Ok(kind)
    }

    fn cmp(&mut self) -> PResult<Cmp> {
        let pos = self.c.here();
        let w = self.c.word("a comparison")?;
        cmp_from_name(w).ok_or_else(|| {
            let all: Vec<&str> = ALL_CMPS.iter().map(|c| cmp_name(*c)).collect();
            pos.err(format!(
                "unknown comparison `{w}` (one of {})",
                all.join(", ")
            ))
        })
    }

    /// `Type.field` → the type and the field's index.
    fn field_ref(&mut self) -> PResult<(GcTypeId, u32)> {
        let ty = self.gc_type()?;
        self.c.expect(".")?;
        let pos = self.c.here();
        let f = self.c.name("a field name")?;
        if self.known.is_none() {
            return Ok((ty, 0));
        }
        match self.shape_of(ty) {
            Some(Shape::Struct(names)) => match names.iter().position(|n| *n == f) {
                Some(i) => Ok((ty, i as u32)),
                None => Err(pos.err(format!("the type has no field `{f}`"))),
            },
            _ => Err(pos.err("field of a type that is not a struct")),
        }
    }

    fn graph_ref(&mut self) -> PResult<LLGraphId> {
        let pos = self.c.here();
        let name = self.c.path("a graph name")?;
        let Some(k) = &self.known else {
            return Ok(LLGraphId::from_u32(0));
        };
        match k.graphs.iter().position(|(n, _)| *n == name) {
            Some(i) => Ok(LLGraphId::from_u32(i as u32)),
            None => Err(pos.err(format!("unknown graph `{name}`"))),
        }
    }

    fn exit(&mut self, g: &mut GraphState) -> PResult<LLExit> {
        let w = self.c.word("a block exit")?;
        Ok(match w {
            "goto" => LLExit::Goto(self.link(g)?),
            "if" => {
                let cond = self.operand(Some(g))?;
                self.c.expect_word("then")?;
                let then_link = self.link(g)?;
                self.c.expect_word("else")?;
                let else_link = self.link(g)?;
                LLExit::If {
                    cond,
                    then_link,
                    else_link,
                }
            }
            "switch" => {
                let value = self.operand(Some(g))?;
                self.c.expect("[")?;
                let cases = self.comma_list("]", |p| {
                    let n = p.c.int("a case value")?;
                    p.c.expect("=>")?;
                    Ok((n, p.link(g)?))
                })?;
                self.c.expect_word("default")?;
                let default = self.link(g)?;
                LLExit::Switch {
                    value,
                    cases,
                    default,
                }
            }
            "return" => LLExit::Return(self.operand(Some(g))?),
            _ => LLExit::Unreachable,
        })
    }

    /// `blockN(args)`
    fn link(&mut self, g: &mut GraphState) -> PResult<LLLink> {
        let target = self.block_ref(g)?;
        self.c.expect("(")?;
        let args = self.comma_list(")", |p| p.operand(Some(g)))?;
        Ok(LLLink { target, args })
    }
}
