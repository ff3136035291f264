//! Interpreter frames: one jitcode activation with its three register
//! banks of concrete words and, while tracing, the trace `Value` each
//! register holds (`None`: not written since tracing began; such a
//! register holds 0).

use abi::{Bank, JitCode, Reg};
use traceir::Value;

pub fn bank_index(b: Bank) -> usize {
    match b {
        Bank::Int => 0,
        Bank::Ref => 1,
        Bank::Float => 2,
    }
}

pub struct Frame {
    pub jitcode: u32,
    /// The instruction being executed (for outer frames: their `Call`).
    pub pc: u32,
    pub regs: [Vec<u64>; 3],
    /// Empty when not tracing.
    pub vals: [Vec<Option<Value>>; 3],
    /// An inlined call's frame: the trace's length when it was entered.
    pub trace_start: u32,
}

impl Frame {
    pub fn new(jitcode: u32, code: &JitCode, pc: u32, tracing: bool) -> Frame {
        let n = code.num_regs.map(|n| n as usize);
        let vals = if tracing {
            n.map(|n| vec![None; n])
        } else {
            [Vec::new(), Vec::new(), Vec::new()]
        };
        Frame {
            jitcode,
            pc,
            regs: n.map(|n| vec![0; n]),
            vals,
            trace_start: 0,
        }
    }

    pub fn get(&self, r: Reg) -> Result<u64, String> {
        self.regs[bank_index(r.bank)]
            .get(r.index as usize)
            .copied()
            .ok_or_else(|| format!("register {r:?} out of range"))
    }

    /// The trace value of a register (`None` when not tracing or unset).
    pub fn val(&self, r: Reg) -> Option<Value> {
        self.vals[bank_index(r.bank)]
            .get(r.index as usize)
            .copied()
            .flatten()
    }

    pub fn set(&mut self, r: Reg, v: u64, val: Option<Value>) -> Result<(), String> {
        let b = bank_index(r.bank);
        let slot = self.regs[b]
            .get_mut(r.index as usize)
            .ok_or_else(|| format!("register {r:?} out of range"))?;
        *slot = v;
        if let Some(s) = self.vals[b].get_mut(r.index as usize) {
            *s = val;
        }
        Ok(())
    }

    /// Stops tracking trace values (the trace was aborted).
    pub fn drop_vals(&mut self) {
        self.vals = [Vec::new(), Vec::new(), Vec::new()];
    }
}
