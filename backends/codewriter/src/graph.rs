//! One graph as a jitcode: registers, block layout, links as jumps, exits.

use crate::error::{CodewriterError, CwResult};
use crate::kinds::{bank, bank_index, int_kind, kind};
use crate::policy::reverse_postorder;
use crate::tables::Tables;
use abi::{Insn, JitCode, Jump, Opnd, Reg};
use cranelift_entity::EntityRef;
use flowspace::model::{Block, Var};
use rtyper::llgraph::{LLConst, LLExit, LLGraph, LLGraphId, LLLink, LLValue};
use rtyper::lltype::LLType;

pub struct GraphWriter<'a, 'p> {
    pub t: &'a mut Tables<'p>,
    pub g: &'p LLGraph,
    /// This graph's jitcode index.
    pub jitcode: u32,
    regs: Vec<Option<Reg>>,
    num_regs: [u16; 3],
    pub insns: Vec<Insn>,
}

impl<'a, 'p> GraphWriter<'a, 'p> {
    pub fn new(t: &'a mut Tables<'p>, gid: LLGraphId, jitcode: u32) -> GraphWriter<'a, 'p> {
        let program: &'p rtyper::llgraph::LLProgram = t.program;
        let g = &program.graphs[gid];
        GraphWriter {
            t,
            g,
            jitcode,
            regs: vec![None; g.vars.len()],
            num_regs: [0; 3],
            insns: Vec::new(),
        }
    }

    pub fn err(&self, msg: impl Into<String>) -> CodewriterError {
        CodewriterError::new(Some(&self.g.name), msg)
    }

    pub fn var_type(&self, v: Var) -> CwResult<LLType> {
        self.g
            .vars
            .get(v)
            .map(|d| d.ty)
            .ok_or_else(|| self.err(format!("unknown variable v{}", v.index())))
    }

    pub fn value_type(&self, v: &LLValue) -> CwResult<LLType> {
        match v {
            LLValue::Var(v) => self.var_type(*v),
            LLValue::Const(LLConst::Prebuilt(p)) => match self.t.program.prebuilt.get(*p) {
                Some(pb) => Ok(LLType::Ptr(pb.ty)),
                None => Err(self.err(format!("unknown prebuilt object {}", p.index()))),
            },
            LLValue::Const(c) => Ok(c.ty(&self.t.program.prebuilt)),
        }
    }

    /// Gives `v` its register (on its definition); None for Void.
    fn define(&mut self, v: Var) -> CwResult<Option<Reg>> {
        let Some(b) = bank(self.var_type(v)?) else {
            return Ok(None);
        };
        if let Some(r) = self.regs[v.index()] {
            return Ok(Some(r));
        }
        let n = &mut self.num_regs[bank_index(b)];
        let index = *n;
        *n = n
            .checked_add(1)
            .ok_or_else(|| CodewriterError::new(Some(&self.g.name), "too many registers"))?;
        let r = Reg { bank: b, index };
        self.regs[v.index()] = Some(r);
        Ok(Some(r))
    }

    /// The register of a defined non-Void variable; None for Void.
    pub fn reg(&self, v: Var) -> CwResult<Option<Reg>> {
        if kind(self.var_type(v)?).is_none() {
            return Ok(None);
        }
        match self.regs[v.index()] {
            Some(r) => Ok(Some(r)),
            None => Err(self.err(format!("variable v{} used but never defined", v.index()))),
        }
    }

    /// The operand of a value; None for Void.
    pub fn opnd(&mut self, v: &LLValue) -> CwResult<Option<Opnd>> {
        Ok(match v {
            LLValue::Var(v) => self.reg(*v)?.map(Opnd::Reg),
            LLValue::Const(c) => match *c {
                LLConst::Int(x, t) => Some(Opnd::Int(crate::kinds::int_kind_of(t).normalise(x))),
                LLConst::Bool(b) => Some(Opnd::Int(b as i64)),
                LLConst::Char(ch) => Some(Opnd::Int(ch as i64)),
                LLConst::Float(f) => Some(Opnd::Float(f.to_bits())),
                LLConst::Null(_) => Some(Opnd::Null),
                LLConst::Prebuilt(p) => {
                    if self.t.program.prebuilt.get(p).is_none() {
                        return Err(self.err(format!("unknown prebuilt object {}", p.index())));
                    }
                    Some(Opnd::RefConst(self.t.refconst(p)?))
                }
                LLConst::Void => None,
            },
        })
    }

