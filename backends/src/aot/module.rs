//! The object module being built and the symbols shared by all functions:
//! local functions (one per graph), prebuilt objects, runtime imports and
//! deduplicated static data (panic messages and locations).
//!
//! Runtime functions are imported with the signature their entry in
//! `abi::runtime_fns` gives (`import_runtime`), never one made up from a
//! call site; `check_runtime_call` says whether a call site's low-level
//! types fit the entry.

use abi::runtime_fns::{self, AbiTy, RuntimeFn};
use cranelift_codegen::ir::{types, AbiParam, Signature, Type};
use cranelift_module::{DataDescription, DataId, FuncId, Linkage, Module};
use cranelift_object::ObjectModule;
use flowspace::model::IntTy;
use rtyper::llgraph::{LLGraphId, LLProgram};
use rtyper::lltype::{well_known, LLType, FLAG_PREBUILT, FLAG_TRACK_YOUNG_PTRS};
use std::collections::HashMap;

use super::types::abi_param;

pub(crate) struct ModuleCx<'p> {
    pub program: &'p LLProgram,
    pub module: ObjectModule,
    /// The function of each graph, by graph index.
    pub graph_funcs: Vec<FuncId>,
    /// The reverse map, for the inliner.
    pub func_graphs: HashMap<FuncId, LLGraphId>,
    /// The data object of each prebuilt object, by index.
    pub prebuilt: Vec<DataId>,
    imports: HashMap<String, FuncId>,
    bytes: HashMap<Vec<u8>, DataId>,
    string_objects: HashMap<Vec<u8>, DataId>,
    /// Bytes of all data objects defined so far.
    pub data_size: usize,
    /// Which graphs may collect, by graph index (`gc::collecting_graphs`).
    pub collecting: Vec<bool>,
    /// The imported `rr_root_stack_top`, once a function needs it.
    pub root_stack_top: Option<DataId>,
    /// `--opt=jit`: merge points call the runtime JIT.
    pub jit: bool,
}

impl<'p> ModuleCx<'p> {
    pub fn new(program: &'p LLProgram, module: ObjectModule) -> Self {
        ModuleCx {
            program,
            module,
            graph_funcs: Vec::new(),
            func_graphs: HashMap::new(),
            prebuilt: Vec::new(),
            imports: HashMap::new(),
            bytes: HashMap::new(),
            string_objects: HashMap::new(),
            data_size: 0,
            collecting: super::gc::collecting_graphs(program),
            root_stack_top: None,
            jit: false,
        }
    }

    /// The signature of a graph (`extend` = false: both sides are ours), or
    /// of a C function taking and returning these low-level types
    /// (`extend` = true: narrow integers are extended to the C ABI's
    /// expectations, as rustc's `extern "C"` does). Runtime functions get
    /// theirs from the table: `runtime_signature`.
    pub fn signature(&self, params: &[LLType], ret: LLType, extend: bool) -> Signature {
        let mut sig = self.module.make_signature();
        for p in params {
            if let Some(ap) = abi_param(*p, extend) {
                sig.params.push(ap);
            }
        }
        if let Some(ap) = abi_param(ret, extend) {
            sig.returns.push(ap);
        }
        sig
    }

    /// The Cranelift signature of a runtime function, from its table entry:
    /// 8- and 32-bit values are extended as the runtime's type says (`U8`,
    /// `U32` zero-, `I32` sign-extended, as rustc's `extern "C"` callers
    /// do), words, pointers and floats are passed as they are, `Void` (and
    /// `-> !`) has no result.
    pub fn runtime_signature(&self, f: &RuntimeFn) -> Signature {
        let mut sig = self.module.make_signature();
        sig.params
            .extend(f.params.iter().filter_map(|t| runtime_param(*t)));
        sig.returns.extend(runtime_param(f.ret));
        sig
    }

    /// Declares (once) a runtime function with the signature of its table
    /// entry.
    pub fn import_runtime(&mut self, f: &RuntimeFn) -> Result<FuncId, String> {
        let sig = self.runtime_signature(f);
        self.import(f.name, &sig)
    }

    /// Declares a function the backend calls by itself (allocation, write
    /// barriers, panics, libc): when it is a runtime function, `sig` must be
    /// the table's signature.
    fn import_checked(&mut self, name: &str, sig: &Signature) -> Result<FuncId, String> {
        if let Some(f) = runtime_fns::lookup(name) {
            let table = self.runtime_signature(f);
            if &table != sig {
                return Err(format!(
                    "runtime function `{name}` is imported as {sig}, but the table \
                     (abi::runtime_fns) gives `{}`, that is {table}",
                    f.signature_text()
                ));
            }
        }
        self.import(name, sig)
    }

