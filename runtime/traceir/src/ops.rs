//! The opcode table: every trace operation is one row (as LuaJIT's IRDEF
//! and RPython's `resoperation.py`), and optimisers and backends ask the
//! table instead of matching names.

/// The type of a value in a trace.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum Type {
    /// A 64-bit word holding an int of some `IntKind`, normalised (see
    /// `abi::jitcode`).
    Int,
    /// A GC reference (or 0).
    Ref,
    Float,
    /// No result.
    Void,
}

/// Properties of an opcode.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub struct OpFlags {
    /// No side effect, result depends only on the arguments: may be
    /// constant-folded, CSE'd and removed when unused.
    pub pure: bool,
    /// A guard: exits the trace when its condition does not hold.
    pub guard: bool,
    /// Reads heap memory.
    pub reads_heap: bool,
    /// Writes heap memory or has another side effect; never removed.
    pub side_effect: bool,
    /// A call (its effects are in its call descriptor).
    pub call: bool,
}

const PURE: OpFlags = OpFlags {
    pure: true,
    guard: false,
    reads_heap: false,
    side_effect: false,
    call: false,
};
const GUARD: OpFlags = OpFlags {
    pure: false,
    guard: true,
    reads_heap: false,
    side_effect: true,
    call: false,
};
const READ: OpFlags = OpFlags {
    pure: false,
    guard: false,
    reads_heap: true,
    side_effect: false,
    call: false,
};
const WRITE: OpFlags = OpFlags {
    pure: false,
    guard: false,
    reads_heap: false,
    side_effect: true,
    call: false,
};
const CALL: OpFlags = OpFlags {
    pure: false,
    guard: false,
    reads_heap: true,
    side_effect: true,
    call: true,
};
/// A call of an elidable function (its effects are in the descriptor; it
/// is never CSE'd across writes unless the descriptor says it reads
/// nothing).
const CALL_PURE: OpFlags = OpFlags {
    pure: false,
    guard: false,
    reads_heap: true,
    side_effect: false,
    call: true,
};
const CONTROL: OpFlags = OpFlags {
    pure: false,
    guard: false,
    reads_heap: false,
    side_effect: true,
    call: false,
};

