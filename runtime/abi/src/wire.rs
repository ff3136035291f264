//! The byte encoding of a `JitProgram`: little-endian, LEB128 for lengths
//! and small numbers, a tag byte per enum. Written by the backend into the
//! object file, read once by the runtime JIT at startup.

use crate::jitcode::*;

/// A malformed encoding (a translator/runtime version mismatch).
#[derive(Debug, Clone, PartialEq)]
pub struct DecodeError(pub String);

pub struct Writer {
    pub bytes: Vec<u8>,
}

pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

/// Encodes a program.
pub fn encode(p: &JitProgram) -> Vec<u8> {
    let mut w = Writer { bytes: Vec::new() };
    w.bytes.extend_from_slice(MAGIC);
    p.put(&mut w);
    w.bytes
}

/// Decodes what `encode` wrote.
pub fn decode(bytes: &[u8]) -> Result<JitProgram, DecodeError> {
    if !bytes.starts_with(MAGIC) {
        return Err(DecodeError("not a jit program (bad magic)".into()));
    }
    let mut r = Reader {
        bytes,
        pos: MAGIC.len(),
    };
    let p = JitProgram::get(&mut r)?;
    if r.pos != bytes.len() {
        return Err(DecodeError("trailing bytes".into()));
    }
    Ok(p)
}

const MAGIC: &[u8] = b"RRJIT\x01";

impl Writer {
    fn u8(&mut self, x: u8) {
        self.bytes.push(x);
    }
    fn uleb(&mut self, mut x: u64) {
        loop {
            let b = (x & 0x7f) as u8;
            x >>= 7;
            if x == 0 {
                self.bytes.push(b);
                return;
            }
            self.bytes.push(b | 0x80);
        }
    }
    fn sleb(&mut self, x: i64) {
        // Zigzag, then unsigned LEB128.
        self.uleb(((x << 1) ^ (x >> 63)) as u64);
    }
}

impl Reader<'_> {
    fn err<T>(&self, what: &str) -> Result<T, DecodeError> {
        Err(DecodeError(format!("{what} at byte {}", self.pos)))
    }
    fn u8(&mut self) -> Result<u8, DecodeError> {
        match self.bytes.get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                Ok(b)
            }
            None => self.err("unexpected end"),
        }
    }
    fn uleb(&mut self) -> Result<u64, DecodeError> {
        let mut x = 0u64;
        let mut shift = 0;
        loop {
            let b = self.u8()?;
            if shift >= 64 {
                return self.err("number too long");
            }
            x |= ((b & 0x7f) as u64) << shift;
            if b & 0x80 == 0 {
                return Ok(x);
            }
            shift += 7;
        }
    }
    fn sleb(&mut self) -> Result<i64, DecodeError> {
        let z = self.uleb()?;
        Ok(((z >> 1) as i64) ^ -((z & 1) as i64))
    }
    fn u32(&mut self) -> Result<u32, DecodeError> {
        let x = self.uleb()?;
        u32::try_from(x).or_else(|_| self.err("number out of range"))
    }
}

/// A value with an encoding.
trait Wire: Sized {
    fn put(&self, w: &mut Writer);
    fn get(r: &mut Reader) -> Result<Self, DecodeError>;
}