    /// Declares (once) an imported function with the signature `sig`
    /// (runtime functions: `import_runtime`; this is also how the JIT's
    /// tables take a function's address).
    pub fn import(&mut self, name: &str, sig: &Signature) -> Result<FuncId, String> {
        if let Some(id) = self.imports.get(name) {
            let have = &self.module.declarations().get_function_decl(*id).signature;
            if have != sig {
                return Err(format!(
                    "runtime function `{name}` is called with two signatures: {have} and {sig}"
                ));
            }
            return Ok(*id);
        }
        let id = self
            .module
            .declare_function(name, Linkage::Import, sig)
            .map_err(|e| format!("cannot import `{name}`: {e}"))?;
        self.imports.insert(name.to_string(), id);
        Ok(id)
    }

    /// The import of `name`, if some call declared it.
    pub fn imported(&self, name: &str) -> Option<FuncId> {
        self.imports.get(name).copied()
    }

    /// Declares an import whose parameters and result are all 64-bit words
    /// (a runtime function must have this signature in the table).
    pub fn import_words(&mut self, name: &str, params: usize, ret: bool) -> Result<FuncId, String> {
        let mut sig = self.module.make_signature();
        sig.params
            .extend((0..params).map(|_| AbiParam::new(types::I64)));
        if ret {
            sig.returns.push(AbiParam::new(types::I64));
        }
        self.import_checked(name, &sig)
    }

    /// Declares an import with Cranelift types (a runtime function must
    /// have this signature in the table).
    pub fn import_typed(
        &mut self,
        name: &str,
        params: &[Type],
        ret: Option<Type>,
    ) -> Result<FuncId, String> {
        let mut sig = self.module.make_signature();
        sig.params.extend(params.iter().map(|t| AbiParam::new(*t)));
        sig.returns.extend(ret.map(AbiParam::new));
        self.import_checked(name, &sig)
    }

    /// A read-only data object holding `bytes` (deduplicated).
    pub fn static_bytes(&mut self, bytes: &[u8]) -> Result<DataId, String> {
        if let Some(id) = self.bytes.get(bytes) {
            return Ok(*id);
        }
        let id = self
            .module
            .declare_anonymous_data(false, false)
            .map_err(|e| e.to_string())?;
        let mut desc = DataDescription::new();
        // An empty object still needs a distinct address.
        let mut contents = bytes.to_vec();
        if contents.is_empty() {
            contents.push(0);
        }
        self.data_size += contents.len();
        desc.define(contents.into_boxed_slice());
        desc.set_align(1);
        self.module
            .define_data(id, &desc)
            .map_err(|e| e.to_string())?;
        self.bytes.insert(bytes.to_vec(), id);
        Ok(id)
    }

    /// A prebuilt `String` object (and its `Array<u8>` items) holding
    /// `bytes`, for runtime functions that take a location as a string.
    pub fn static_string_object(&mut self, bytes: &[u8]) -> Result<DataId, String> {
        if let Some(id) = self.string_objects.get(bytes) {
            return Ok(*id);
        }
        let err = |e: cranelift_module::ModuleError| e.to_string();
        let items = self
            .module
            .declare_anonymous_data(true, false)
            .map_err(err)?;
        let mut arr = Vec::with_capacity(16 + bytes.len());
        arr.extend_from_slice(
            &(well_known::BYTE_ARRAY.as_u32() as u64 | FLAG_PREBUILT | FLAG_TRACK_YOUNG_PTRS)
                .to_le_bytes(),
        );
        arr.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        arr.extend_from_slice(bytes);
        arr.resize(arr.len().div_ceil(8) * 8, 0);
        let mut desc = DataDescription::new();
        self.data_size += arr.len();
        desc.define(arr.into_boxed_slice());
        desc.set_align(8);
        self.module.define_data(items, &desc).map_err(err)?;

        let string = self
            .module
            .declare_anonymous_data(true, false)
            .map_err(err)?;
        let mut s = Vec::with_capacity(24);
        s.extend_from_slice(
            &(well_known::STRING.as_u32() as u64 | FLAG_PREBUILT | FLAG_TRACK_YOUNG_PTRS)
                .to_le_bytes(),
        );
        s.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        s.extend_from_slice(&0u64.to_le_bytes());
        let mut desc = DataDescription::new();
        let gv = self.module.declare_data_in_data(items, &mut desc);
        desc.write_data_addr(16, gv, 0);
        self.data_size += s.len();
        desc.define(s.into_boxed_slice());
        desc.set_align(8);
        self.module.define_data(string, &desc).map_err(err)?;
        self.string_objects.insert(bytes.to_vec(), string);
        Ok(string)
    }
}

