//! The PyPy-log text form of a trace (`jit-log-opt` style):
//!
//! ```text
//! [i0, p1]
//! label(i0, p1)
//! debug_merge_point('pc=3 op=+')
//! i2 = getarrayitem_gc_i(p1, i0, descr=<Array u8>)
//! guard_true(i2, descr=<Guard 0>) [i0, p1]
//! jump(i0, p1)
//! ```
//!
//! Inputs and results share one numbering (inputs first), prefixed by type
//! (`i` int, `p` ref, `f` float). Constants: decimal ints, floats with a
//! `.` or an exponent (`inf`, `-inf`, `nan`), `NULL`, `ConstPtr(ptrN)` for
//! `Trace::gcrefs[N]`. Guards print their `resume` as `descr=<Guard N>`
//! (a guard that enters loop N at its top, `Descr::Restart`, as
//! `descr=<Restart N>`) and their `fail_args` in brackets, then each
//! object the optimiser did not allocate (`Op::virtuals`) as
//! `virtual(#slot, descr=<Size T S>, <Field 8 i64>=#k, ...)`, where `#n`
//! is fail arg `n`. Addresses of reference constants are
//! not printed: parsing gives entry `i` the fake address `0x1000 + 8*i`.
//! Blank lines and lines starting with `#` are ignored by the parser.

mod parse;

pub use parse::{parse, ParseError};

use crate::ops::Type;
use crate::trace::{Descr, Op, Trace, Value};
use abi::{CallDescr, IntKind, Kind};
use std::fmt::Write;

/// The fake address the parser gives reference constant `i`.
pub fn fake_gcref(i: u32) -> u64 {
    0x1000 + 8 * i as u64
}

/// Prints `trace`; `calls` (may be empty) names the callees of `<Call N>`.
pub fn print(trace: &Trace, calls: &[CallDescr]) -> String {
    let names = Names::new(trace);
    let mut out = String::new();
    out.push('[');
    for (i, &ty) in trace.inputs.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{}{}", prefix(ty), i);
    }
    out.push_str("]\n");
    for (i, op) in trace.ops.iter().enumerate() {
        print_op(&mut out, &names, i, op, calls);
        out.push('\n');
    }
    out
}

/// The line `print` writes for operation `index` (for diagnostics and
/// logs); empty when there is no such operation.
pub fn print_op_line(trace: &Trace, index: usize, calls: &[CallDescr]) -> String {
    let mut out = String::new();
    if let Some(op) = trace.ops.get(index) {
        print_op(&mut out, &Names::new(trace), index, op, calls);
    }
    out
}

fn print_op(out: &mut String, names: &Names, i: usize, op: &Op, calls: &[CallDescr]) {
    if op.result_type() != Type::Void {
        out.push_str(&names.name(Value::Op(i as u32)));
        out.push_str(" = ");
    }
    out.push_str(op.opcode.name());
    out.push('(');
    let mut items: Vec<String> = op.args.iter().map(|&v| names.name(v)).collect();
    if let (true, Descr::Restart(n)) = (op.opcode.flags().guard, &op.descr) {
        items.push(format!("descr=<Restart {n}>"));
    } else if op.opcode.flags().guard {
        items.push(format!("descr=<Guard {}>", op.resume));
    } else {
        match &op.descr {
            Descr::None => {}
            Descr::Text(s) => items.push(quote(s)),
            d => items.push(format!("descr={}", descr_text(d, calls))),
        }
    }
    out.push_str(&items.join(", "));
    out.push(')');
    if op.opcode.flags().guard || !op.fail_args.is_empty() {
        let fa: Vec<String> = op.fail_args.iter().map(|&v| names.name(v)).collect();
        let _ = write!(out, " [{}]", fa.join(", "));
    }
    for v in &op.virtuals {
        let mut items = vec![
            format!("#{}", v.slot),
            format!(
                "descr={}",
                descr_text(
                    &Descr::Size {
                        type_id: v.type_id,
                        size: v.size
                    },
                    calls
                )
            ),
        ];
        for (fd, k) in &v.fields {
            items.push(format!("{}=#{k}", descr_text(&Descr::Field(*fd), calls)));
        }
        let _ = write!(out, " virtual({})", items.join(", "));
    }
    // Stores done on the guard's way out (printed only; not parsed).
    if !op.exit_stores.is_empty() {
        let st: Vec<String> = op
            .exit_stores
            .iter()
            .map(|s| {
                let mut items: Vec<String> = s.args.iter().map(|&v| names.name(v)).collect();
                items.push(format!("descr={}", descr_text(&s.descr, calls)));
                format!("{}({})", s.opcode.name(), items.join(", "))
            })
            .collect();
        let _ = write!(out, " {{{}}}", st.join("; "));
    }
}