impl Wire for u8 {
    fn put(&self, w: &mut Writer) {
        w.u8(*self)
    }
    fn get(r: &mut Reader) -> Result<Self, DecodeError> {
        r.u8()
    }
}
impl Wire for u16 {
    fn put(&self, w: &mut Writer) {
        w.uleb(*self as u64)
    }
    fn get(r: &mut Reader) -> Result<Self, DecodeError> {
        let x = r.uleb()?;
        u16::try_from(x).or_else(|_| r.err("number out of range"))
    }
}
impl Wire for u32 {
    fn put(&self, w: &mut Writer) {
        w.uleb(*self as u64)
    }
    fn get(r: &mut Reader) -> Result<Self, DecodeError> {
        r.u32()
    }
}
impl Wire for u64 {
    fn put(&self, w: &mut Writer) {
        w.uleb(*self)
    }
    fn get(r: &mut Reader) -> Result<Self, DecodeError> {
        r.uleb()
    }
}
impl Wire for i64 {
    fn put(&self, w: &mut Writer) {
        w.sleb(*self)
    }
    fn get(r: &mut Reader) -> Result<Self, DecodeError> {
        r.sleb()
    }
}
impl Wire for bool {
    fn put(&self, w: &mut Writer) {
        w.u8(*self as u8)
    }
    fn get(r: &mut Reader) -> Result<Self, DecodeError> {
        match r.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => r.err("bad bool"),
        }
    }
}
impl Wire for String {
    fn put(&self, w: &mut Writer) {
        w.uleb(self.len() as u64);
        w.bytes.extend_from_slice(self.as_bytes());
    }
    fn get(r: &mut Reader) -> Result<Self, DecodeError> {
        let n = r.uleb()? as usize;
        let end = r.pos.checked_add(n).filter(|&e| e <= r.bytes.len());
        let Some(end) = end else {
            return r.err("string past the end");
        };
        let s = std::str::from_utf8(&r.bytes[r.pos..end])
            .map_err(|_| DecodeError("string not UTF-8".into()))?
            .to_string();
        r.pos = end;
        Ok(s)
    }
}
impl<T: Wire> Wire for Vec<T> {
    fn put(&self, w: &mut Writer) {
        w.uleb(self.len() as u64);
        for x in self {
            x.put(w);
        }
    }
    fn get(r: &mut Reader) -> Result<Self, DecodeError> {
        let n = r.uleb()? as usize;
        if n > r.bytes.len() - r.pos {
            return r.err("vector longer than the input");
        }
        (0..n).map(|_| T::get(r)).collect()
    }
}
impl<T: Wire> Wire for Option<T> {
    fn put(&self, w: &mut Writer) {
        match self {
            None => w.u8(0),
            Some(x) => {
                w.u8(1);
                x.put(w)
            }
        }
    }
    fn get(r: &mut Reader) -> Result<Self, DecodeError> {
        match r.u8()? {
            0 => Ok(None),
            1 => Ok(Some(T::get(r)?)),
            _ => r.err("bad option tag"),
        }
    }
}
impl<A: Wire, B: Wire> Wire for (A, B) {
    fn put(&self, w: &mut Writer) {
        self.0.put(w);
        self.1.put(w);
    }
    fn get(r: &mut Reader) -> Result<Self, DecodeError> {
        Ok((A::get(r)?, B::get(r)?))
    }
}
impl<const N: usize> Wire for [u16; N] {
    fn put(&self, w: &mut Writer) {
        for x in self {
            x.put(w);
        }
    }
    fn get(r: &mut Reader) -> Result<Self, DecodeError> {
        let mut out = [0u16; N];
        for x in &mut out {
            *x = u16::get(r)?;
        }
        Ok(out)
    }
}

/// Structs: their fields in order.
macro_rules! wire_struct {
    ($t:ident { $($f:ident),* }) => {
        impl Wire for $t {
            fn put(&self, w: &mut Writer) {
                $( self.$f.put(w); )*
            }
            fn get(r: &mut Reader) -> Result<Self, DecodeError> {
                Ok($t { $( $f: Wire::get(r)?, )* })
            }
        }
    };
}

/// Fieldless enums: one tag byte.
macro_rules! wire_unit_enum {
    ($t:ident { $($v:ident = $n:literal),* }) => {
        impl Wire for $t {
            fn put(&self, w: &mut Writer) {
                w.u8(match self { $( $t::$v => $n, )* })
            }
            fn get(r: &mut Reader) -> Result<Self, DecodeError> {
                match r.u8()? {
                    $( $n => Ok($t::$v), )*
                    _ => r.err(concat!("bad ", stringify!($t), " tag")),
                }
            }
        }
    };
}

/// Enums with fields: a tag byte, then the fields (struct-like variants).
macro_rules! wire_enum {
    ($t:ident { $($v:ident = $n:literal { $($f:ident),* }),* $(,)? }) => {
        impl Wire for $t {
            fn put(&self, w: &mut Writer) {
                match self {
                    $( $t::$v { $($f),* } => { w.u8($n); $( $f.put(w); )* } )*
                }
            }
            fn get(r: &mut Reader) -> Result<Self, DecodeError> {
                match r.u8()? {
                    $( $n => Ok($t::$v { $( $f: Wire::get(r)?, )* }), )*
                    _ => r.err(concat!("bad ", stringify!($t), " tag")),
                }
            }
        }
    };
}