macro_rules! opcodes {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, $arity:expr, $ty:ident, $flags:ident; )*) => {
        /// A trace operation. Arity -1 means variadic.
        #[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
        pub enum Opcode { $( $(#[$doc])* $variant, )* }

        impl Opcode {
            pub const ALL: &'static [Opcode] = &[ $( Opcode::$variant, )* ];
            /// The name in the text form (PyPy's where PyPy has one).
            pub fn name(self) -> &'static str {
                match self { $( Opcode::$variant => $name, )* }
            }
            /// Number of arguments, or -1 for variadic ones.
            pub fn arity(self) -> i32 {
                match self { $( Opcode::$variant => $arity, )* }
            }
            pub fn result(self) -> Type {
                match self { $( Opcode::$variant => Type::$ty, )* }
            }
            pub fn flags(self) -> OpFlags {
                match self { $( Opcode::$variant => $flags, )* }
            }
            /// A comparison: its result is 0 or 1.
            pub fn is_comparison(self) -> bool {
                use Opcode::*;
                matches!(
                    self,
                    IntLt | IntLe | IntGt | IntGe | IntEq | IntNe | UintLt | UintLe | UintGt
                        | UintGe | FloatLt | FloatLe | FloatGt | FloatGe | FloatEq | FloatNe
                        | PtrEq | PtrNe
                )
            }
            pub fn from_name(name: &str) -> Option<Opcode> {
                match name { $( $name => Some(Opcode::$variant), )* _ => None }
            }
        }
    };
}

opcodes! {
    // Integer arithmetic on 64-bit words (wrapping). Narrow kinds are
    // re-normalised by an explicit `int_signext` / `int_and` after.
    IntAdd = "int_add", 2, Int, PURE;
    IntSub = "int_sub", 2, Int, PURE;
    IntMul = "int_mul", 2, Int, PURE;
    /// Truncating signed division (the divisor is never 0 or -1 with MIN:
    /// guards before it make sure).
    IntFloorDiv = "int_floordiv", 2, Int, PURE;
    UintFloorDiv = "uint_floordiv", 2, Int, PURE;
    /// Remainder of truncating signed division (Rust's `%`).
    IntMod = "int_mod", 2, Int, PURE;
    UintMod = "uint_mod", 2, Int, PURE;
    IntAnd = "int_and", 2, Int, PURE;
    IntOr = "int_or", 2, Int, PURE;
    IntXor = "int_xor", 2, Int, PURE;
    /// The amount is already masked to 0..=63.
    IntLshift = "int_lshift", 2, Int, PURE;
    IntRshift = "int_rshift", 2, Int, PURE;
    UintRshift = "uint_rshift", 2, Int, PURE;
    IntNeg = "int_neg", 1, Int, PURE;
    IntInvert = "int_invert", 1, Int, PURE;
    /// `int_signext(x, n)`: sign-extends the low `n` bytes (n = 1, 2, 4).
    IntSignext = "int_signext", 2, Int, PURE;
    IntLt = "int_lt", 2, Int, PURE;
    IntLe = "int_le", 2, Int, PURE;
    IntGt = "int_gt", 2, Int, PURE;
    IntGe = "int_ge", 2, Int, PURE;
    IntEq = "int_eq", 2, Int, PURE;
    IntNe = "int_ne", 2, Int, PURE;
    UintLt = "uint_lt", 2, Int, PURE;
    UintLe = "uint_le", 2, Int, PURE;
    UintGt = "uint_gt", 2, Int, PURE;
    UintGe = "uint_ge", 2, Int, PURE;
    FloatAdd = "float_add", 2, Float, PURE;
    FloatSub = "float_sub", 2, Float, PURE;
    FloatMul = "float_mul", 2, Float, PURE;
    FloatTrueDiv = "float_truediv", 2, Float, PURE;
    FloatNeg = "float_neg", 1, Float, PURE;
    FloatLt = "float_lt", 2, Int, PURE;
    FloatLe = "float_le", 2, Int, PURE;
    FloatGt = "float_gt", 2, Int, PURE;
    FloatGe = "float_ge", 2, Int, PURE;
    FloatEq = "float_eq", 2, Int, PURE;
    FloatNe = "float_ne", 2, Int, PURE;
    /// Rust's saturating `f as int` into the descriptor's `IntKind`
    /// (NaN gives 0), normalised.
    CastFloatToInt = "cast_float_to_int", 1, Int, PURE;
    /// `x as f64` of a signed 64-bit word.
    CastIntToFloat = "cast_int_to_float", 1, Float, PURE;
    /// `x as f64` of an unsigned 64-bit word.
    CastUintToFloat = "cast_uint_to_float", 1, Float, PURE;
    PtrEq = "ptr_eq", 2, Int, PURE;
    PtrNe = "ptr_ne", 2, Int, PURE;
    SameAsI = "same_as_i", 1, Int, PURE;
    SameAsR = "same_as_r", 1, Ref, PURE;
    SameAsF = "same_as_f", 1, Float, PURE;
    /// The length of an array object (never changes: pure).
    ArraylenGc = "arraylen_gc", 1, Int, PURE;
    /// The type id of an object (never null): the low 32 bits of its
    /// header word, a 32-bit load at `abi::layout::TYPE_ID_OFFSET`, no
    /// descr. Never changes: pure. `fold` and `virtualize` know it for a
    /// `new` (its `Size` descr's type id).
    TypeIdGc = "type_id_gc", 1, Int, PURE;

    // Heap (descr: Field or Array).
    GetfieldGcI = "getfield_gc_i", 1, Int, READ;
    GetfieldGcR = "getfield_gc_r", 1, Ref, READ;
    GetfieldGcF = "getfield_gc_f", 1, Float, READ;
    /// `setfield_gc(obj, value)`; a reference store includes its barrier.
    SetfieldGc = "setfield_gc", 2, Void, WRITE;
    GetarrayitemGcI = "getarrayitem_gc_i", 2, Int, READ;
    GetarrayitemGcR = "getarrayitem_gc_r", 2, Ref, READ;
    GetarrayitemGcF = "getarrayitem_gc_f", 2, Float, READ;
    /// `setarrayitem_gc(array, index, value)`.
    SetarrayitemGc = "setarrayitem_gc", 3, Void, WRITE;
    /// A zeroed struct (descr: Size). May collect.
    New = "new", 0, Ref, WRITE;
    /// `new_array(len)` (descr: ArrayAlloc). May collect.
    NewArray = "new_array", 1, Ref, WRITE;

    // Calls (descr: Call); args are the callee's arguments.
    CallI = "call_i", -1, Int, CALL;
    CallR = "call_r", -1, Ref, CALL;
    CallF = "call_f", -1, Float, CALL;
    CallN = "call_n", -1, Void, CALL;
    CallPureI = "call_pure_i", -1, Int, CALL_PURE;
    CallPureR = "call_pure_r", -1, Ref, CALL_PURE;
    CallPureF = "call_pure_f", -1, Float, CALL_PURE;
    CallPureN = "call_pure_n", -1, Void, CALL_PURE;

    // Guards (they also carry fail_args).
    GuardTrue = "guard_true", 1, Void, GUARD;
    GuardFalse = "guard_false", 1, Void, GUARD;
    /// `guard_value(x, constant)`.
    GuardValue = "guard_value", 2, Void, GUARD;
    GuardNonnull = "guard_nonnull", 1, Void, GUARD;
    GuardIsnull = "guard_isnull", 1, Void, GUARD;

    // Control.
    /// The loop head; its args are the loop's live values.
    Label = "label", -1, Void, CONTROL;
    /// Back to the last label, with new values for its args.
    Jump = "jump", -1, Void, CONTROL;
    /// Leaves the trace with these values (as a guard that always fails).
    Finish = "finish", -1, Void, CONTROL;
    /// No code; descr Text holds the printable location.
    DebugMergePoint = "debug_merge_point", 0, Void, CONTROL;
}
