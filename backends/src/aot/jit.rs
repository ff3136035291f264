//! The AOT side of `--opt=jit`: the merge point becomes a call into the
//! runtime JIT, and the codewriter's output goes into the object file as
//! data (docs/runtime-abi.md, "JIT").

use cranelift_codegen::ir::{
    condcodes::IntCC, types, InstBuilder, MemFlagsData, StackSlotData, StackSlotKind, Value,
};
use cranelift_entity::EntityRef;
use cranelift_module::{DataDescription, Linkage, Module};
use rtyper::llgraph::{LLGraphId, LLOp, LLValue, PrebuiltId};
use rtyper::lltype::LLType;

use super::function::{FnLower, LResult};
use super::module::ModuleCx;
use super::types::{cl_type, is_signed};
use crate::error::BackendError;

/// What the codewriter produced, for the object file.
#[derive(Clone, Debug, Default)]
pub struct JitTables {
    /// The encoded `abi::JitProgram`.
    pub program: Vec<u8>,
    /// Entry i of `rrjit_refconsts`: the address of this prebuilt object.
    pub refconsts: Vec<PrebuiltId>,
    /// Entry i of `rrjit_fnptrs`: the address of this function.
    pub fnptrs: Vec<JitFn>,
}

/// A function whose address the JIT needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JitFn {
    Graph(LLGraphId),
    Runtime(String),
}

/// The name of the runtime's merge-point entry.
const MERGE_POINT_FN: &str = "rrjit_merge_point";
/// `rrjit_merge_point`'s answer when the portal returned while the JIT ran
/// it (its value is then in word 0 of the buffer).
const PORTAL_RETURNED: i64 = 2;

