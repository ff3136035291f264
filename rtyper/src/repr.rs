//! Representations: the low-level type of each annotation, the heap types
//! they need (created on demand, once each), and prebuilt constants.

use crate::llgraph::{LLConst, Prebuilt, PrebuiltData, PrebuiltId};
use crate::lltype::{new_type_table, well_known, GcTypeDef, GcTypeId, GcTypes, LLType};
use annotator::{Annotations, ListDefId, SomeValue};
use cranelift_entity::PrimaryMap;
use flowspace::model::{IntTy, Program, StructId};
use std::collections::HashMap;

/// How an `Option<T>` is represented.
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum OptRepr {
    /// `T` is a non-null pointer: `None` is null, `Some(p)` is `p`.
    Nullable(GcTypeId),
    /// A struct `{is_some: Bool, value: T}` (immutable, so shareable).
    Boxed { ty: GcTypeId, value: LLType },
}

/// How a `Result<T, E>` is represented: struct `{is_ok, ok, err}`.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct ResRepr {
    pub ty: GcTypeId,
    pub ok: LLType,
    pub err: LLType,
}

/// A list type: the List struct `{length, items}` and its Array.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct ListRepr {
    pub list: GcTypeId,
    pub array: GcTypeId,
    pub item: LLType,
}

/// Field indices of list structs and option/result structs.
pub const LIST_LENGTH: u32 = 0;
pub const LIST_ITEMS: u32 = 1;
pub const OPT_IS_SOME: u32 = 0;
pub const OPT_VALUE: u32 = 1;
pub const RES_IS_OK: u32 = 0;
pub const RES_OK: u32 = 1;
pub const RES_ERR: u32 = 2;
/// Field index of an enum object's variant tag; the field `i` of
/// `StructDef::fields` is field `i + ENUM_FIELDS` of the object.
/// `RefCell<T>`/`Cell<T>`: the borrow flag (0 free, n > 0 shared, -1
/// mutable; a `Cell` leaves it 0) and the value.
pub const CELL_BORROW: u32 = 0;
pub const CELL_VALUE: u32 = 1;
pub const ENUM_TAG: u32 = 0;
pub const ENUM_FIELDS: u32 = 1;

pub struct Reprs<'a> {
    pub prog: &'a Program,
    pub anns: &'a Annotations,
    pub types: GcTypes,
    pub prebuilt: PrimaryMap<PrebuiltId, Prebuilt>,
    lists: HashMap<LLType, ListRepr>,
    structs: HashMap<StructId, GcTypeId>,
    tuples: HashMap<Vec<LLType>, GcTypeId>,
    options: HashMap<LLType, GcTypeId>,
    cells: HashMap<LLType, GcTypeId>,
    results: HashMap<(LLType, LLType), GcTypeId>,
    strs: HashMap<Vec<u8>, PrebuiltId>,
    zeros: HashMap<GcTypeId, PrebuiltId>,
    oks: HashMap<GcTypeId, PrebuiltId>,
    unit_variants: HashMap<(GcTypeId, u32), PrebuiltId>,
}

fn ll_name(t: LLType, types: &GcTypes) -> String {
    match t {
        LLType::Void => "void".into(),
        LLType::Bool => "bool".into(),
        LLType::Int(i) => i.name().into(),
        LLType::Char => "char".into(),
        LLType::Float => "f64".into(),
        LLType::Ptr(p) => types
            .get(p)
            .map(|d| d.name.clone())
            .unwrap_or_else(|| "?".into()),
    }
}