/// The `<...>` form of a descriptor other than `Text` and `None`.
pub fn descr_text(d: &Descr, calls: &[CallDescr]) -> String {
    match d {
        Descr::None => "<None>".to_string(),
        Descr::Field(f) => format!("<Field {} {}>", f.offset, kind_name(f.kind)),
        Descr::Array(a) => {
            if a.item_size == a.item.bytes() {
                format!("<Array {}>", kind_name(a.item))
            } else {
                format!("<Array {} {}>", kind_name(a.item), a.item_size)
            }
        }
        Descr::Size { type_id, size } => format!("<Size {type_id} {size}>"),
        Descr::ArrayAlloc { type_id, item_size } => {
            format!("<ArrayAlloc {type_id} {item_size}>")
        }
        Descr::Call(n) => match calls.get(*n as usize) {
            Some(c) if !c.name.is_empty() => format!("<Call {} {}>", n, c.name),
            _ => format!("<Call {n}>"),
        },
        Descr::IntKind(k) => format!("<IntKind {}>", int_kind_name(*k)),
        Descr::Text(s) => quote(s),
        Descr::Target(n) => format!("<Target {n}>"),
        Descr::Body(n) => format!("<Body {n}>"),
        Descr::Restart(n) => format!("<Restart {n}>"),
    }
}

fn quote(s: &str) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

pub(crate) fn prefix(ty: Type) -> char {
    match ty {
        Type::Int => 'i',
        Type::Ref => 'p',
        Type::Float => 'f',
        Type::Void => 'v',
    }
}

pub(crate) fn int_kind_name(k: IntKind) -> String {
    format!("{}{}", if k.signed { 'i' } else { 'u' }, k.bits)
}

pub(crate) fn kind_name(k: Kind) -> String {
    match k {
        Kind::Int(k) => int_kind_name(k),
        Kind::Ref => "ref".to_string(),
        Kind::Float => "float".to_string(),
    }
}

/// Text of a float constant (parses back to the same bits).
fn float_text(bits: u64) -> String {
    let f = f64::from_bits(bits);
    if f.is_nan() {
        if bits == f64::NAN.to_bits() {
            "nan".to_string()
        } else {
            format!("nan_{bits:#x}")
        }
    } else if f.is_infinite() {
        if f > 0.0 { "inf" } else { "-inf" }.to_string()
    } else {
        format!("{f:?}")
    }
}

/// The printed name of every value of one trace.
struct Names<'a> {
    trace: &'a Trace,
    /// Number of each op's result in the shared sequence.
    op_num: Vec<usize>,
}

impl<'a> Names<'a> {
    fn new(trace: &'a Trace) -> Names<'a> {
        let mut n = trace.inputs.len();
        let op_num = trace
            .ops
            .iter()
            .map(|op| {
                let this = n;
                if op.result_type() != Type::Void {
                    n += 1;
                }
                this
            })
            .collect();
        Names { trace, op_num }
    }

    fn name(&self, v: Value) -> String {
        match v {
            Value::Input(i) => match self.trace.inputs.get(i as usize) {
                Some(&ty) => format!("{}{}", prefix(ty), i),
                None => format!("?input{i}"),
            },
            Value::Op(i) => match self.trace.ops.get(i as usize) {
                Some(op) if op.result_type() != Type::Void => {
                    format!("{}{}", prefix(op.result_type()), self.op_num[i as usize])
                }
                _ => format!("?op{i}"),
            },
            Value::ConstInt(c) => c.to_string(),
            Value::ConstFloat(b) => float_text(b),
            Value::ConstRef(i) => format!("ConstPtr(ptr{i})"),
            Value::Null => "NULL".to_string(),
        }
    }
}

#[cfg(test)]
mod tests;