impl FnLower<'_, '_, '_> {
    /// At a portal's entry: `rrjit_portal_epoch += 1` (no call).
    pub(crate) fn count_portal_entry(&mut self) -> LResult<()> {
        let name = abi::symbols::PORTAL_EPOCH;
        let id = self
            .cx
            .module
            .declare_data(name, Linkage::Import, true, false)
            .map_err(|e| self.err(format!("cannot import `{name}`: {e}")))?;
        let addr = self.data_addr(id);
        let flags = MemFlagsData::trusted();
        let e = self.b.ins().load(types::I64, flags, addr, 0);
        let e1 = self.b.ins().iadd_imm_s(e, 1);
        self.b.ins().store(flags, e1, addr, 0);
        Ok(())
    }

    /// `JitMergePoint(greens.., reds..)`: the values go into a buffer in
    /// the frame, `rrjit_merge_point(driver, buffer)` runs (it may trace,
    /// run compiled loops and the blackhole interpreter), then either the
    /// portal returns the value the JIT left in the buffer, or the loop
    /// goes on with the values in the buffer (the JIT may have run many
    /// iterations; the collector may have moved the references). Every
    /// variable live here is an argument (the frontend checks it), so
    /// nothing else needs the shadow stack around this call.
    ///
    /// Most passes are a cold key: the code hashes the int greens as the
    /// warm state does, and when the key's slot has no loop and its counter
    /// stays below `rrjit_limit` it only counts there and goes on, without
    /// the call (RPython's generated `jit_merge_point` does the same).
    pub(crate) fn lower_merge_point(&mut self, driver: u32, op: &LLOp) -> LResult<()> {
        let ngreens = match op.kind {
            rtyper::llgraph::LLOpKind::JitMergePoint { greens, .. } => greens as usize,
            _ => 0,
        };
        let join = self.b.create_block();
        let slow = self.b.create_block();
        self.b.set_cold_block(slow);
        // The hash of the int greens, as `abi::warm` (references move; the runtime leaves
        // them out too).
        let mut h = self.b.ins().iconst(types::I64, 0);
        for a in op.args.iter().take(ngreens) {
            let ty = self.value_type(a)?;
            if matches!(ty, LLType::Ptr(_)) {
                continue;
            }
            let v = self.value1(a)?;
            let w = self.word_of(v, ty);
            let r = self.b.ins().rotl_imm_s(h, 5);
            let x = self.b.ins().bxor(r, w);
            h = self.b.ins().imul_imm_s(x, abi::warm::HASH_MUL as i64);
        }
        let d = self
            .b
            .ins()
            .iconst(types::I64, (driver as u64).rotate_left(32) as i64);
        let x = self.b.ins().bxor(h, d);
        let m = self.b.ins().imul_imm_s(x, abi::warm::MIX_MUL as i64);
        let slot = self
            .b
            .ins()
            .ushr_imm_u(m, 64 - abi::warm::COUNTER_BITS as i64);
        let data = |s: &mut Self, name: &str| -> LResult<Value> {
            let id =
                s.cx.module
                    .declare_data(name, Linkage::Import, true, false)
                    .map_err(|e| s.err(format!("cannot import `{name}`: {e}")))?;
            Ok(s.data_addr(id))
        };
        let counters = data(self, abi::symbols::COUNTERS)?;
        let loops = data(self, abi::symbols::LOOP_SLOTS)?;
        let limit_addr = data(self, abi::symbols::LIMIT)?;
        let flags = MemFlagsData::trusted();
        let off = self.b.ins().ishl_imm_u(slot, 2);
        let caddr = self.b.ins().iadd(counters, off);
        let c = self.b.ins().load(types::I32, flags, caddr, 0);
        let c1 = self.b.ins().iadd_imm_s(c, 1);
        let limit = self.b.ins().load(types::I32, flags, limit_addr, 0);
        let laddr = self.b.ins().iadd(loops, slot);
        let has_loop = self.b.ins().uload8(types::I32, flags, laddr, 0);
        let below = self.b.ins().icmp(IntCC::UnsignedLessThan, c1, limit);
        let no_loop = self.b.ins().icmp_imm_s(IntCC::Equal, has_loop, 0);
        let cold = self.b.ins().band(below, no_loop);
        let fast = self.b.create_block();
        self.b.ins().brif(cold, fast, &[], slow, &[]);
        self.b.switch_to_block(fast);
        self.b.ins().store(flags, c1, caddr, 0);
        self.b.ins().jump(join, &[]);
        self.b.switch_to_block(slow);
        self.merge_point_call(driver, op)?;
        self.b.ins().jump(join, &[]);
        self.b.switch_to_block(join);
        Ok(())
    }

    /// The call into the JIT (the key is hot or has a loop).
    fn merge_point_call(&mut self, driver: u32, op: &LLOp) -> LResult<()> {
        let n = op.args.len().max(1);
        let slot = self.b.create_sized_stack_slot(StackSlotData::new(
            StackSlotKind::ExplicitSlot,
            (8 * n) as u32,
            3,
        ));
        for (i, a) in op.args.iter().enumerate() {
            let ty = self.value_type(a)?;
            let v = self.value1(a)?;
            let w = self.word_of(v, ty);
            self.b
                .ins()
                .stack_store(types::I64, w, slot, (8 * i) as i32);
        }
        let buf = self.b.ins().stack_addr(types::I64, slot, 0);
        let d = self.b.ins().iconst(types::I64, driver as i64);
        let f = self
            .cx
            .import_words(MERGE_POINT_FN, 2, true)
            .map_err(|m| self.err(m))?;
        let status = self
            .call(f, &[d, buf])
            .ok_or_else(|| self.err("rrjit_merge_point returns nothing"))?;
        let ret_block = self.b.create_block();
        let cont = self.b.create_block();
        let returned = self
            .b
            .ins()
            .icmp_imm_s(IntCC::Equal, status, PORTAL_RETURNED);
        self.b.ins().brif(returned, ret_block, &[], cont, &[]);
        self.b.set_cold_block(ret_block);

        self.b.switch_to_block(ret_block);
        let ret = self.graph.ret;
        let value = match cl_type(ret) {
            Some(_) => {
                let w = self.b.ins().stack_load(types::I64, types::I64, slot, 0);
                Some(self.value_of_word(w, ret))
            }
            None => None,
        };
        self.leave_frame();
        match value {
            Some(v) => self.b.ins().return_(&[v]),
            None => self.b.ins().return_(&[]),
        };

        self.b.switch_to_block(cont);
        for (i, a) in op.args.iter().enumerate() {
            if let LLValue::Var(v) = a {
                let ty = self.var_type(*v)?;
                let w = self
                    .b
                    .ins()
                    .stack_load(types::I64, types::I64, slot, (8 * i) as i32);
                let x = self.value_of_word(w, ty);
                self.redefine(*v, x)?;
            }
        }
        Ok(())
    }

    /// A value as a 64-bit word: integers extended by their signedness,
    /// floats as their bits.
    fn word_of(&mut self, v: Value, ty: LLType) -> Value {
        let t = self.b.func.dfg.value_type(v);
        if t == types::F64 {
            self.b.ins().bitcast(types::I64, MemFlagsData::new(), v)
        } else if t.bits() < 64 {
            if is_signed(ty) {
                self.b.ins().sextend(types::I64, v)
            } else {
                self.b.ins().uextend(types::I64, v)
            }
        } else {
            v
        }
    }

    /// The inverse of `word_of`.
    fn value_of_word(&mut self, w: Value, ty: LLType) -> Value {
        match cl_type(ty) {
            Some(types::F64) => self.b.ins().bitcast(types::F64, MemFlagsData::new(), w),
            Some(t) if t.bits() < 64 => self.b.ins().ireduce(t, w),
            _ => w,
        }
    }
}

