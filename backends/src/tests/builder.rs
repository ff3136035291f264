//! Builders for writing `LLProgram`s by hand in tests.

use cranelift_entity::PrimaryMap;
use flowspace::model::{Block, FnHints, IntTy, Var};
use flowspace::span::Span;
use rtyper::llgraph::{
    Cmp, LLBlock, LLConst, LLExit, LLGraph, LLGraphId, LLLink, LLOp, LLOpKind, LLProgram, LLValue,
    LLVarData, Prebuilt, PrebuiltData, PrebuiltId,
};
use rtyper::lltype::{new_type_table, GcTypeDef, GcTypeId, GcTypes, LLType};

/// The one source file of test programs (panic locations name it).
pub const FILE: &str = "src/test.rs";

pub struct ProgramBuilder {
    pub types: GcTypes,
    pub graphs: PrimaryMap<LLGraphId, LLGraph>,
    pub prebuilt: PrimaryMap<PrebuiltId, Prebuilt>,
}

impl ProgramBuilder {
    pub fn new() -> Self {
        ProgramBuilder {
            types: new_type_table(),
            graphs: PrimaryMap::new(),
            prebuilt: PrimaryMap::new(),
        }
    }

    pub fn add_struct(&mut self, name: &str, fields: &[(&str, LLType)]) -> GcTypeId {
        let fields: Vec<(String, LLType)> =
            fields.iter().map(|(n, t)| (n.to_string(), *t)).collect();
        self.types.push(GcTypeDef::new_struct(name.into(), &fields))
    }

    pub fn add_array(&mut self, name: &str, item: LLType) -> GcTypeId {
        self.types.push(GcTypeDef::new_array(name.into(), item))
    }

    /// Reserves an id for a graph built later (for calls before the
    /// callee exists); fill it with `define`.
    pub fn declare(&mut self, name: &str) -> LLGraphId {
        self.graphs
            .push(GraphBuilder::new(name, &[], LLType::Void).0.finish())
    }

    pub fn define(&mut self, id: LLGraphId, g: GraphBuilder) {
        self.graphs[id] = g.finish();
    }

    pub fn add(&mut self, g: GraphBuilder) -> LLGraphId {
        self.graphs.push(g.finish())
    }

    pub fn add_prebuilt(&mut self, ty: GcTypeId, data: PrebuiltData) -> PrebuiltId {
        self.prebuilt.push(Prebuilt { ty, data })
    }

    pub fn finish(self, entry: LLGraphId) -> LLProgram {
        LLProgram {
            types: self.types,
            graphs: self.graphs,
            prebuilt: self.prebuilt,
            entry,
            files: vec![FILE.to_string()],
        }
    }
}

pub struct GraphBuilder {
    name: String,
    ret: LLType,
    start: Block,
    blocks: PrimaryMap<Block, LLBlock>,
    vars: PrimaryMap<Var, LLVarData>,
    /// Line given to the next ops' spans (column = op index + 1).
    pub line: u32,
}

impl GraphBuilder {
    /// A graph with a start block whose inputs are the parameters.
    pub fn new(name: &str, params: &[LLType], ret: LLType) -> (GraphBuilder, Block, Vec<Var>) {
        let mut g = GraphBuilder {
            name: name.into(),
            ret,
            start: Block::from_u32(0),
            blocks: PrimaryMap::new(),
            vars: PrimaryMap::new(),
            line: 1,
        };
        let (start, vars) = g.block(params);
        g.start = start;
        (g, start, vars)
    }

    pub fn var(&mut self, ty: LLType) -> Var {
        self.vars.push(LLVarData { ty, name: None })
    }

    /// A new block with inputs of these types; its exit is `Unreachable`
    /// until set.
    pub fn block(&mut self, inputs: &[LLType]) -> (Block, Vec<Var>) {
        let vars: Vec<Var> = inputs.iter().map(|t| self.var(*t)).collect();
        let b = self.blocks.push(LLBlock {
            inputs: vars.clone(),
            ops: Vec::new(),
            exit: LLExit::Unreachable,
        });
        (b, vars)
    }

