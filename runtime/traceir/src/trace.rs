//! Values, operations and traces.

use crate::ops::{Opcode, Type};
use abi::{ArrayDescr, FieldDescr, IntKind};

/// An operand of a trace operation.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum Value {
    /// Input `i` of the trace (`Trace::inputs[i]` is its type).
    Input(u32),
    /// The result of `Trace::ops[i]`.
    Op(u32),
    ConstInt(i64),
    /// An f64 constant, as its bits.
    ConstFloat(u64),
    /// A reference constant: `Trace::gcrefs[i]`. References are never
    /// embedded in machine code: the table is a GC root, so the collector
    /// may move the objects and update the table, and compiled code loads
    /// the constant from it.
    ConstRef(u32),
    /// The null reference.
    Null,
}

impl Value {
    pub fn is_const(self) -> bool {
        !matches!(self, Value::Input(_) | Value::Op(_))
    }
    /// A total order on values (for putting commutative args, or the two
    /// sides of a pair, in one order).
    pub fn order_key(self) -> (u8, u64) {
        match self {
            Value::Input(i) => (0, i as u64),
            Value::Op(i) => (1, i as u64),
            Value::ConstInt(c) => (2, c as u64),
            Value::ConstFloat(b) => (3, b),
            Value::ConstRef(i) => (4, i as u64),
            Value::Null => (5, 0),
        }
    }
}

/// What an operation refers to besides its arguments.
#[derive(Clone, PartialEq, Debug, Default)]
pub enum Descr {
    #[default]
    None,
    /// `getfield_gc_*`, `setfield_gc`.
    Field(FieldDescr),
    /// `getarrayitem_gc_*`, `setarrayitem_gc`.
    Array(ArrayDescr),
    /// `new`: type id and size in bytes.
    Size { type_id: u32, size: u32 },
    /// `new_array`: type id and item size.
    ArrayAlloc { type_id: u32, item_size: u32 },
    /// Calls: an index into `JitProgram::calls`.
    Call(u32),
    /// `cast_float_to_int`: the target kind.
    IntKind(IntKind),
    /// `debug_merge_point`: the printable location.
    Text(String),
    /// `jump`: to the start of compiled trace N (the metainterp's number)
    /// instead of this trace's own `label`.
    Target(u32),
    /// `jump`: into loop N at its label, past its preamble: the args are
    /// the loop body's inputs (`ShortEntry::body`), which the short
    /// preamble inlined before the jump computed.
    Body(u32),
    /// A guard of an inlined short preamble: failing, it enters trace N at
    /// its top (its fail args are that trace's inputs) instead of leaving.
    Restart(u32),
}

#[derive(Clone, PartialEq, Debug)]
pub struct Op {
    pub opcode: Opcode,
    pub args: Vec<Value>,
    pub descr: Descr,
    /// Guards only: the values saved when the guard fails, in the order the
    /// metainterp's resume data for `resume` expects.
    pub fail_args: Vec<Value>,
    /// Guards only: which resume description the metainterp keeps for it.
    pub resume: u32,
    /// Guards only: stores the optimiser moved past the guard (`sink`),
    /// which its exit performs, in order, before it leaves.
    pub exit_stores: Vec<ExitStore>,
    /// Guards only: objects in the fail args that the optimiser did not
    /// allocate (`optimize::virtualize`), which whoever resumes from the
    /// guard allocates.
    pub virtuals: Vec<VirtualObj>,
}

/// An object that a guard's fail args hold but the trace never allocated
/// (RPython's virtuals): the guard's exit leaves fail arg `slot` null, and
/// whoever resumes from the guard allocates the object (zeroed, with this
/// type id and size), stores into each of `fields` the fail arg at that
/// index (a slot of another virtual stands for that object) and puts it in
/// `slot`.
#[derive(Clone, PartialEq, Debug)]
pub struct VirtualObj {
    pub slot: u32,
    pub type_id: u32,
    pub size: u32,
    pub fields: Vec<(FieldDescr, u32)>,
}