wire_unit_enum!(Bank { Int = 0, Ref = 1, Float = 2 });
wire_struct!(IntKind { bits, signed });
wire_struct!(Reg { bank, index });
wire_unit_enum!(IntBinOp {
    Add = 0,
    Sub = 1,
    Mul = 2,
    Div = 3,
    Rem = 4,
    And = 5,
    Or = 6,
    Xor = 7,
    Shl = 8,
    Shr = 9
});
wire_unit_enum!(IntUnOp { Neg = 0, Not = 1 });
wire_unit_enum!(FloatBinOp {
    Add = 0,
    Sub = 1,
    Mul = 2,
    Div = 3,
    Rem = 4
});
wire_unit_enum!(Cmp {
    Eq = 0,
    Ne = 1,
    Lt = 2,
    Le = 3,
    Gt = 4,
    Ge = 5
});
wire_struct!(FieldDescr { offset, kind });
wire_struct!(ArrayDescr { item, item_size });
wire_struct!(Jump { target, moves });
wire_struct!(JitCode {
    name,
    num_regs,
    params,
    ret,
    insns,
    has_loop
});
wire_struct!(Effects {
    may_collect,
    can_panic,
    elidable,
    reads_heap,
    writes_heap,
    noreturn
});
wire_struct!(CallDescr {
    name,
    fnptr,
    args,
    ret,
    effects,
    jitcode
});
wire_struct!(JitDriverDescr {
    name,
    jitcode,
    merge_point_pc,
    greens,
    reds,
    immutable_greens,
    get_printable_location
});
wire_struct!(JitProgram {
    jitcodes,
    calls,
    drivers,
    strings,
    num_refconsts,
    num_fnptrs
});

impl Wire for Kind {
    fn put(&self, w: &mut Writer) {
        match self {
            Kind::Int(k) => {
                w.u8(0);
                k.put(w)
            }
            Kind::Ref => w.u8(1),
            Kind::Float => w.u8(2),
        }
    }
    fn get(r: &mut Reader) -> Result<Self, DecodeError> {
        match r.u8()? {
            0 => Ok(Kind::Int(IntKind::get(r)?)),
            1 => Ok(Kind::Ref),
            2 => Ok(Kind::Float),
            _ => r.err("bad Kind tag"),
        }
    }
}

impl Wire for Scalar {
    fn put(&self, w: &mut Writer) {
        match self {
            Scalar::Int(k) => {
                w.u8(0);
                k.put(w)
            }
            Scalar::Float => w.u8(1),
        }
    }
    fn get(r: &mut Reader) -> Result<Self, DecodeError> {
        match r.u8()? {
            0 => Ok(Scalar::Int(IntKind::get(r)?)),
            1 => Ok(Scalar::Float),
            _ => r.err("bad Scalar tag"),
        }
    }
}

impl Wire for Opnd {
    fn put(&self, w: &mut Writer) {
        match self {
            Opnd::Reg(reg) => {
                w.u8(0);
                reg.put(w)
            }
            Opnd::Int(x) => {
                w.u8(1);
                x.put(w)
            }
            Opnd::Float(bits) => {
                w.u8(2);
                w.bytes.extend_from_slice(&bits.to_le_bytes())
            }
            Opnd::RefConst(i) => {
                w.u8(3);
                i.put(w)
            }
            Opnd::Null => w.u8(4),
        }
    }
    fn get(r: &mut Reader) -> Result<Self, DecodeError> {
        match r.u8()? {
            0 => Ok(Opnd::Reg(Reg::get(r)?)),
            1 => Ok(Opnd::Int(i64::get(r)?)),
            2 => {
                let mut b = [0u8; 8];
                for x in &mut b {
                    *x = r.u8()?;
                }
                Ok(Opnd::Float(u64::from_le_bytes(b)))
            }
            3 => Ok(Opnd::RefConst(u32::get(r)?)),
            4 => Ok(Opnd::Null),
            _ => r.err("bad Opnd tag"),
        }
    }
}

