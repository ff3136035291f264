//! The JIT's description of the translated program (DESIGN §2, step 4).
//!
//! The codewriter turns every low-level graph the JIT may look inside into
//! a `JitCode`: a register bytecode whose registers live in three banks
//! (ints, refs, floats). The metainterp (tracing), the blackhole
//! interpreter (finishing an iteration after a guard failed) and the
//! optimiser read these at run time; the backend writes them into the
//! object file as one encoded `JitProgram` (see `wire`) plus two tables of
//! addresses the linker fills in (prebuilt objects, functions).
//!
//! Values in registers: an int register holds the value of its `IntKind`
//! normalised to 64 bits (sign-extended for signed kinds, zero-extended for
//! unsigned ones, `bool` as 0/1, `char` as its code point); a ref register
//! a GC reference (or 0 for null); a float register an `f64`.

/// A register bank.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum Bank {
    Int,
    Ref,
    Float,
}

/// An integer type: width in bits (8, 16, 32, 64) and signedness. `bool`
/// is `U8` holding 0 or 1; `char` is `U32`.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub struct IntKind {
    pub bits: u8,
    pub signed: bool,
}

impl IntKind {
    pub const I8: IntKind = IntKind::new(8, true);
    pub const I16: IntKind = IntKind::new(16, true);
    pub const I32: IntKind = IntKind::new(32, true);
    pub const I64: IntKind = IntKind::new(64, true);
    pub const U8: IntKind = IntKind::new(8, false);
    pub const U16: IntKind = IntKind::new(16, false);
    pub const U32: IntKind = IntKind::new(32, false);
    pub const U64: IntKind = IntKind::new(64, false);
    pub const BOOL: IntKind = IntKind::U8;
    pub const CHAR: IntKind = IntKind::U32;

    pub const fn new(bits: u8, signed: bool) -> IntKind {
        IntKind { bits, signed }
    }

    /// Size in bytes in memory.
    pub fn bytes(self) -> u32 {
        self.bits as u32 / 8
    }

    /// `x` wrapped into this kind and normalised to 64 bits.
    pub fn normalise(self, x: i64) -> i64 {
        match (self.bits, self.signed) {
            (8, true) => x as i8 as i64,
            (16, true) => x as i16 as i64,
            (32, true) => x as i32 as i64,
            (8, false) => x as u8 as i64,
            (16, false) => x as u16 as i64,
            (32, false) => x as u32 as i64,
            _ => x,
        }
    }
}

/// The kind of a value in memory, in a register, or passed to a call.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum Kind {
    Int(IntKind),
    Ref,
    Float,
}

impl Kind {
    pub fn bank(self) -> Bank {
        match self {
            Kind::Int(_) => Bank::Int,
            Kind::Ref => Bank::Ref,
            Kind::Float => Bank::Float,
        }
    }
    /// Size in bytes in memory.
    pub fn bytes(self) -> u32 {
        match self {
            Kind::Int(k) => k.bytes(),
            Kind::Ref | Kind::Float => 8,
        }
    }
}

/// A register of some bank.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub struct Reg {
    pub bank: Bank,
    pub index: u16,
}

/// An operand: a register or a constant.
#[derive(Copy, Clone, PartialEq, Debug)]
pub enum Opnd {
    Reg(Reg),
    /// An int constant, already normalised for the kind of its use.
    Int(i64),
    /// A float constant, as its bits.
    Float(u64),
    /// Entry `i` of the program's reference-constant table (a prebuilt
    /// object whose address the linker fills in).
    RefConst(u32),
    /// The null reference.
    Null,
}

impl Opnd {
    pub fn bank(&self) -> Bank {
        match self {
            Opnd::Reg(r) => r.bank,
            Opnd::Int(_) => Bank::Int,
            Opnd::Float(_) => Bank::Float,
            Opnd::RefConst(_) | Opnd::Null => Bank::Ref,
        }
    }
}

#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum IntBinOp {
    Add,
    Sub,
    Mul,
    /// Truncating; the divisor was checked by an earlier `Check`.
    Div,
    Rem,
    And,
    Or,
    Xor,
    /// The amount (any int kind) is masked to `bits - 1` of the kind.
    Shl,
    /// Arithmetic for signed kinds, logical for unsigned ones.
    Shr,
}

#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum IntUnOp {
    Neg,
    /// Bitwise not; on `bool` logical not.
    Not,
}

#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum FloatBinOp {
    Add,
    Sub,
    Mul,
    Div,
    /// Rust's `%` on f64 (C's `fmod`).
    Rem,
}

#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// The scalar side of an `as` conversion.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum Scalar {
    Int(IntKind),
    Float,
}

