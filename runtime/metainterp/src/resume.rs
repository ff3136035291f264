//! Resume data: what a guard needs to rebuild the interpreter frames when
//! it fails. One entry per guard lists the frames bottom (portal) to top
//! with the instruction each re-executes (the top frame: the guarded
//! instruction; outer frames: the `Call` whose `dst` receives the inlined
//! callee's result) and where every written register's value comes from:
//! the guard's fail_args, or a constant kept here (a GC root when it is a
//! reference). Registers not listed are 0.

use crate::frame::{bank_index, Frame};
use abi::{Bank, JitProgram, Reg};
use traceir::{Descr, Opcode, Trace, Value, VirtualObj};

#[derive(Copy, Clone, Debug, PartialEq)]
pub enum Slot {
    FailArg(u32),
    Const(u64),
}

#[derive(Clone, Debug, PartialEq)]
pub struct FrameResume {
    pub jitcode: u32,
    pub pc: u32,
    pub regs: Vec<(Reg, Slot)>,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct ResumeEntry {
    pub frames: Vec<FrameResume>,
}

/// The concrete word of a constant trace value.
pub fn const_word(trace: &Trace, v: Value) -> Option<u64> {
    match v {
        Value::ConstInt(i) => Some(i as u64),
        Value::ConstFloat(b) => Some(b),
        Value::ConstRef(i) => trace.gcrefs.get(i as usize).copied(),
        Value::Null => Some(0),
        Value::Input(_) | Value::Op(_) => None,
    }
}

/// The resume entry for a guard taken now, and its fail_args: the
/// registers each frame has written and that are live at its instruction
/// (`live`, by jitcode; a jitcode it does not cover keeps all).
pub fn capture(
    frames: &[Frame],
    trace: &Trace,
    live: &[abi::liveness::Liveness],
) -> (ResumeEntry, Vec<Value>) {
    let mut fail_args = Vec::new();
    let mut entry = ResumeEntry::default();
    for f in frames {
        let mut regs = Vec::new();
        for bank in [Bank::Int, Bank::Ref, Bank::Float] {
            for (i, v) in f.vals[bank_index(bank)].iter().enumerate() {
                let Some(v) = *v else { continue };
                let reg = Reg {
                    bank,
                    index: i as u16,
                };
                if live
                    .get(f.jitcode as usize)
                    .is_some_and(|l| !l.is_live(f.pc, reg))
                {
                    continue;
                }
                // Registers often hold the same value: save it once.
                let slot = match const_word(trace, v) {
                    Some(w) => Slot::Const(w),
                    None => match fail_args.iter().position(|&x| x == v) {
                        Some(k) => Slot::FailArg(k as u32),
                        None => {
                            fail_args.push(v);
                            Slot::FailArg(fail_args.len() as u32 - 1)
                        }
                    },
                };
                regs.push((reg, slot));
            }
        }
        entry.frames.push(FrameResume {
            jitcode: f.jitcode,
            pc: f.pc,
            regs,
        });
    }
    (entry, fail_args)
}

/// Rebuilds the frames of `entry` (not tracing) from the fail values.
pub fn rebuild(entry: &ResumeEntry, prog: &JitProgram, fail: &[u64]) -> Result<Vec<Frame>, String> {
    build_frames(entry, prog, false, |_, slot| {
        Ok((slot_word(slot, fail)?, None))
    })
}

/// The word a slot stands for.
fn slot_word(slot: Slot, fail: &[u64]) -> Result<u64, String> {
    match slot {
        Slot::Const(w) => Ok(w),
        Slot::FailArg(i) => fail
            .get(i as usize)
            .copied()
            .ok_or_else(|| "resume: missing fail arg".into()),
    }
}

/// The frames of `entry`, each register set to what `value` gives for its
/// slot: the word and (tracing) its trace value.
fn build_frames(
    entry: &ResumeEntry,
    prog: &JitProgram,
    tracing: bool,
    mut value: impl FnMut(Reg, Slot) -> Result<(u64, Option<Value>), String>,
) -> Result<Vec<Frame>, String> {
    let mut frames = Vec::with_capacity(entry.frames.len());
    for fr in &entry.frames {
        let code = prog
            .jitcodes
            .get(fr.jitcode as usize)
            .ok_or("resume: bad jitcode")?;
        let mut f = Frame::new(fr.jitcode, code, fr.pc, tracing);
        for &(reg, slot) in &fr.regs {
            let (w, v) = value(reg, slot)?;
            f.set(reg, w, v)?;
        }
        frames.push(f);
    }
    if frames.is_empty() {
        return Err("resume: no frames".into());
    }
    Ok(frames)
}

/// Rebuilds the frames of `entry` for tracing a bridge: fail arg `k` is
/// the bridge's input `k`, unless the parent trace knew it as a constant
/// (`parent_fail_args[k]`), and constants stay constants; a reference
/// constant at an address in `parent_immutable` is immutable data. An
/// object the parent never allocated (`virtuals`; `fail` holds it, made
/// by `JitState::materialize`) is allocated by the bridge: its first ops
/// are the `new` and the stores of its fields, which the bridge's own
/// optimiser may remove again.
pub fn rebuild_tracing(
    entry: &ResumeEntry,
    prog: &JitProgram,
    fail: &[u64],
    parent_fail_args: &[Value],
    virtuals: &[VirtualObj],
    parent_immutable: &std::collections::HashSet<u64>,
    rec: &mut crate::record::Recorder,
) -> Result<Vec<Frame>, String> {
    let value_of = |rec: &mut crate::record::Recorder, bank: Bank, slot: Slot| {
        let w = slot_word(slot, fail)?;
        let v = match slot {
            Slot::FailArg(i)
                if !parent_fail_args
                    .get(i as usize)
                    .is_some_and(|p| p.is_const()) =>
            {
                Value::Input(i)
            }
            _ => {
                let c = rec.const_of(bank, w);
                // Data the parent knew immutable (a `&T` green, or read
                // from one) stays so: reads from it fold in the bridge too.
                if bank == Bank::Ref && parent_immutable.contains(&w) {
                    rec.mark_immutable(c);
                }
                c
            }
        };
        Ok::<_, String>((w, v))
    };
    let mut objects: Vec<(u32, Value)> = Vec::with_capacity(virtuals.len());
    for v in virtuals {
        let descr = Descr::Size {
            type_id: v.type_id,
            size: v.size,
        };
        objects.push((v.slot, rec.push(Opcode::New, vec![], descr)));
    }
    let object =
        |objects: &[(u32, Value)], i: u32| objects.iter().find(|(s, _)| *s == i).map(|&(_, p)| p);
    for (v, &(_, p)) in virtuals.iter().zip(&objects) {
        for &(fd, index) in &v.fields {
            let value = match object(&objects, index) {
                Some(q) => q,
                None => value_of(rec, fd.kind.bank(), Slot::FailArg(index))?.1,
            };
            rec.push(Opcode::SetfieldGc, vec![p, value], Descr::Field(fd));
        }
    }
    build_frames(entry, prog, true, |reg, slot| {
        if let Slot::FailArg(i) = slot {
            if let Some(p) = object(&objects, i) {
                return Ok((slot_word(slot, fail)?, Some(p)));
            }
        }
        let (w, v) = value_of(rec, reg.bank, slot)?;
        Ok((w, Some(v)))
    })
}

/// For an entry whose only frame stands at the portal's merge point:
/// where each of the merge point's greens and reds (in `buf` order) comes
/// from. Constant operands of the merge point become `Slot::Const`,
/// except reference constants (None: the slow path reads them from where
/// the collector keeps them up to date).
pub fn merge_point_slots(entry: &ResumeEntry, prog: &JitProgram) -> Option<Vec<Slot>> {
    let [fr] = entry.frames.as_slice() else {
        return None;
    };
    let code = prog.jitcodes.get(fr.jitcode as usize)?;
    let Some(abi::Insn::MergePoint { greens, reds, .. }) = code.insns.get(fr.pc as usize) else {
        return None;
    };
    let mut out = Vec::with_capacity(greens.len() + reds.len());
    for o in greens.iter().chain(reds) {
        out.push(match *o {
            abi::Opnd::Reg(r) => {
                let s = fr
                    .regs
                    .iter()
                    .find(|(reg, _)| *reg == r)
                    .map(|(_, s)| *s)
                    .unwrap_or(Slot::Const(0));
                // A reference constant must stay where the collector
                // updates it (the entry itself): take the slow path.
                if r.bank == Bank::Ref && matches!(s, Slot::Const(w) if w != 0) {
                    return None;
                }
                s
            }
            abi::Opnd::Int(v) => Slot::Const(v as u64),
            abi::Opnd::Float(b) => Slot::Const(b),
            abi::Opnd::Null => Slot::Const(0),
            abi::Opnd::RefConst(_) => return None,
        });
    }
    Some(out)
}

/// Visits the reference constants of `entry`.
pub fn visit(entry: &mut ResumeEntry, f: &mut dyn FnMut(&mut u64)) {
    for fr in &mut entry.frames {
        for (reg, slot) in &mut fr.regs {
            if let (Bank::Ref, Slot::Const(w)) = (reg.bank, slot) {
                if *w != 0 {
                    f(w);
                }
            }
        }
    }
}