/// A parameter or result slot of a runtime function (`runtime_signature`).
fn runtime_param(t: AbiTy) -> Option<AbiParam> {
    Some(match t {
        AbiTy::Void => return None,
        AbiTy::U8 => AbiParam::new(types::I8).uext(),
        AbiTy::U32 => AbiParam::new(types::I32).uext(),
        AbiTy::I32 => AbiParam::new(types::I32).sext(),
        AbiTy::U64 | AbiTy::I64 | AbiTy::Ptr | AbiTy::Word => AbiParam::new(types::I64),
        AbiTy::F64 => AbiParam::new(types::F64),
    })
}

/// The Cranelift type of a runtime function's parameter or result.
pub(crate) fn runtime_cl_type(t: AbiTy) -> Option<Type> {
    runtime_param(t).map(|p| p.value_type)
}

/// Whether a call-site value of low-level type `t` fits `want` (see
/// `AbiTy`): same width and kind; the signedness of integers may differ.
/// `result`: `t` is the call's result (a `Word` result may be a `Char`).
pub(crate) fn fits(want: AbiTy, t: LLType, result: bool) -> bool {
    let int_bits = |bits: u32| matches!(t, LLType::Int(i) if i.bits() == bits);
    match want {
        AbiTy::U8 => t == LLType::Bool || int_bits(8),
        AbiTy::U32 | AbiTy::I32 => t == LLType::Char || int_bits(32),
        AbiTy::U64 | AbiTy::I64 => int_bits(64),
        AbiTy::F64 => t == LLType::Float,
        AbiTy::Ptr => t.is_ptr(),
        AbiTy::Word => int_bits(64) || t.is_ptr() || (result && t == LLType::Char),
        AbiTy::Void => t == LLType::Void,
    }
}

/// The value of the integer constant `(v, t)` as an integer of type
/// `want`, if its range holds it (an integer constant fits any integer
/// parameter that can hold its value; not `Word`, whose meaning depends on
/// the call).
pub(crate) fn const_as(want: AbiTy, v: i64, t: IntTy) -> Option<i64> {
    let bits = t.bits();
    let value: i128 = if t.signed() {
        ((v as i128) << (128 - bits)) >> (128 - bits)
    } else if bits == 64 {
        v as u64 as i128
    } else {
        (v as u64 & ((1u64 << bits) - 1)) as i128
    };
    let (lo, hi): (i128, i128) = match want {
        AbiTy::U8 => (0, u8::MAX as i128),
        AbiTy::U32 => (0, u32::MAX as i128),
        AbiTy::I32 => (i32::MIN as i128, i32::MAX as i128),
        AbiTy::U64 => (0, u64::MAX as i128),
        AbiTy::I64 => (i64::MIN as i128, i64::MAX as i128),
        AbiTy::F64 | AbiTy::Ptr | AbiTy::Word | AbiTy::Void => return None,
    };
    (lo..=hi).contains(&value).then_some(value as i64)
}

/// One argument of a runtime call as the call site has it: its type, and
/// its value when it is an integer constant.
#[derive(Copy, Clone, Debug)]
pub(crate) struct CallArg {
    pub ty: LLType,
    pub int_const: Option<(i64, IntTy)>,
}

/// Checks a call of `f` with these (non-Void) arguments and result type
/// against its table entry; the error names the function, the table's
/// signature and the call's.
pub(crate) fn check_runtime_call(
    program: &LLProgram,
    f: &RuntimeFn,
    args: &[CallArg],
    ret: LLType,
) -> Result<(), String> {
    let name = |t: LLType| rtyper::dump::ty_name(&program.types, t);
    let mut problem = None;
    if args.len() != f.params.len() {
        problem = Some(format!(
            "it takes {} arguments, the call passes {}",
            f.params.len(),
            args.len()
        ));
    }
    for (i, (a, &want)) in args.iter().zip(f.params).enumerate() {
        let const_fits = a.int_const.and_then(|(v, t)| const_as(want, v, t));
        if problem.is_none() && !fits(want, a.ty, false) && const_fits.is_none() {
            problem = Some(format!(
                "argument {} is {}, which does not fit {}",
                i + 1,
                name(a.ty),
                want.name()
            ));
        }
    }
    if problem.is_none() && !fits(f.ret, ret, true) {
        problem = Some(format!(
            "the result is {}, which does not fit {}",
            name(ret),
            f.ret.name()
        ));
    }
    match problem {
        None => Ok(()),
        Some(p) => {
            let params: Vec<String> = args.iter().map(|a| name(a.ty)).collect();
            Err(format!(
                "runtime function `{}` is called as `{}({}) -> {}`, but the table \
                 (abi::runtime_fns) gives `{}`: {p}",
                f.name,
                f.name,
                params.join(", "),
                name(ret),
                f.signature_text()
            ))
        }
    }
}