impl<'a> Reprs<'a> {
    pub fn new(prog: &'a Program, anns: &'a Annotations) -> Reprs<'a> {
        let mut lists = HashMap::new();
        lists.insert(
            LLType::Int(IntTy::U8),
            ListRepr {
                list: well_known::STRING,
                array: well_known::BYTE_ARRAY,
                item: LLType::Int(IntTy::U8),
            },
        );
        lists.insert(
            LLType::Ptr(well_known::STRING),
            ListRepr {
                list: well_known::STRING_LIST,
                array: well_known::STRING_ARRAY,
                item: LLType::Ptr(well_known::STRING),
            },
        );
        Reprs {
            prog,
            anns,
            types: new_type_table(),
            prebuilt: PrimaryMap::new(),
            lists,
            structs: HashMap::new(),
            tuples: HashMap::new(),
            options: HashMap::new(),
            cells: HashMap::new(),
            results: HashMap::new(),
            strs: HashMap::new(),
            zeros: HashMap::new(),
            oks: HashMap::new(),
            unit_variants: HashMap::new(),
        }
    }

    pub fn name(&self, t: LLType) -> String {
        ll_name(t, &self.types)
    }

    /// The low-level type of values with annotation `a`.
    pub fn ll(&mut self, a: &SomeValue) -> Result<LLType, String> {
        use SomeValue as S;
        Ok(match a {
            S::Impossible | S::Unit | S::Builtin(_) | S::Func(_) => LLType::Void,
            S::Int { .. } => LLType::Int(a.int_ty().unwrap_or(IntTy::I32)),
            S::Bool { .. } => LLType::Bool,
            S::Char => LLType::Char,
            S::Float => LLType::Float,
            S::Str { .. } => LLType::Ptr(well_known::STRING),
            S::List(l) => LLType::Ptr(self.list_repr(*l)?.list),
            S::Dict(_) => LLType::Ptr(well_known::DICT),
            S::IoError => LLType::Ptr(well_known::IO_ERROR),
            // Its `IntErrorKind` (`rr_str_parse_int_error`'s code).
            S::ParseIntError | S::ParseFloatError | S::TryFromIntError | S::FmtError => {
                LLType::Int(IntTy::U8)
            }
            S::Instance(s) => match self.fieldless_enum(*s) {
                Some(t) => LLType::Int(t),
                None => LLType::Ptr(self.struct_type(*s)?),
            },
            // A reference to an object of any of several types.
            S::Dyn(_) => LLType::Ptr(well_known::OBJECT),
            S::Tuple(xs) => {
                let mut tys = Vec::with_capacity(xs.len());
                for x in xs {
                    tys.push(self.ll(x)?);
                }
                LLType::Ptr(self.tuple_type(&tys))
            }
            S::Option(x) => match self.option_repr(x)? {
                OptRepr::Nullable(t) => LLType::Ptr(t),
                OptRepr::Boxed { ty, .. } => LLType::Ptr(ty),
            },
            S::Result(o, e) => LLType::Ptr(self.result_repr(o, e)?.ty),
            // Gone after annotation (`SomeValue::erase_rc`); the value's.
            S::Rc(x) => self.ll(x)?,
            S::RefCell(l) | S::Cell(l) => LLType::Ptr(self.cell_repr(*l)?.0),
        })
    }

    /// The object type of the cells of list definition `l`'s item, and the
    /// value's type.
    pub fn cell_repr(&mut self, l: ListDefId) -> Result<(GcTypeId, LLType), String> {
        let item = self
            .anns
            .listdef(l)
            .map(|d| d.item.clone())
            .unwrap_or(SomeValue::Impossible);
        let t = self.ll(&item)?;
        if let Some(ty) = self.cells.get(&t) {
            return Ok((*ty, t));
        }
        let n = ll_name(t, &self.types);
        let ty = self.types.push(GcTypeDef::new_struct(
            format!("RefCell<{n}>"),
            &[
                ("borrow".into(), LLType::Int(IntTy::I64)),
                ("value".into(), t),
            ],
        ));
        self.cells.insert(t, ty);
        Ok((ty, t))
    }

    pub fn list_repr(&mut self, l: ListDefId) -> Result<ListRepr, String> {
        let item = self
            .anns
            .listdef(l)
            .map(|d| d.item.clone())
            .unwrap_or(SomeValue::Impossible);
        let item_ll = match item {
            // A list nothing is ever put into: any item type will do.
            SomeValue::Impossible => LLType::Int(IntTy::U8),
            SomeValue::Unit => return Err("lists of `()` are not supported".into()),
            ref x => self.ll(x)?,
        };
        Ok(self.list_of(item_ll))
    }

    pub fn list_of(&mut self, item: LLType) -> ListRepr {
        if let Some(r) = self.lists.get(&item) {
            return *r;
        }
        let n = ll_name(item, &self.types);
        let array = self
            .types
            .push(GcTypeDef::new_array(format!("Array<{n}>"), item));
        let list = self.types.push(GcTypeDef::new_struct(
            format!("List<{n}>"),
            &[
                ("length".into(), LLType::Int(IntTy::Usize)),
                ("items".into(), LLType::Ptr(array)),
            ],
        ));
        let r = ListRepr { list, array, item };
        self.lists.insert(item, r);
        r
    }

    pub fn struct_type(&mut self, s: StructId) -> Result<GcTypeId, String> {
        if let Some(t) = self.structs.get(&s) {
            return Ok(*t);
        }
        let def = self
            .prog
            .structs
            .get(s)
            .ok_or_else(|| "unknown struct".to_string())?;
        // Reserve the id first: fields may point back to the struct.
        let id = self
            .types
            .push(GcTypeDef::new_struct(def.name.clone(), &[]));
        self.structs.insert(s, id);
        let anns: Vec<SomeValue> = match self.anns.fields.get(&s) {
            Some(f) => f.iter().map(|f| f.ann.clone()).collect(),
            None => vec![SomeValue::Impossible; def.fields.len()],
        };
        let mut fields = Vec::with_capacity(anns.len() + 1);
        if def.is_enum() {
            // The variant's index; the variants' fields follow, flattened.
            fields.push(("tag".to_string(), LLType::Int(IntTy::U32)));
        }
        for (f, a) in def.fields.iter().zip(&anns) {
            fields.push((f.name.clone(), self.ll(a)?));
        }
        if let Some(slot) = self.types.get_mut(id) {
            *slot = GcTypeDef::new_struct(def.name.clone(), &fields);
        }
        Ok(id)
    }

    /// A fieldless enum is its discriminant: the integer type, else `None`.
    pub fn fieldless_enum(&self, s: StructId) -> Option<IntTy> {
        let e = self.prog.structs.get(s)?.enum_def.as_ref()?;
        e.is_fieldless().then(|| e.discr_ty())
    }

    /// The shared object of a variant without fields of an enum with
    /// fields elsewhere (enum objects are immutable, so one will do).
    pub fn unit_variant_const(&mut self, ty: GcTypeId, variant: u32) -> PrebuiltId {
        if let Some(p) = self.unit_variants.get(&(ty, variant)) {
            return *p;
        }
        let mut data = vec![LLConst::Int(variant as i64, IntTy::U32)];
        if let Some(GcTypeDef {
            kind: crate::lltype::GcTypeKind::Struct { fields, .. },
            ..
        }) = self.types.get(ty)
        {
            data.extend(fields.iter().skip(1).map(|f| Self::zero(f.ty)));
        }
        let p = self.prebuilt.push(Prebuilt {
            ty,
            data: PrebuiltData::Struct(data),
        });
        self.unit_variants.insert((ty, variant), p);
        p
    }

    pub fn tuple_type(&mut self, tys: &[LLType]) -> GcTypeId {
        if let Some(t) = self.tuples.get(tys) {
            return *t;
        }
        let names: Vec<String> = tys.iter().map(|t| ll_name(*t, &self.types)).collect();
        let fields: Vec<(String, LLType)> = tys
            .iter()
            .enumerate()
            .map(|(i, t)| (i.to_string(), *t))
            .collect();
        let id = self.types.push(GcTypeDef::new_struct(
            format!("({})", names.join(", ")),
            &fields,
        ));
        self.tuples.insert(tys.to_vec(), id);
        id
    }

    pub fn option_repr(&mut self, inner: &SomeValue) -> Result<OptRepr, String> {
        let t = self.ll(inner)?;
        if let (LLType::Ptr(p), false) = (t, matches!(inner, SomeValue::Option(_))) {
            return Ok(OptRepr::Nullable(p));
        }
        if let Some(ty) = self.options.get(&t) {
            return Ok(OptRepr::Boxed { ty: *ty, value: t });
        }
        let n = ll_name(t, &self.types);
        let ty = self.types.push(GcTypeDef::new_struct(
            format!("Option<{n}>"),
            &[("is_some".into(), LLType::Bool), ("value".into(), t)],
        ));
        self.options.insert(t, ty);
        Ok(OptRepr::Boxed { ty, value: t })
    }

    pub fn result_repr(&mut self, ok: &SomeValue, err: &SomeValue) -> Result<ResRepr, String> {
        let (o, e) = (self.ll(ok)?, self.ll(err)?);
        if let Some(ty) = self.results.get(&(o, e)) {
            return Ok(ResRepr {
                ty: *ty,
                ok: o,
                err: e,
            });
        }
        let (on, en) = (ll_name(o, &self.types), ll_name(e, &self.types));
        let ty = self.types.push(GcTypeDef::new_struct(
            format!("Result<{on}, {en}>"),
            &[
                ("is_ok".into(), LLType::Bool),
                ("ok".into(), o),
                ("err".into(), e),
            ],
        ));
        self.results.insert((o, e), ty);
        Ok(ResRepr { ty, ok: o, err: e })
    }

    /// The zero value of a type (a field nobody set).
    pub fn zero(t: LLType) -> LLConst {
        match t {
            LLType::Void => LLConst::Void,
            LLType::Bool => LLConst::Bool(false),
            LLType::Int(i) => LLConst::Int(0, i),
            LLType::Char => LLConst::Char('\0'),
            LLType::Float => LLConst::Float(0.0),
            LLType::Ptr(p) => LLConst::Null(p),
        }
    }

    /// A prebuilt string (or byte string) object, one per content.
    pub fn str_const(&mut self, bytes: &[u8]) -> PrebuiltId {
        if let Some(p) = self.strs.get(bytes) {
            return *p;
        }
        let arr = self.prebuilt.push(Prebuilt {
            ty: well_known::BYTE_ARRAY,
            data: PrebuiltData::Bytes(bytes.to_vec()),
        });
        let s = self.prebuilt.push(Prebuilt {
            ty: well_known::STRING,
            data: PrebuiltData::Struct(vec![
                LLConst::Int(bytes.len() as i64, IntTy::Usize),
                LLConst::Prebuilt(arr),
            ]),
        });
        self.strs.insert(bytes.to_vec(), s);
        s
    }

    /// The shared `None` of a boxed option type (options are immutable).
    pub fn none_const(&mut self, ty: GcTypeId, value: LLType) -> PrebuiltId {
        if let Some(p) = self.zeros.get(&ty) {
            return *p;
        }
        let p = self.prebuilt.push(Prebuilt {
            ty,
            data: PrebuiltData::Struct(vec![LLConst::Bool(false), Self::zero(value)]),
        });
        self.zeros.insert(ty, p);
        p
    }

    /// The shared `Ok(())` of a result type.
    pub fn ok_unit_const(&mut self, r: ResRepr) -> PrebuiltId {
        if let Some(p) = self.oks.get(&r.ty) {
            return *p;
        }
        let p = self.prebuilt.push(Prebuilt {
            ty: r.ty,
            data: PrebuiltData::Struct(vec![
                LLConst::Bool(true),
                Self::zero(r.ok),
                Self::zero(r.err),
            ]),
        });
        self.oks.insert(r.ty, p);
        p
    }
}