    /// The operand of a value that must not be Void.
    pub fn opnd_req(&mut self, v: &LLValue) -> CwResult<Opnd> {
        self.opnd(v)?
            .ok_or_else(|| self.err(format!("operand {v:?} is Void")))
    }

    /// Writes the whole graph.
    pub fn write(mut self, has_loop: bool) -> CwResult<JitCode> {
        let g = self.g;
        let order = reverse_postorder(g);
        if order.is_empty() {
            return Err(self.err("graph has no start block"));
        }
        let mut params = Vec::new();
        for &p in g.params() {
            if let Some(r) = self.define(p)? {
                params.push(r);
            }
        }
        for &b in &order {
            let blk = &g.blocks[b];
            for &v in &blk.inputs {
                self.define(v)?;
            }
            for op in &blk.ops {
                self.define(op.result)?;
            }
        }
        let mut start = vec![u32::MAX; g.blocks.len()];
        for &b in &order {
            start[b.index()] = self.pc()?;
            for op in &g.blocks[b].ops {
                self.write_op(op)?;
            }
            self.write_exit(&g.blocks[b].exit)?;
        }
        // Jumps were written with block indices as targets.
        for insn in &mut self.insns {
            for j in jumps_mut(insn) {
                j.target = start[j.target as usize];
            }
        }
        Ok(JitCode {
            name: g.name.clone(),
            num_regs: self.num_regs,
            params,
            ret: kind(g.ret),
            insns: self.insns,
            has_loop,
        })
    }

    pub fn pc(&self) -> CwResult<u32> {
        u32::try_from(self.insns.len()).map_err(|_| self.err("too many instructions"))
    }

    /// A link as a jump whose target is the block's index (patched later).
    fn jump(&mut self, l: &LLLink) -> CwResult<Jump> {
        let Some(target) = self.g.blocks.get(l.target) else {
            return Err(self.err(format!("link to missing block {}", l.target.index())));
        };
        if target.inputs.len() != l.args.len() {
            return Err(self.err(format!(
                "link to block{} passes {} values for {} inputs",
                l.target.index(),
                l.args.len(),
                target.inputs.len()
            )));
        }
        let mut moves = Vec::new();
        for (&input, a) in target.inputs.iter().zip(&l.args) {
            let dst = self.reg(input)?;
            let src = self.opnd(a)?;
            match (dst, src) {
                (Some(d), Some(s)) => moves.push((d, s)),
                (None, None) => {}
                _ => {
                    return Err(self.err(format!(
                        "link to block{} passes {a:?} to an input of another type",
                        l.target.index()
                    )))
                }
            }
        }
        Ok(Jump {
            target: block_u32(l.target),
            moves,
        })
    }

    fn write_exit(&mut self, exit: &LLExit) -> CwResult<()> {
        let insn = match exit {
            LLExit::Goto(l) => Insn::Goto {
                jump: self.jump(l)?,
            },
            LLExit::If {
                cond,
                then_link,
                else_link,
            } => Insn::Branch {
                cond: self.opnd_req(cond)?,
                then_jump: self.jump(then_link)?,
                else_jump: self.jump(else_link)?,
            },
            LLExit::Switch {
                value,
                cases,
                default,
            } => {
                let ik = int_kind(self.value_type(value)?)
                    .ok_or_else(|| self.err("switch on a non-integer value"))?;
                let value = self.opnd_req(value)?;
                let mut out = Vec::with_capacity(cases.len());
                for (c, l) in cases {
                    out.push((ik.normalise(*c), self.jump(l)?));
                }
                Insn::Switch {
                    value,
                    cases: out,
                    default: self.jump(default)?,
                }
            }
            LLExit::Return(v) => Insn::Return {
                value: self.opnd(v)?,
            },
            LLExit::Unreachable => Insn::Unreachable,
        };
        self.insns.push(insn);
        Ok(())
    }
}

fn block_u32(b: Block) -> u32 {
    b.index() as u32
}

/// The jumps of a control-flow instruction.
pub fn jumps_mut(insn: &mut Insn) -> Vec<&mut Jump> {
    match insn {
        Insn::Goto { jump } => vec![jump],
        Insn::Branch {
            then_jump,
            else_jump,
            ..
        } => vec![then_jump, else_jump],
        Insn::Switch { cases, default, .. } => {
            let mut v: Vec<&mut Jump> = cases.iter_mut().map(|(_, j)| j).collect();
            v.push(default);
            v
        }
        _ => vec![],
    }
}
