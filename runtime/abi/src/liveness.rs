//! Which registers of a jitcode are live before each instruction: read on
//! some path from there before they are written. A guard's resume data
//! keeps only those (a dead register rebuilt as 0 changes nothing), so a
//! trace's guards save fewer values and keep fewer alive (RPython's
//! codewriter marks the same with `-live-`).
//!
//! A backward data-flow to a fixpoint over the instructions: an
//! instruction falls through to the next one unless it jumps (`Goto`,
//! `Branch`, `Switch`: along their `Jump`s, whose parallel moves read
//! their sources and write their targets on the edge) or ends (`Return`,
//! `Unreachable`). A `Call` falls through, its `dst` written on return:
//! the registers live before a `Call` are also what an outer frame that
//! resumes after the inlined callee returns needs.

use crate::jitcode::{Bank, Insn, JitCode, Jump, Opnd, Reg};

/// Per instruction of one jitcode: the live registers before it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Liveness {
    /// Words per instruction, and where each bank's bits start.
    words: usize,
    base: [usize; 3],
    bits: Vec<u64>,
}

fn bank_no(b: Bank) -> usize {
    match b {
        Bank::Int => 0,
        Bank::Ref => 1,
        Bank::Float => 2,
    }
}

impl Liveness {
    /// The analysis of `code`.
    pub fn of(code: &JitCode) -> Liveness {
        let mut base = [0; 3];
        let mut words = 0;
        for (b, n) in code.num_regs.iter().enumerate() {
            base[b] = words * 64;
            words += (*n as usize).div_ceil(64);
        }
        let n = code.insns.len();
        let mut l = Liveness {
            words,
            base,
            bits: vec![0; words * n],
        };
        let mut set = vec![0u64; words];
        loop {
            let mut changed = false;
            for pc in (0..n).rev() {
                l.transfer(code, pc, &mut set);
                let row = &mut l.bits[pc * words..(pc + 1) * words];
                if row != set.as_slice() {
                    row.copy_from_slice(&set);
                    changed = true;
                }
            }
            if !changed {
                return l;
            }
        }
    }

    /// Whether `r` is live before instruction `pc` (true for anything the
    /// analysis does not cover, which is always safe).
    pub fn is_live(&self, pc: u32, r: Reg) -> bool {
        let bit = self.base[bank_no(r.bank)] + r.index as usize;
        let w = pc as usize * self.words + bit / 64;
        match self.bits.get(w) {
            Some(x) if bit / 64 < self.words => x & (1 << (bit % 64)) != 0,
            _ => true,
        }
    }

    fn row(&self, pc: usize) -> &[u64] {
        self.bits
            .get(pc * self.words..(pc + 1) * self.words)
            .unwrap_or(&[])
    }

    fn index(&self, r: Reg) -> usize {
        self.base[bank_no(r.bank)] + r.index as usize
    }

    fn add(&self, set: &mut [u64], o: &Opnd) {
        if let Opnd::Reg(r) = o {
            let i = self.index(*r);
            if let Some(w) = set.get_mut(i / 64) {
                *w |= 1 << (i % 64);
            }
        }
    }

    fn remove(&self, set: &mut [u64], r: Reg) {
        let i = self.index(r);
        if let Some(w) = set.get_mut(i / 64) {
            *w &= !(1 << (i % 64));
        }
    }

    /// `out |=` what is live on the edge `j`.
    fn edge(&self, j: &Jump, out: &mut [u64]) {
        let mut s: Vec<u64> = self.row(j.target as usize).to_vec();
        s.resize(self.words, 0);
        for (dst, _) in &j.moves {
            self.remove(&mut s, *dst);
        }
        for (_, src) in &j.moves {
            self.add(&mut s, src);
        }
        for (o, x) in out.iter_mut().zip(&s) {
            *o |= x;
        }
    }

