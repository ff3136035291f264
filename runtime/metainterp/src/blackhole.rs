//! Leaving the interpreter at a merge point, and entering it from a
//! failed guard (the blackhole: no recording, calls residual).

use crate::frame::Frame;
use crate::resume;
use crate::tracer::Env;
use crate::warmstate::CompiledTrace;
use abi::{Insn, JitProgram, Opnd};

/// Frames rebuilt for the guard at op `exit` of `lp`, from the fail
/// values the compiled code left in `frame`.
pub fn frames_for_exit(
    lp: &CompiledTrace,
    exit: usize,
    frame: &[u64],
    prog: &JitProgram,
) -> Result<Vec<Frame>, String> {
    let op = lp
        .trace
        .ops
        .get(exit)
        .ok_or_else(|| format!("compiled trace left at op {exit}, out of range"))?;
    if !op.opcode.flags().guard {
        return Err(format!("compiled trace left at a {}", op.opcode.name()));
    }
    let entry = lp
        .resumes
        .get(op.resume as usize)
        .ok_or("guard without resume data")?;
    let n = op.fail_args.len().min(frame.len());
    resume::rebuild(entry, prog, &frame[..n])
}

/// The bottom frame stands at a merge point: its greens then reds go to
/// `buf` (driver order).
///
/// # Safety
/// `buf` must hold the driver's greens and reds.
pub unsafe fn write_buf(
    prog: &JitProgram,
    env: &Env,
    frames: &[Frame],
    buf: *mut u64,
) -> Result<(), String> {
    let f = frames.first().ok_or("no frame")?;
    let code = prog.jitcodes.get(f.jitcode as usize).ok_or("bad jitcode")?;
    let Some(Insn::MergePoint { greens, reds, .. }) = code.insns.get(f.pc as usize) else {
        return Err("not at a merge point".into());
    };
    for (i, o) in greens.iter().chain(reds).enumerate() {
        let w = match *o {
            Opnd::Reg(r) => f.get(r)?,
            Opnd::Int(v) => v as u64,
            Opnd::Float(b) => b,
            Opnd::Null => 0,
            Opnd::RefConst(c) if c < prog.num_refconsts => *env.refconsts.add(c as usize),
            Opnd::RefConst(c) => return Err(format!("refconst {c} out of range")),
        };
        *buf.add(i) = w;
    }
    Ok(())
}