/// A runtime check that panics with Rust's message when it fails (the same
/// kinds as the rtyper's `CheckKind`).
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum CheckKind {
    /// `[index, len]`: index < len (unsigned), else
    /// "index out of bounds: the len is {len} but the index is {index}".
    Bounds,
    /// `[divisor]` != 0, else "attempt to divide by zero".
    DivZero,
    /// `[divisor]` != 0, else
    /// "attempt to calculate the remainder with a divisor of zero".
    RemZero,
    /// `[a, b]` of `kind`: not (a == MIN && b == -1), else
    /// "attempt to divide with overflow".
    DivOverflow(IntKind),
    /// As above: "attempt to calculate the remainder with overflow".
    RemOverflow(IntKind),
    /// `[is_some]`, else "called `Option::unwrap()` on a `None` value".
    UnwrapNone,
    /// `[ok, message: ref String]`, else the message (`expect`).
    Expect,
}

/// Where a field sits and what it holds.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub struct FieldDescr {
    pub offset: u32,
    pub kind: Kind,
}

/// The items of an array type: at `ARRAY_ITEMS_OFFSET + index * size`.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub struct ArrayDescr {
    pub item: Kind,
    pub item_size: u32,
}

/// A jump within a jitcode: the moves are parallel (every source is read
/// before any destination is written), then execution goes on at `target`
/// (an instruction index).
#[derive(Clone, PartialEq, Debug)]
pub struct Jump {
    pub target: u32,
    pub moves: Vec<(Reg, Opnd)>,
}

/// One instruction. `dst` registers are of the bank the result kind says.
#[derive(Clone, PartialEq, Debug)]
pub enum Insn {
    IntBin {
        op: IntBinOp,
        kind: IntKind,
        dst: Reg,
        a: Opnd,
        b: Opnd,
    },
    IntUn {
        op: IntUnOp,
        kind: IntKind,
        dst: Reg,
        a: Opnd,
    },
    /// `dst` (int, 0/1) = a cmp b, signed or unsigned as `kind` says.
    IntCmp {
        cmp: Cmp,
        kind: IntKind,
        dst: Reg,
        a: Opnd,
        b: Opnd,
    },
    FloatBin {
        op: FloatBinOp,
        dst: Reg,
        a: Opnd,
        b: Opnd,
    },
    FloatNeg {
        dst: Reg,
        a: Opnd,
    },
    FloatCmp {
        cmp: Cmp,
        dst: Reg,
        a: Opnd,
        b: Opnd,
    },
    /// Rust's `as` between scalars (wrapping between ints, saturating from
    /// float to int with NaN to 0).
    Cast {
        from: Scalar,
        to: Scalar,
        dst: Reg,
        a: Opnd,
    },
    Move {
        dst: Reg,
        src: Opnd,
    },
    /// Panics with Rust's message at `loc` (an index into
    /// `JitProgram::strings`, `file:line:col`) unless the check holds.
    Check {
        kind: CheckKind,
        args: Vec<Opnd>,
        loc: u32,
    },
    /// A zeroed struct object of `size` bytes with its header set.
    New {
        dst: Reg,
        type_id: u32,
        size: u32,
    },
    /// A zeroed array object of `len` items.
    NewArray {
        dst: Reg,
        type_id: u32,
        item_size: u32,
        len: Opnd,
    },
    GetField {
        dst: Reg,
        obj: Opnd,
        field: FieldDescr,
    },
    /// Stores of references go through the write barrier.
    SetField {
        obj: Opnd,
        value: Opnd,
        field: FieldDescr,
    },
    /// The index was checked by an earlier `Check`.
    GetArrayItem {
        dst: Reg,
        array: Opnd,
        index: Opnd,
        array_descr: ArrayDescr,
    },
    SetArrayItem {
        array: Opnd,
        index: Opnd,
        value: Opnd,
        array_descr: ArrayDescr,
    },
    ArrayLen {
        dst: Reg,
        array: Opnd,
    },
    /// `dst` (int 0/1) = identity comparison (`ne`: negated).
    PtrEq {
        dst: Reg,
        a: Opnd,
        b: Opnd,
        ne: bool,
    },
    /// `dst` (int, `U32`) = the type id of the object `obj` refers to (never
    /// null): the low 32 bits of its header word (`layout::TYPE_ID_OFFSET`).
    /// Pure: an object's type never changes. (A cast between reference
    /// types, `ptr_cast`, is a `Move`.)
    TypeIdOf {
        dst: Reg,
        obj: Opnd,
    },
    /// A call of `JitProgram::calls[call]`; `dst` is None for calls that
    /// return nothing.
    Call {
        call: u32,
        args: Vec<Opnd>,
        dst: Option<Reg>,
    },
    /// `promote(x)`: in a trace, `x` becomes a constant (guarded).
    Promote {
        dst: Reg,
        src: Opnd,
    },
    /// `we_are_jitted()`: 1 in jitcodes (tracing and blackholing alike).
    IsJitted {
        dst: Reg,
    },
    /// The head of the portal's dispatch loop, driver `driver`; the greens
    /// and reds are the registers the merge point names, in the driver's
    /// order.
    MergePoint {
        driver: u32,
        greens: Vec<Opnd>,
        reds: Vec<Opnd>,
    },
    Goto {
        jump: Jump,
    },
    Branch {
        cond: Opnd,
        then_jump: Jump,
        else_jump: Jump,
    },
    /// On an int value; case values are distinct.
    Switch {
        value: Opnd,
        cases: Vec<(i64, Jump)>,
        default: Jump,
    },
    Return {
        value: Option<Opnd>,
    },
    /// Never reached (the code after a call that never returns).
    Unreachable,
}

