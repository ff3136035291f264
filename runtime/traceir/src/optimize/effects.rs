//! What a call may do, from its descriptor.

use crate::ops::Opcode;
use crate::trace::{Descr, Op};
use abi::{CallDescr, Effects};

/// The effects of a call op; None when its descriptor is unknown.
pub(crate) fn call_effects(op: &Op, calls: &[CallDescr]) -> Option<Effects> {
    match op.descr {
        Descr::Call(n) if op.opcode.flags().call => calls.get(n as usize).map(|c| c.effects),
        _ => None,
    }
}

/// Whether `op` may change a heap value the optimiser has seen (unknown
/// calls may).
pub(crate) fn may_write_heap(op: &Op, calls: &[CallDescr]) -> bool {
    match op.opcode {
        Opcode::SetfieldGc | Opcode::SetarrayitemGc => true,
        _ if op.opcode.flags().call => call_effects(op, calls).is_none_or(|e| e.writes_heap),
        _ => false,
    }
}

/// `call_pure_*`.
pub(crate) fn is_call_pure(opcode: Opcode) -> bool {
    matches!(
        opcode,
        Opcode::CallPureI | Opcode::CallPureR | Opcode::CallPureF | Opcode::CallPureN
    )
}