/// A store done on a guard's way out: `setfield_gc(obj, value)` or
/// `setarrayitem_gc(array, index, value)` of a non-reference kind.
#[derive(Clone, PartialEq, Debug)]
pub struct ExitStore {
    pub opcode: Opcode,
    pub args: Vec<Value>,
    pub descr: Descr,
}

impl Op {
    pub fn new(opcode: Opcode, args: Vec<Value>) -> Op {
        Op {
            opcode,
            args,
            descr: Descr::None,
            fail_args: Vec::new(),
            resume: 0,
            exit_stores: Vec::new(),
            virtuals: Vec::new(),
        }
    }
    /// Every value the op uses: its args, fail args and exit stores' args.
    pub fn uses(&self) -> impl Iterator<Item = &Value> {
        self.args
            .iter()
            .chain(&self.fail_args)
            .chain(self.exit_stores.iter().flat_map(|s| &s.args))
    }
    pub fn uses_mut(&mut self) -> impl Iterator<Item = &mut Value> {
        self.args
            .iter_mut()
            .chain(self.fail_args.iter_mut())
            .chain(self.exit_stores.iter_mut().flat_map(|s| s.args.iter_mut()))
    }
    pub fn with_descr(mut self, descr: Descr) -> Op {
        self.descr = descr;
        self
    }
    pub fn result_type(&self) -> Type {
        self.opcode.result()
    }
}

/// A trace: typed inputs, operations, reference constants.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct Trace {
    pub inputs: Vec<Type>,
    pub ops: Vec<Op>,
    /// Reference constants (object addresses) by `Value::ConstRef` index.
    pub gcrefs: Vec<u64>,
    /// A peeled loop's entry at its label (`optimize::short`), which
    /// traces jumping to this loop use.
    pub short: Option<Box<ShortEntry>>,
}

/// How other traces enter a peeled loop at its label (`optimize::short`).
#[derive(Clone, PartialEq, Debug, Default)]
pub struct ShortEntry {
    /// The short preamble, on the loop's inputs: it recomputes what the
    /// loop after its label takes from before it and re-checks the
    /// preamble's guards on it, and ends in `jump(descr=<Body n>)` with
    /// the body's inputs. A trace that jumps to the loop gets these ops
    /// inlined before its jump (`short::inline`), where most of them fold
    /// away against what the trace knows; its guards are restarts.
    pub preamble: Trace,
    /// The loop from its label on, as a trace of its own: its inputs are
    /// the label's arguments and then the values the loop uses from
    /// before the label (`invariants` of them).
    pub body: Trace,
    /// Per op of `body`: the same op's index in the loop (its exit id and
    /// bridge slot are that op's).
    pub loop_op: Vec<u32>,
}

impl Trace {
    /// The type of a value in this trace.
    pub fn type_of(&self, v: Value) -> Type {
        match v {
            Value::Input(i) => self.inputs[i as usize],
            Value::Op(i) => self.ops[i as usize].result_type(),
            Value::ConstInt(_) => Type::Int,
            Value::ConstFloat(_) => Type::Float,
            Value::ConstRef(_) | Value::Null => Type::Ref,
        }
    }
    /// Adds an operation; returns its result.
    pub fn push(&mut self, op: Op) -> Value {
        self.ops.push(op);
        Value::Op(self.ops.len() as u32 - 1)
    }
    /// The `ConstRef` for address `addr` (0 gives `Null`), reusing an entry.
    pub fn const_ref(&mut self, addr: u64) -> Value {
        if addr == 0 {
            return Value::Null;
        }
        if let Some(i) = self.gcrefs.iter().position(|&a| a == addr) {
            return Value::ConstRef(i as u32);
        }
        self.gcrefs.push(addr);
        Value::ConstRef(self.gcrefs.len() as u32 - 1)
    }
}
