//! The object module being built and the symbols shared by all functions:
//! local functions (one per graph), prebuilt objects, runtime imports and
//! deduplicated static data (panic messages and locations).

use cranelift_codegen::ir::{types, AbiParam, Signature, Type};
use cranelift_module::{DataDescription, DataId, FuncId, Linkage, Module};
use cranelift_object::ObjectModule;
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

    /// The signature of a graph (`extend` = false: both sides are ours) or
    /// of a runtime function (`extend` = true: narrow integers are extended
    /// to the C ABI's expectations, as rustc's `extern "C"` does).
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

    /// Declares (once) an imported runtime or libc function.
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

    /// Declares an import whose parameters and result are all 64-bit words.
    pub fn import_words(&mut self, name: &str, params: usize, ret: bool) -> Result<FuncId, String> {
        let mut sig = self.module.make_signature();
        sig.params
            .extend((0..params).map(|_| AbiParam::new(types::I64)));
        if ret {
            sig.returns.push(AbiParam::new(types::I64));
        }
        self.import(name, &sig)
    }

    /// Declares an import with Cranelift types.
    pub fn import_typed(
        &mut self,
        name: &str,
        params: &[Type],
        ret: Option<Type>,
    ) -> Result<FuncId, String> {
        let mut sig = self.module.make_signature();
        sig.params.extend(params.iter().map(|t| AbiParam::new(*t)));
        sig.returns.extend(ret.map(AbiParam::new));
        self.import(name, &sig)
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
