//! Heap operations of traces: field and array-item loads and stores
//! (narrow ints extended per kind on load, truncated on store), the write
//! barrier of reference stores, allocation and calls.

use crate::lower::Lower;
use crate::roots::var_index;
use crate::types::abi_type;
use crate::CompileError;
use abi::layout::{ARRAY_ITEMS_OFFSET, FLAG_HAS_CARDS, FLAG_TRACK_YOUNG_PTRS};
use abi::{IntKind, Kind};
use cranelift_codegen::ir::{self, types, AbiParam, InstBuilder, MemFlagsData};
use traceir::ops::Type as TType;
use traceir::{Descr, Value};

fn ttype(kind: Kind) -> TType {
    match kind {
        Kind::Int(_) => TType::Int,
        Kind::Ref => TType::Ref,
        Kind::Float => TType::Float,
    }
}

impl Lower<'_, '_> {
    /// Loads a value of `kind` at `addr + off`, normalised to 64 bits.
    fn load_kind(
        &mut self,
        i: usize,
        kind: Kind,
        addr: ir::Value,
        off: i32,
    ) -> Result<ir::Value, CompileError> {
        let f = MemFlagsData::trusted();
        let ins = self.b.ins();
        Ok(match kind {
            Kind::Int(IntKind { bits: 8, signed }) if signed => {
                ins.sload8(types::I64, f, addr, off)
            }
            Kind::Int(IntKind { bits: 8, .. }) => ins.uload8(types::I64, f, addr, off),
            Kind::Int(IntKind { bits: 16, signed }) if signed => {
                ins.sload16(types::I64, f, addr, off)
            }
            Kind::Int(IntKind { bits: 16, .. }) => ins.uload16(types::I64, f, addr, off),
            Kind::Int(IntKind { bits: 32, signed }) if signed => ins.sload32(f, addr, off),
            Kind::Int(IntKind { bits: 32, .. }) => ins.uload32(f, addr, off),
            Kind::Int(IntKind { bits: 64, .. }) | Kind::Ref => ins.load(types::I64, f, addr, off),
            Kind::Float => ins.load(types::F64, f, addr, off),
            Kind::Int(k) => return Err(CompileError::bad(i, format!("bad int kind {k:?}"))),
        })
    }

    /// Stores `val` (a 64-bit word or f64) as `kind` at `addr + off`.
    fn store_kind(
        &mut self,
        i: usize,
        kind: Kind,
        val: ir::Value,
        addr: ir::Value,
        off: i32,
    ) -> Result<(), CompileError> {
        let f = MemFlagsData::trusted();
        let ins = self.b.ins();
        match kind {
            Kind::Int(IntKind { bits: 8, .. }) => ins.istore8(f, val, addr, off),
            Kind::Int(IntKind { bits: 16, .. }) => ins.istore16(f, val, addr, off),
            Kind::Int(IntKind { bits: 32, .. }) => ins.istore32(f, val, addr, off),
            Kind::Int(IntKind { bits: 64, .. }) | Kind::Ref | Kind::Float => {
                ins.store(f, val, addr, off)
            }
            Kind::Int(k) => return Err(CompileError::bad(i, format!("bad int kind {k:?}"))),
        };
        Ok(())
    }

    fn field_descr(&self, i: usize) -> Result<abi::FieldDescr, CompileError> {
        match self.trace.ops[i].descr {
            Descr::Field(f) if f.offset <= i32::MAX as u32 => Ok(f),
            _ => Err(CompileError::bad(i, "needs a field descr")),
        }
    }

    fn array_descr(&self, i: usize) -> Result<abi::ArrayDescr, CompileError> {
        match self.trace.ops[i].descr {
            Descr::Array(a) => Ok(a),
            _ => Err(CompileError::bad(i, "needs an array descr")),
        }
    }

    fn check_result(&self, i: usize, kind: Kind) -> Result<(), CompileError> {
        if self.trace.ops[i].result_type() != ttype(kind) {
            return Err(CompileError::bad(i, "result type differs from the descr's"));
        }
        Ok(())
    }

    pub(crate) fn getfield(&mut self, i: usize) -> Result<ir::Value, CompileError> {
        let f = self.field_descr(i)?;
        self.check_result(i, f.kind)?;
        let obj = self.arg(i, 0, TType::Ref)?;
        self.load_kind(i, f.kind, obj, f.offset as i32)
    }

    pub(crate) fn setfield(&mut self, i: usize) -> Result<(), CompileError> {
        let f = self.field_descr(i)?;
        let obj = self.arg(i, 0, TType::Ref)?;
        let val = self.arg(i, 1, ttype(f.kind))?;
        if f.kind == Kind::Ref {
            self.barrier(i, obj, None);
        }
        self.store_kind(i, f.kind, val, obj, f.offset as i32)
    }