    /// Appends `result: ty = kind(args)` to `blk`.
    pub fn op(&mut self, blk: Block, kind: LLOpKind, args: Vec<LLValue>, ty: LLType) -> Var {
        let result = self.var(ty);
        let col = self.blocks[blk].ops.len() as u32 + 1;
        let span = Span {
            file: 0,
            lo: 0,
            hi: 0,
            line: self.line,
            col,
        };
        self.blocks[blk].ops.push(LLOp {
            kind,
            args,
            result,
            span,
        });
        result
    }

    /// Like `op`, with an explicit source position.
    pub fn op_at(
        &mut self,
        blk: Block,
        kind: LLOpKind,
        args: Vec<LLValue>,
        ty: LLType,
        line: u32,
        col: u32,
    ) -> Var {
        let r = self.op(blk, kind, args, ty);
        let span = &mut self.blocks[blk].ops.last_mut().expect("just pushed").span;
        span.line = line;
        span.col = col;
        r
    }

    /// Appends an op with a given result variable (to build malformed
    /// graphs in tests).
    pub fn blocks_mut_push_op(
        &mut self,
        blk: Block,
        kind: LLOpKind,
        args: Vec<LLValue>,
        result: Var,
    ) {
        self.blocks[blk].ops.push(LLOp {
            kind,
            args,
            result,
            span: Span::default(),
        });
    }

    pub fn exit(&mut self, blk: Block, exit: LLExit) {
        self.blocks[blk].exit = exit;
    }

    pub fn goto(&mut self, blk: Block, target: Block, args: Vec<LLValue>) {
        self.exit(blk, LLExit::Goto(link(target, args)));
    }

    /// `rr_exit(code)`; the block ends there.
    pub fn exit_with(&mut self, blk: Block, code: LLValue) {
        self.op(
            blk,
            LLOpKind::RuntimeCall("rr_exit".into()),
            vec![code],
            LLType::Void,
        );
        self.exit(blk, LLExit::Unreachable);
    }

    /// Ends `blk` with `if a == b { next } else { exit(code) }` (IntCmp, or
    /// FloatCmp on floats) and returns `next`.
    pub fn expect_eq(&mut self, blk: Block, a: LLValue, b: LLValue, code: i32) -> Block {
        let is_float = match &a {
            LLValue::Var(x) => self.vars[*x].ty == LLType::Float,
            LLValue::Const(k) => matches!(k, LLConst::Float(_)),
        };
        let cmp = if is_float {
            LLOpKind::FloatCmp(Cmp::Eq)
        } else {
            LLOpKind::IntCmp(Cmp::Eq)
        };
        let ok = self.op(blk, cmp, vec![a, b], LLType::Bool);
        let (next, _) = self.block(&[]);
        let (fail, _) = self.block(&[]);
        self.exit_with(fail, i32c(code));
        self.exit(
            blk,
            LLExit::If {
                cond: LLValue::Var(ok),
                then_link: link(next, vec![]),
                else_link: link(fail, vec![]),
            },
        );
        next
    }

    pub fn finish(self) -> LLGraph {
        LLGraph {
            name: self.name,
            ret: self.ret,
            start: self.start,
            blocks: self.blocks,
            vars: self.vars,
            hints: FnHints::default(),
            span: Span::default(),
        }
    }
}

pub fn v(var: Var) -> LLValue {
    LLValue::Var(var)
}

pub fn int(value: i64, t: IntTy) -> LLValue {
    LLValue::Const(LLConst::Int(value, t))
}

pub fn i32c(value: i32) -> LLValue {
    int(value as i64, IntTy::I32)
}

pub fn usize_c(value: u64) -> LLValue {
    int(value as i64, IntTy::Usize)
}

pub fn c(k: LLConst) -> LLValue {
    LLValue::Const(k)
}

pub fn link(target: Block, args: Vec<LLValue>) -> LLLink {
    LLLink { target, args }
}

pub const I32: LLType = LLType::Int(IntTy::I32);
pub const I64: LLType = LLType::Int(IntTy::I64);
pub const U8: LLType = LLType::Int(IntTy::U8);
pub const USIZE: LLType = LLType::Int(IntTy::Usize);