impl Wire for CheckKind {
    fn put(&self, w: &mut Writer) {
        match self {
            CheckKind::Bounds => w.u8(0),
            CheckKind::DivZero => w.u8(1),
            CheckKind::RemZero => w.u8(2),
            CheckKind::DivOverflow(k) => {
                w.u8(3);
                k.put(w)
            }
            CheckKind::RemOverflow(k) => {
                w.u8(4);
                k.put(w)
            }
            CheckKind::UnwrapNone => w.u8(5),
            CheckKind::Expect => w.u8(6),
        }
    }
    fn get(r: &mut Reader) -> Result<Self, DecodeError> {
        match r.u8()? {
            0 => Ok(CheckKind::Bounds),
            1 => Ok(CheckKind::DivZero),
            2 => Ok(CheckKind::RemZero),
            3 => Ok(CheckKind::DivOverflow(IntKind::get(r)?)),
            4 => Ok(CheckKind::RemOverflow(IntKind::get(r)?)),
            5 => Ok(CheckKind::UnwrapNone),
            6 => Ok(CheckKind::Expect),
            _ => r.err("bad CheckKind tag"),
        }
    }
}

wire_enum!(Insn {
    IntBin = 0 { op, kind, dst, a, b },
    IntUn = 1 { op, kind, dst, a },
    IntCmp = 2 { cmp, kind, dst, a, b },
    FloatBin = 3 { op, dst, a, b },
    FloatNeg = 4 { dst, a },
    FloatCmp = 5 { cmp, dst, a, b },
    Cast = 6 { from, to, dst, a },
    Move = 7 { dst, src },
    Check = 8 { kind, args, loc },
    New = 9 { dst, type_id, size },
    NewArray = 10 { dst, type_id, item_size, len },
    GetField = 11 { dst, obj, field },
    SetField = 12 { obj, value, field },
    GetArrayItem = 13 { dst, array, index, array_descr },
    SetArrayItem = 14 { array, index, value, array_descr },
    ArrayLen = 15 { dst, array },
    PtrEq = 16 { dst, a, b, ne },
    Call = 17 { call, args, dst },
    Promote = 18 { dst, src },
    IsJitted = 19 { dst },
    MergePoint = 20 { driver, greens, reds },
    Goto = 21 { jump },
    Branch = 22 { cond, then_jump, else_jump },
    Switch = 23 { value, cases, default },
    Return = 24 { value },
    Unreachable = 25 {},
    TypeIdOf = 26 { dst, obj },
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let r0 = Reg {
            bank: Bank::Int,
            index: 0,
        };
        let p = JitProgram {
            jitcodes: vec![JitCode {
                name: "f".into(),
                num_regs: [2, 1, 0],
                params: vec![r0],
                ret: Some(Kind::Int(IntKind::I64)),
                insns: vec![
                    Insn::IntBin {
                        op: IntBinOp::Add,
                        kind: IntKind::I64,
                        dst: r0,
                        a: Opnd::Reg(r0),
                        b: Opnd::Int(-3),
                    },
                    Insn::Move {
                        dst: Reg {
                            bank: Bank::Float,
                            index: 0,
                        },
                        src: Opnd::Float(1.5f64.to_bits()),
                    },
                    Insn::Goto {
                        jump: Jump {
                            target: 3,
                            moves: vec![(r0, Opnd::Int(i64::MIN))],
                        },
                    },
                    Insn::Check {
                        kind: CheckKind::DivOverflow(IntKind::I32),
                        args: vec![Opnd::Null, Opnd::RefConst(7)],
                        loc: 0,
                    },
                    Insn::TypeIdOf {
                        dst: r0,
                        obj: Opnd::RefConst(2),
                    },
                    Insn::Return {
                        value: Some(Opnd::Reg(r0)),
                    },
                    Insn::Unreachable,
                ],
                has_loop: false,
            }],
            calls: vec![CallDescr {
                name: "rr_print".into(),
                fnptr: 0,
                args: vec![Kind::Ref, Kind::Int(IntKind::U64)],
                ret: None,
                effects: Effects {
                    can_panic: true,
                    ..Effects::default()
                },
                jitcode: None,
            }],
            drivers: vec![],
            strings: vec!["a.rs:1:2".into()],
            num_refconsts: 8,
            num_fnptrs: 1,
        };
        let bytes = encode(&p);
        assert_eq!(decode(&bytes), Ok(p));
        assert!(decode(&bytes[..bytes.len() - 1]).is_err());
        assert!(decode(b"nope").is_err());
    }
}