    /// A store a failing guard `i` does on its way out (`Op::exit_stores`):
    /// never of a reference, so no write barrier.
    pub(crate) fn exit_store(
        &mut self,
        i: usize,
        s: &traceir::ExitStore,
    ) -> Result<(), CompileError> {
        let typed = |l: &mut Self, v: Value, ty: TType| -> Result<ir::Value, CompileError> {
            if l.trace.type_of(v) != ty {
                return Err(CompileError::bad(
                    i,
                    "exit store argument of the wrong type",
                ));
            }
            l.value(v, i)
        };
        match (s.opcode, &s.descr) {
            (traceir::Opcode::SetfieldGc, Descr::Field(f))
                if s.args.len() == 2 && f.kind != Kind::Ref && f.offset <= i32::MAX as u32 =>
            {
                let obj = typed(self, s.args[0], TType::Ref)?;
                let val = typed(self, s.args[1], ttype(f.kind))?;
                self.store_kind(i, f.kind, val, obj, f.offset as i32)
            }
            (traceir::Opcode::SetarrayitemGc, Descr::Array(a))
                if s.args.len() == 3 && a.item != Kind::Ref =>
            {
                let arr = typed(self, s.args[0], TType::Ref)?;
                let index = typed(self, s.args[1], TType::Int)?;
                let val = typed(self, s.args[2], ttype(a.item))?;
                let addr = self.item_addr(arr, index, a.item_size);
                self.store_kind(i, a.item, val, addr, ARRAY_ITEMS_OFFSET as i32)
            }
            _ => Err(CompileError::bad(
                i,
                "a guard's exit store must be a setfield_gc or setarrayitem_gc of a non-reference",
            )),
        }
    }

    /// `array + index * item_size` (the items' offset goes in the access).
    fn item_addr(&mut self, arr: ir::Value, index: ir::Value, size: u32) -> ir::Value {
        let scaled = self.b.ins().imul_imm_u(index, size as i64);
        self.b.ins().iadd(arr, scaled)
    }

    pub(crate) fn getarrayitem(&mut self, i: usize) -> Result<ir::Value, CompileError> {
        let a = self.array_descr(i)?;
        self.check_result(i, a.item)?;
        let arr = self.arg(i, 0, TType::Ref)?;
        let index = self.arg(i, 1, TType::Int)?;
        let addr = self.item_addr(arr, index, a.item_size);
        self.load_kind(i, a.item, addr, ARRAY_ITEMS_OFFSET as i32)
    }

    pub(crate) fn setarrayitem(&mut self, i: usize) -> Result<(), CompileError> {
        let a = self.array_descr(i)?;
        let arr = self.arg(i, 0, TType::Ref)?;
        let index = self.arg(i, 1, TType::Int)?;
        let val = self.arg(i, 2, ttype(a.item))?;
        if a.item == Kind::Ref {
            self.barrier(i, arr, Some(index));
        }
        let addr = self.item_addr(arr, index, a.item_size);
        self.store_kind(i, a.item, val, addr, ARRAY_ITEMS_OFFSET as i32)
    }

    /// The write barrier before storing the last argument of op `i` (a
    /// reference) into `obj` (item `index` for arrays). Skipped for null
    /// and for objects allocated since the last collection point.
    fn barrier(&mut self, i: usize, obj: ir::Value, index: Option<ir::Value>) {
        let op = &self.trace.ops[i];
        if op.args.last() == Some(&Value::Null) {
            return;
        }
        if let Some(v) = var_index(self.trace, op.args[0]) {
            if self.fresh.contains(&v) {
                return;
            }
        }
        let rt = self.env.rt;
        let hdr = self
            .b
            .ins()
            .load(types::I64, MemFlagsData::trusted(), obj, 0);
        let track = self.b.ins().band_imm_u(hdr, FLAG_TRACK_YOUNG_PTRS as i64);
        let slow = self.b.create_block();
        let cont = self.b.create_block();
        self.b.set_cold_block(slow);
        self.b.ins().brif(track, slow, &[], cont, &[]);
        self.b.seal_block(slow);
        self.b.switch_to_block(slow);
        let one = || vec![AbiParam::new(types::I64)];
        match index {
            None => {
                self.call_addr(rt.write_barrier, one(), None, &[obj]);
                self.b.ins().jump(cont, &[]);
            }
            Some(index) => {
                let cards = self.b.ins().band_imm_u(hdr, FLAG_HAS_CARDS as i64);
                let with_cards = self.b.create_block();
                let plain = self.b.create_block();
                self.b.set_cold_block(with_cards);
                self.b.set_cold_block(plain);
                self.b.ins().brif(cards, with_cards, &[], plain, &[]);
                self.b.seal_block(with_cards);
                self.b.seal_block(plain);
                self.b.switch_to_block(with_cards);
                let two = vec![AbiParam::new(types::I64); 2];
                self.call_addr(rt.write_barrier_array, two, None, &[obj, index]);
                self.b.ins().jump(cont, &[]);
                self.b.switch_to_block(plain);
                self.call_addr(rt.write_barrier, one(), None, &[obj]);
                self.b.ins().jump(cont, &[]);
            }
        }
        self.b.seal_block(cont);
        self.b.switch_to_block(cont);
    }

