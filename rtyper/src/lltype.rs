//! Low-level types and heap layouts.
//!
//! Every heap object starts with one header word (DESIGN §4): the low 32 bits
//! hold the type id (the index of its `GcTypeId` in `LLProgram::types`), the
//! high 32 bits GC flags. Layouts are computed here, once, so the AOT backend,
//! the runtime and (later) the JIT's descriptors agree on every offset.

use cranelift_entity::{entity_impl, PrimaryMap};
use flowspace::model::IntTy;

/// A heap type in `LLProgram::types`; its index is the type id in headers.
#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GcTypeId(u32);
entity_impl!(GcTypeId, "gctype");

/// Size of the header word.
pub const HEADER_SIZE: u32 = 8;
/// Offset of the length word in an array object.
pub const ARRAY_LENGTH_OFFSET: u32 = 8;
/// Offset of item 0 in an array object.
pub const ARRAY_ITEMS_OFFSET: u32 = 16;
/// Header flag (high half) of objects emitted into the object file as
/// prebuilt constants: they are never moved or freed.
pub const FLAG_PREBUILT: u64 = 1 << 32;
/// Header flag of objects that may not point to young objects without the
/// collector knowing: old and prebuilt objects not yet in the remembered
/// set. A store of a reference into an object with this flag must call the
/// write barrier first (see docs/runtime-abi.md, "Garbage collection").
pub const FLAG_TRACK_YOUNG_PTRS: u64 = 1 << 33;
/// Header flag of large arrays that have a card table: their write barrier
/// is `rr_gc_write_barrier_array(array, index)`.
pub const FLAG_HAS_CARDS: u64 = 1 << 34;
// Flags 35..=47 belong to the runtime's collector (marks, forwarding,
// identity hash); generated code never reads or writes them.

/// The type of one low-level value.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum LLType {
    /// No value (unit, and results of stores).
    Void,
    /// One byte, 0 or 1.
    Bool,
    Int(IntTy),
    /// A Unicode scalar value, 32 bits.
    Char,
    /// IEEE double.
    Float,
    /// A GC reference (8 bytes) to an object of this type, or null where the
    /// representation admits it (`Option<Box<T>>`).
    Ptr(GcTypeId),
}

impl LLType {
    /// Size in bytes inside a heap object (Void takes no room).
    pub fn size(self) -> u32 {
        match self {
            LLType::Void => 0,
            LLType::Bool => 1,
            LLType::Int(t) => t.bits() / 8,
            LLType::Char => 4,
            LLType::Float | LLType::Ptr(_) => 8,
        }
    }
    pub fn is_ptr(self) -> bool {
        matches!(self, LLType::Ptr(_))
    }
    /// A value of this type may stand where `want` is expected: the same
    /// type, or any reference where a `*Object` (a `dyn Trait` reference)
    /// is. Upcasts to `*Object` are implicit, like the subclass-to-base
    /// references of RPython's instances; only the way down takes a
    /// `ptr_cast`, after a `type_id_of` said which type it is.
    pub fn fits(self, want: LLType) -> bool {
        self == want || (want == LLType::Ptr(well_known::OBJECT) && self.is_ptr())
    }
}

#[derive(Clone, Debug)]
pub struct LLField {
    pub name: String,
    pub ty: LLType,
    /// Byte offset from the start of the object (the header is at 0).
    pub offset: u32,
}

#[derive(Clone, Debug)]
pub enum GcTypeKind {
    /// Fixed-size object: header, then fields at their offsets.
    Struct { fields: Vec<LLField>, size: u32 },
    /// Variable-size object: header, length word (i64) at
    /// `ARRAY_LENGTH_OFFSET`, items from `ARRAY_ITEMS_OFFSET`.
    Array { item: LLType, item_size: u32 },
    /// An object the runtime builds and reads itself (`HashMap`, an
    /// `io::Error`); generated code only passes the reference around.
    Opaque { runtime_name: String },
}

#[derive(Clone, Debug)]
pub struct GcTypeDef {
    /// For dumps: `Tape`, `List<u8>`, `Array<u8>`, `Dict`.
    pub name: String,
    pub kind: GcTypeKind,
}