    /// The live set before `pc`, into `set`, from the sets now known
    /// after it.
    fn transfer(&self, code: &JitCode, pc: usize, set: &mut [u64]) {
        set.fill(0);
        let insn = &code.insns[pc];
        let falls = |set: &mut [u64]| {
            let next = self.row(pc + 1);
            for (o, x) in set.iter_mut().zip(next) {
                *o |= x;
            }
        };
        // Successors, then the written register, then the reads.
        let (dst, uses): (Option<Reg>, Vec<&Opnd>) = match insn {
            Insn::IntBin { dst, a, b, .. }
            | Insn::IntCmp { dst, a, b, .. }
            | Insn::FloatBin { dst, a, b, .. }
            | Insn::FloatCmp { dst, a, b, .. }
            | Insn::PtrEq { dst, a, b, .. } => (Some(*dst), vec![a, b]),
            Insn::IntUn { dst, a, .. }
            | Insn::FloatNeg { dst, a }
            | Insn::Cast { dst, a, .. }
            | Insn::ArrayLen { dst, array: a }
            | Insn::TypeIdOf { dst, obj: a } => (Some(*dst), vec![a]),
            Insn::Move { dst, src } | Insn::Promote { dst, src } => (Some(*dst), vec![src]),
            Insn::Check { args, .. } => (None, args.iter().collect()),
            Insn::New { dst, .. } | Insn::IsJitted { dst } => (Some(*dst), vec![]),
            Insn::NewArray { dst, len, .. } => (Some(*dst), vec![len]),
            Insn::GetField { dst, obj, .. } => (Some(*dst), vec![obj]),
            Insn::SetField { obj, value, .. } => (None, vec![obj, value]),
            Insn::GetArrayItem {
                dst, array, index, ..
            } => (Some(*dst), vec![array, index]),
            Insn::SetArrayItem {
                array,
                index,
                value,
                ..
            } => (None, vec![array, index, value]),
            Insn::Call { args, dst, .. } => (*dst, args.iter().collect()),
            Insn::MergePoint { greens, reds, .. } => (None, greens.iter().chain(reds).collect()),
            Insn::Goto { jump } => {
                self.edge(jump, set);
                return;
            }
            Insn::Branch {
                cond,
                then_jump,
                else_jump,
            } => {
                self.edge(then_jump, set);
                self.edge(else_jump, set);
                self.add(set, cond);
                return;
            }
            Insn::Switch {
                value,
                cases,
                default,
            } => {
                for (_, j) in cases {
                    self.edge(j, set);
                }
                self.edge(default, set);
                self.add(set, value);
                return;
            }
            Insn::Return { value } => {
                if let Some(v) = value {
                    self.add(set, v);
                }
                return;
            }
            Insn::Unreachable => return,
        };
        falls(set);
        if let Some(d) = dst {
            self.remove(set, d);
        }
        for u in uses {
            self.add(set, u);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Liveness;
    use crate::jitcode::*;

    fn r(i: u16) -> Reg {
        Reg {
            bank: Bank::Int,
            index: i,
        }
    }

    /// `r0` counts down to 0 in a loop; `r1` is a temporary dead after its
    /// use, `r2` is read only after the loop.
    #[test]
    fn loop_keeps_what_is_read_later() {
        let add = |dst, a, b| Insn::IntBin {
            op: IntBinOp::Sub,
            kind: IntKind::I64,
            dst,
            a,
            b,
        };
        let code = JitCode {
            name: "f".into(),
            num_regs: [4, 0, 0],
            params: vec![r(0), r(2)],
            ret: Some(Kind::Int(IntKind::I64)),
            has_loop: true,
            insns: vec![
                // 0: r1 = r0 - 1
                add(r(1), Opnd::Reg(r(0)), Opnd::Int(1)),
                // 1: if r1 then (r0 = r1) goto 0 else goto 2
                Insn::Branch {
                    cond: Opnd::Reg(r(1)),
                    then_jump: Jump {
                        target: 0,
                        moves: vec![(r(0), Opnd::Reg(r(1)))],
                    },
                    else_jump: Jump {
                        target: 2,
                        moves: vec![],
                    },
                },
                // 2: return r2
                Insn::Return {
                    value: Some(Opnd::Reg(r(2))),
                },
            ],
        };
        let l = Liveness::of(&code);
        assert!(l.is_live(0, r(0)) && l.is_live(0, r(2)) && !l.is_live(0, r(1)));
        assert!(l.is_live(1, r(1)) && l.is_live(1, r(2)) && !l.is_live(1, r(0)));
        assert!(l.is_live(2, r(2)) && !l.is_live(2, r(1)) && !l.is_live(2, r(0)));
        assert!(!l.is_live(0, r(3)));
        // Out of range: assumed live.
        assert!(l.is_live(9, r(0)));
    }
}