    /// Around an operation that may collect: refs spilled before, reloaded
    /// after; allocation results since then are no longer fresh.
    fn collecting_call(
        &mut self,
        i: usize,
        addr: u64,
        params: Vec<AbiParam>,
        ret: Option<types::Type>,
        args: &[ir::Value],
    ) -> Result<Option<ir::Value>, CompileError> {
        self.spill_roots(i)?;
        let r = self.call_addr(addr, params, ret, args);
        self.reload_roots(i)?;
        self.fresh.clear();
        Ok(r)
    }

    pub(crate) fn new_object(&mut self, i: usize) -> Result<ir::Value, CompileError> {
        let Descr::Size { type_id, size } = self.trace.ops[i].descr else {
            return Err(CompileError::bad(i, "new needs a Size descr"));
        };
        let tid = self.b.ins().iconst(types::I64, type_id as i64);
        let sz = self.b.ins().iconst(types::I64, size as i64);
        let params = vec![AbiParam::new(types::I64); 2];
        let malloc = self.env.rt.malloc;
        let r = self.collecting_call(i, malloc, params, Some(types::I64), &[tid, sz])?;
        self.fresh.insert(self.trace.inputs.len() + i);
        r.ok_or_else(|| CompileError::bad(i, "malloc returned nothing"))
    }

    pub(crate) fn new_array(&mut self, i: usize) -> Result<ir::Value, CompileError> {
        let Descr::ArrayAlloc { type_id, item_size } = self.trace.ops[i].descr else {
            return Err(CompileError::bad(i, "new_array needs an ArrayAlloc descr"));
        };
        let len = self.arg(i, 0, TType::Int)?;
        let tid = self.b.ins().iconst(types::I64, type_id as i64);
        let isz = self.b.ins().iconst(types::I64, item_size as i64);
        let params = vec![AbiParam::new(types::I64); 3];
        let malloc = self.env.rt.malloc_array;
        let r = self.collecting_call(i, malloc, params, Some(types::I64), &[tid, isz, len])?;
        self.fresh.insert(self.trace.inputs.len() + i);
        r.ok_or_else(|| CompileError::bad(i, "malloc_array returned nothing"))
    }

    /// A call op: signature from its call descr; narrow int arguments
    /// truncated, a narrow int result normalised to 64 bits.
    pub(crate) fn call(&mut self, i: usize) -> Result<Option<ir::Value>, CompileError> {
        let env = self.env;
        let op = &self.trace.ops[i];
        let Descr::Call(ci) = op.descr else {
            return Err(CompileError::bad(i, "call needs a Call descr"));
        };
        let cd = env
            .calls
            .get(ci as usize)
            .ok_or_else(|| CompileError::bad(i, format!("call descr {ci} out of range")))?;
        let addr = *env
            .fnptrs
            .get(cd.fnptr as usize)
            .ok_or_else(|| CompileError::bad(i, format!("fnptr {} out of range", cd.fnptr)))?;
        if op.args.len() != cd.args.len() {
            return Err(CompileError::bad(
                i,
                format!("{} args for {} parameters", op.args.len(), cd.args.len()),
            ));
        }
        let want = op.result_type();
        let ret = match (want, cd.ret) {
            (TType::Void, _) => None,
            (t, Some(k)) if ttype(k) == t => Some(k),
            _ => return Err(CompileError::bad(i, "call result differs from the descr's")),
        };
        let mut params = Vec::new();
        let mut args = Vec::new();
        for (k, &kind) in cd.args.iter().enumerate() {
            let ty = abi_type(kind).ok_or_else(|| CompileError::bad(i, "bad argument kind"))?;
            let mut v = self.arg(i, k, ttype(kind))?;
            let mut p = AbiParam::new(ty);
            if let Kind::Int(ik) = kind {
                if ik.bits < 64 {
                    v = self.b.ins().ireduce(ty, v);
                    p = if ik.signed { p.sext() } else { p.uext() };
                }
            }
            params.push(p);
            args.push(v);
        }
        let ret_ty = match ret {
            Some(k) => Some(abi_type(k).ok_or_else(|| CompileError::bad(i, "bad result kind"))?),
            None => None,
        };
        let r = if cd.effects.may_collect {
            self.collecting_call(i, addr, params, ret_ty, &args)?
        } else {
            self.call_addr(addr, params, ret_ty, &args)
        };
        Ok(match (r, ret) {
            (Some(v), Some(Kind::Int(ik))) if ik.bits < 64 => Some(if ik.signed {
                self.b.ins().sextend(types::I64, v)
            } else {
                self.b.ins().uextend(types::I64, v)
            }),
            (r, _) => r,
        })
    }
}