/// One graph as a jitcode.
#[derive(Clone, PartialEq, Debug)]
pub struct JitCode {
    /// The graph's name (`Tape::advance`), for logs.
    pub name: String,
    /// Registers per bank: `[int, ref, float]`.
    pub num_regs: [u16; 3],
    /// The registers that receive the arguments, in parameter order.
    pub params: Vec<Reg>,
    /// The result kind (None: returns nothing).
    pub ret: Option<Kind>,
    pub insns: Vec<Insn>,
    /// Whether the function contains a loop and is not `#[unroll_safe]`:
    /// the tracer then calls it residually instead of inlining it.
    pub has_loop: bool,
}

/// What a call may do, for the optimiser and the backend.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug, Default)]
pub struct Effects {
    /// May run a collection (references live across it must be roots).
    pub may_collect: bool,
    /// May panic (it then never returns).
    pub can_panic: bool,
    /// `#[purefunction]`/`#[elidable]`: the same arguments always give the
    /// same result and nothing observable happens; a call on constant
    /// arguments may be replaced by its recorded result.
    pub elidable: bool,
    /// May read heap objects (the optimiser keeps cached reads otherwise).
    pub reads_heap: bool,
    /// May write heap objects (the optimiser forgets cached reads).
    pub writes_heap: bool,
    /// Never returns (panics, `process::exit`).
    pub noreturn: bool,
}

impl Effects {
    /// What an unknown call may do: everything but be elidable.
    pub const ANYTHING: Effects = Effects {
        may_collect: true,
        can_panic: true,
        elidable: false,
        reads_heap: true,
        writes_heap: true,
        noreturn: false,
    };
}

/// A function the translated program can call.
#[derive(Clone, PartialEq, Debug)]
pub struct CallDescr {
    /// The callee's name (graph or runtime function), for logs.
    pub name: String,
    /// Index into the function-address table (`rrjit_fnptrs`).
    pub fnptr: u32,
    pub args: Vec<Kind>,
    pub ret: Option<Kind>,
    pub effects: Effects,
    /// The callee's jitcode, when the JIT may look inside it.
    pub jitcode: Option<u32>,
}

/// One `#[jit_merge_point]`.
#[derive(Clone, PartialEq, Debug)]
pub struct JitDriverDescr {
    /// The portal function's name.
    pub name: String,
    /// The portal's jitcode and the index of its `MergePoint` instruction.
    pub jitcode: u32,
    pub merge_point_pc: u32,
    /// Names and kinds of the greens and reds, in the merge point's order;
    /// the AOT code passes them to `rrjit_merge_point` in that order.
    pub greens: Vec<(String, Kind)>,
    pub reds: Vec<(String, Kind)>,
    /// Per green: a reference to data that cannot change while the portal
    /// runs (a `&T` parameter), so that the tracer may fold reads from it.
    pub immutable_greens: Vec<bool>,
    /// A call taking the greens (in order) and returning a `String`, for
    /// the `debug_merge_point` lines of the trace logs.
    pub get_printable_location: Option<u32>,
}

/// Everything the runtime JIT needs of the program.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct JitProgram {
    pub jitcodes: Vec<JitCode>,
    pub calls: Vec<CallDescr>,
    pub drivers: Vec<JitDriverDescr>,
    /// Panic locations (`file:line:col`) and other texts.
    pub strings: Vec<String>,
    /// Entries in the reference-constant table (`rrjit_refconsts`).
    pub num_refconsts: u32,
    /// Entries in the function-address table (`rrjit_fnptrs`).
    pub num_fnptrs: u32,
}

/// Symbol names of the data the translated object exports for the JIT
/// (only in `--opt=jit` builds).
pub mod symbols {
    /// The encoded `JitProgram` (bytes).
    pub const PROGRAM: &str = "rrjit_program";
    /// Its length in bytes (a u64).
    pub const PROGRAM_LEN: &str = "rrjit_program_len";
    /// `num_refconsts` u64 addresses of prebuilt objects.
    pub const REFCONSTS: &str = "rrjit_refconsts";
    /// `num_fnptrs` u64 function addresses.
    pub const FNPTRS: &str = "rrjit_fnptrs";
    /// Defined by the runtime, read and written by the AOT merge point
    /// (`warm`): a u32 counter per slot, a u8 "has a loop" flag per slot,
    /// and the u32 count at which the AOT code calls in.
    pub const COUNTERS: &str = "rrjit_counters";
    pub const LOOP_SLOTS: &str = "rrjit_loop_slots";
    pub const LIMIT: &str = "rrjit_limit";
    /// Defined by the runtime: a u64 the AOT code of each portal adds 1 to
    /// on entry, so that the JIT knows a new call of the portal began (the
    /// data behind `&T` greens may have changed since the last one).
    pub const PORTAL_EPOCH: &str = "rrjit_portal_epoch";
}
