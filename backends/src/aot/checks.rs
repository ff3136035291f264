//! Runtime checks: the test inline, the failure in a cold block that calls
//! the runtime's panic entry with Rust's message and the op's location.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{types, InstBuilder, Value};
use flowspace::span::Span;
use rtyper::llgraph::{CheckKind, LLOp};
use rtyper::lltype::LLType;

use super::function::{FnLower, LResult, UNREACHABLE_TRAP};
use super::types::{cl_type, int_bits, mask_imm};

impl FnLower<'_, '_, '_> {
    pub(crate) fn lower_check(&mut self, kind: CheckKind, op: &LLOp) -> LResult<()> {
        let span = op.span;
        match kind {
            CheckKind::Bounds => {
                let a = self.check_operands(op, 2)?;
                let idx = self.word(a[0]);
                let len = self.word(a[1]);
                let ok = self.b.ins().icmp(IntCC::UnsignedLessThan, idx, len);
                self.guard(ok, true, |fl| {
                    let (loc, loc_len) = fl.location(span)?;
                    let f = fl
                        .cx
                        .import_words("rr_panic_bounds", 4, false)
                        .map_err(|m| fl.err(m))?;
                    fl.call(f, &[idx, len, loc, loc_len]);
                    Ok(())
                })
            }
            CheckKind::DivZero | CheckKind::RemZero => {
                let a = self.check_operands(op, 1)?;
                let msg = if kind == CheckKind::DivZero {
                    "attempt to divide by zero"
                } else {
                    "attempt to calculate the remainder with a divisor of zero"
                };
                let zero = self.b.ins().icmp_imm_s(IntCC::Equal, a[0], 0);
                self.guard(zero, false, |fl| fl.panic_msg(msg, span))
            }
            CheckKind::DivOverflow | CheckKind::RemOverflow => {
                let a = self.check_operands(op, 2)?;
                let ty = self.value_type(&op.args[0])?;
                let LLType::Int(it) = ty else {
                    return Err(self.err(format!("{kind:?} check on {ty:?}")));
                };
                if !it.signed() {
                    // Unsigned division cannot overflow.
                    return Ok(());
                }
                let t = cl_type(ty).expect("int");
                let bits = int_bits(ty).expect("int");
                let min = self
                    .b
                    .ins()
                    .iconst(t, mask_imm(i64::MIN >> (64 - bits), bits));
                let m1 = self.b.ins().iconst(t, mask_imm(-1, bits));
                let is_min = self.b.ins().icmp(IntCC::Equal, a[0], min);
                let is_m1 = self.b.ins().icmp(IntCC::Equal, a[1], m1);
                let bad = self.b.ins().band(is_min, is_m1);
                let msg = if kind == CheckKind::DivOverflow {
                    "attempt to divide with overflow"
                } else {
                    "attempt to calculate the remainder with overflow"
                };
                self.guard(bad, false, |fl| fl.panic_msg(msg, span))
            }
            CheckKind::UnwrapNone => {
                let a = self.check_operands(op, 1)?;
                self.guard(a[0], true, |fl| {
                    fl.panic_msg("called `Option::unwrap()` on a `None` value", span)
                })
            }
            CheckKind::Expect => {
                let a = self.check_operands(op, 2)?;
                let message = a[1];
                self.guard(a[0], true, |fl| {
                    let text = fl.location_text(span)?;
                    let obj = fl
                        .cx
                        .static_string_object(text.as_bytes())
                        .map_err(|m| fl.err(m))?;
                    let loc = fl.data_addr(obj);
                    let f = fl
                        .cx
                        .import_words("rr_panic_str", 2, false)
                        .map_err(|m| fl.err(m))?;
                    fl.call(f, &[message, loc]);
                    Ok(())
                })
            }
        }
    }

    fn check_operands(&mut self, op: &LLOp, n: usize) -> LResult<Vec<Value>> {
        if op.args.len() != n {
            return Err(self.err(format!(
                "check {:?} takes {n} operands, got {}",
                op.kind,
                op.args.len()
            )));
        }
        op.args.iter().map(|a| self.value1(a)).collect()
    }

    /// Continues when `cond == ok_when`; otherwise runs `fail` in a cold
    /// block (which must call something that never returns).
    fn guard(
        &mut self,
        cond: Value,
        ok_when: bool,
        fail: impl FnOnce(&mut Self) -> LResult<()>,
    ) -> LResult<()> {
        let cold = self.b.create_block();
        self.b.set_cold_block(cold);
        let cont = self.b.create_block();
        if ok_when {
            self.b.ins().brif(cond, cont, &[], cold, &[]);
        } else {
            self.b.ins().brif(cond, cold, &[], cont, &[]);
        }
        self.b.switch_to_block(cold);
        fail(self)?;
        self.b.ins().trap(UNREACHABLE_TRAP);
        self.b.switch_to_block(cont);
        Ok(())
    }

    fn panic_msg(&mut self, msg: &str, span: Span) -> LResult<()> {
        let m = self
            .cx
            .static_bytes(msg.as_bytes())
            .map_err(|e| self.err(e))?;
        let m = self.data_addr(m);
        let ml = self.b.ins().iconst(types::I64, msg.len() as i64);
        let (loc, loc_len) = self.location(span)?;
        let f = self
            .cx
            .import_words("rr_panic_msg", 4, false)
            .map_err(|e| self.err(e))?;
        self.call(f, &[m, ml, loc, loc_len]);
        Ok(())
    }

    /// `file:line:col` as rustc prints it in panics.
    fn location_text(&self, span: Span) -> LResult<String> {
        match self.cx.program.files.get(span.file as usize) {
            Some(path) => Ok(format!("{}:{}:{}", path, span.line, span.col)),
            None => Err(self.err(format!("span refers to unknown file {}", span.file))),
        }
    }

    /// Address and length of the static `file:line:col` bytes.
    fn location(&mut self, span: Span) -> LResult<(Value, Value)> {
        let text = self.location_text(span)?;
        let data = self
            .cx
            .static_bytes(text.as_bytes())
            .map_err(|e| self.err(e))?;
        let p = self.data_addr(data);
        let n = self.b.ins().iconst(types::I64, text.len() as i64);
        Ok((p, n))
    }
}