impl GcTypeDef {
    /// Lays out a struct: fields in declaration order, each aligned to its
    /// own size, after the header; total size rounded up to 8.
    pub fn new_struct(name: String, fields: &[(String, LLType)]) -> GcTypeDef {
        let mut off = HEADER_SIZE;
        let mut out = Vec::with_capacity(fields.len());
        for (n, ty) in fields {
            let sz = ty.size().max(1);
            off = off.div_ceil(sz) * sz;
            out.push(LLField {
                name: n.clone(),
                ty: *ty,
                offset: off,
            });
            off += ty.size();
        }
        let size = off.div_ceil(8) * 8;
        GcTypeDef {
            name,
            kind: GcTypeKind::Struct { fields: out, size },
        }
    }
    pub fn new_array(name: String, item: LLType) -> GcTypeDef {
        GcTypeDef {
            name,
            kind: GcTypeKind::Array {
                item,
                item_size: item.size(),
            },
        }
    }
    pub fn field(&self, index: u32) -> &LLField {
        match &self.kind {
            GcTypeKind::Struct { fields, .. } => &fields[index as usize],
            _ => panic!("field() on non-struct type {}", self.name),
        }
    }
}

pub type GcTypes = PrimaryMap<GcTypeId, GcTypeDef>;

/// Types every program has, at fixed ids, because the runtime creates
/// objects of them itself (strings from `format!`, `fs::read`, `env::args`).
/// `LLProgram::types` always starts with these, in this order.
pub mod well_known {
    use super::GcTypeId;
    /// `Array<u8>`: the items of strings and byte vectors.
    pub const BYTE_ARRAY: GcTypeId = GcTypeId(0);
    /// `List<u8>`: `String`, `&str`, `Vec<u8>`, `&[u8]` (length, items).
    pub const STRING: GcTypeId = GcTypeId(1);
    /// `Array<Ptr(STRING)>`.
    pub const STRING_ARRAY: GcTypeId = GcTypeId(2);
    /// `List<Ptr(STRING)>`: `Vec<String>` (what `env::args()` collects to).
    pub const STRING_LIST: GcTypeId = GcTypeId(3);
    /// Opaque `HashMap` object of the runtime.
    pub const DICT: GcTypeId = GcTypeId(4);
    /// Opaque `std::io::Error` object of the runtime.
    pub const IO_ERROR: GcTypeId = GcTypeId(5);
    /// `Object`: a struct with no fields, "any GC object". `Ptr(OBJECT)` is
    /// the type of a reference whose object's type is known only at run
    /// time from its header (a `dyn Trait` reference): the only things
    /// done with one are `TypeIdOf`, `PtrCast` to the actual type, and
    /// identity comparisons. No object of this type is ever allocated.
    pub const OBJECT: GcTypeId = GcTypeId(6);
    pub const COUNT: u32 = 7;
}

/// A fresh type table holding the well-known types.
pub fn new_type_table() -> GcTypes {
    use flowspace::model::IntTy;
    let mut t = GcTypes::new();
    t.push(GcTypeDef::new_array(
        "Array<u8>".into(),
        LLType::Int(IntTy::U8),
    ));
    t.push(GcTypeDef::new_struct(
        "String".into(),
        &[
            ("length".into(), LLType::Int(IntTy::Usize)),
            ("items".into(), LLType::Ptr(well_known::BYTE_ARRAY)),
        ],
    ));
    t.push(GcTypeDef::new_array(
        "Array<String>".into(),
        LLType::Ptr(well_known::STRING),
    ));
    t.push(GcTypeDef::new_struct(
        "List<String>".into(),
        &[
            ("length".into(), LLType::Int(IntTy::Usize)),
            ("items".into(), LLType::Ptr(well_known::STRING_ARRAY)),
        ],
    ));
    t.push(GcTypeDef {
        name: "Dict".into(),
        kind: GcTypeKind::Opaque {
            runtime_name: "dict".into(),
        },
    });
    t.push(GcTypeDef {
        name: "IoError".into(),
        kind: GcTypeKind::Opaque {
            runtime_name: "io_error".into(),
        },
    });
    t.push(GcTypeDef::new_struct("Object".into(), &[]));
    debug_assert_eq!(t.len(), well_known::COUNT as usize);
    t
}