/// Writes the JIT's data: the encoded program and its length, the table of
/// prebuilt-object addresses and the table of function addresses.
pub(crate) fn define_jit_data(cx: &mut ModuleCx, tables: &JitTables) -> Result<(), BackendError> {
    let module_err = |e: String| BackendError::Module(e);
    let define = |cx: &mut ModuleCx, name: &str, desc: DataDescription| {
        let id = cx
            .module
            .declare_data(name, Linkage::Export, false, false)
            .map_err(|e| module_err(e.to_string()))?;
        cx.module
            .define_data(id, &desc)
            .map_err(|e| module_err(e.to_string()))
    };
    let mut desc = DataDescription::new();
    let mut bytes = tables.program.clone();
    if bytes.is_empty() {
        bytes.push(0);
    }
    cx.data_size += bytes.len();
    desc.define(bytes.into_boxed_slice());
    desc.set_align(8);
    define(cx, abi::symbols::PROGRAM, desc)?;

    let mut desc = DataDescription::new();
    desc.define(
        (tables.program.len() as u64)
            .to_le_bytes()
            .to_vec()
            .into_boxed_slice(),
    );
    desc.set_align(8);
    define(cx, abi::symbols::PROGRAM_LEN, desc)?;

    let mut desc = DataDescription::new();
    desc.define(vec![0u8; 8 * tables.refconsts.len().max(1)].into_boxed_slice());
    desc.set_align(8);
    for (i, p) in tables.refconsts.iter().enumerate() {
        let Some(&data) = cx.prebuilt.get(p.index()) else {
            return Err(module_err(format!("jit: unknown prebuilt object {p}")));
        };
        let gv = cx.module.declare_data_in_data(data, &mut desc);
        desc.write_data_addr((8 * i) as u32, gv, 0);
    }
    cx.data_size += 8 * tables.refconsts.len();
    define(cx, abi::symbols::REFCONSTS, desc)?;

    let mut desc = DataDescription::new();
    desc.define(vec![0u8; 8 * tables.fnptrs.len().max(1)].into_boxed_slice());
    desc.set_align(8);
    for (i, f) in tables.fnptrs.iter().enumerate() {
        let fid = match f {
            JitFn::Graph(g) => *cx
                .graph_funcs
                .get(g.index())
                .ok_or_else(|| module_err(format!("jit: unknown graph {g}")))?,
            JitFn::Runtime(name) => match cx.imported(name) {
                Some(id) => id,
                None => {
                    let sig = cx.module.make_signature();
                    cx.import(name, &sig).map_err(module_err)?
                }
            },
        };
        let fr = cx.module.declare_func_in_data(fid, &mut desc);
        desc.write_function_addr((8 * i) as u32, fr);
    }
    cx.data_size += 8 * tables.fnptrs.len();
    define(cx, abi::symbols::FNPTRS, desc)
}
