//! The runtime function table (`abi::runtime_fns`), from which the AOT
//! backend builds every runtime call's signature, agrees with the runtime:
//!
//! - every entry is a defined global function in both runtime archives the
//!   backend embeds (plain and `--features jit`), and every global `rr_*`
//!   function they define is in the table;
//! - the runtime's sources define every entry as a `#[no_mangle] extern "C"
//!   fn` with exactly the table's parameter and result types, and export
//!   no other `extern "C" fn rr_*`;
//! - the well-known type ids of the rtyper, `abi::layout::type_id`, the
//!   runtime's `layout::type_id` and docs/runtime-abi.md are the same.

use abi::runtime_fns::{AbiTy, RuntimeFn, RUNTIME_FNS};
use object::read::archive::ArchiveFile;
use object::{Object, ObjectSymbol, SymbolKind};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The global functions an archive's members define.
fn defined_functions(path: &str) -> BTreeSet<String> {
    let data = std::fs::read(path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    let archive = ArchiveFile::parse(&*data).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut out = BTreeSet::new();
    let mut objects = 0;
    for member in archive.members() {
        let member = member.unwrap_or_else(|e| panic!("{path}: {e}"));
        let bytes = member.data(&*data).expect("member data");
        // Skip what is not an object file (none expected, but an archive
        // may hold other members).
        let Ok(file) = object::File::parse(bytes) else {
            continue;
        };
        objects += 1;
        for sym in file.symbols() {
            if sym.is_definition() && sym.is_global() && sym.kind() == SymbolKind::Text {
                if let Ok(name) = sym.name() {
                    out.insert(name.to_string());
                }
            }
        }
    }
    assert!(objects > 0, "{path} holds no object files");
    out
}

fn check_archive(path: &str) {
    let defined = defined_functions(path);
    let missing: Vec<&str> = RUNTIME_FNS
        .iter()
        .map(|f| f.name)
        .filter(|n| !defined.contains(*n))
        .collect();
    assert!(
        missing.is_empty(),
        "{path} does not define these runtime functions of abi::runtime_fns: {missing:?}"
    );
    let extra: Vec<&String> = defined
        .iter()
        .filter(|n| n.starts_with("rr_") && abi::runtime_fns::lookup(n).is_none())
        .collect();
    assert!(
        extra.is_empty(),
        "{path} defines `rr_*` functions that abi::runtime_fns does not list: {extra:?}"
    );
}

#[test]
fn every_runtime_fn_is_defined_in_the_plain_runtime_archive() {
    check_archive(env!("RRUST_RUNTIME_LIB"));
}

#[test]
fn every_runtime_fn_is_defined_in_the_jit_runtime_archive() {
    check_archive(env!("RRUST_RUNTIME_JIT_LIB"));
}

/// A `extern "C" fn rr_*` of the runtime's sources.
struct Definition {
    file: PathBuf,
    no_mangle: bool,
    params: Vec<Result<AbiTy, String>>,
    /// `None`: `-> !`.
    ret: Option<Result<AbiTy, String>>,
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The ABI type of a Rust parameter or result type, as the table spells
/// it (a `u64` may be a `Word` in the table).
fn abi_ty(ty: &syn::Type) -> Result<AbiTy, String> {
    let text = quote_type(ty);
    Ok(match ty {
        syn::Type::Ptr(p) => match &*p.elem {
            syn::Type::Path(e) if e.path.is_ident("u8") => AbiTy::Ptr,
            _ => return Err(text),
        },
        syn::Type::Path(p) if p.qself.is_none() => match p.path.get_ident() {
            Some(i) if i == "u8" => AbiTy::U8,
            Some(i) if i == "u32" => AbiTy::U32,
            Some(i) if i == "i32" => AbiTy::I32,
            Some(i) if i == "i64" => AbiTy::I64,
            Some(i) if i == "u64" => AbiTy::U64,
            Some(i) if i == "f64" => AbiTy::F64,
            _ => return Err(text),
        },
        syn::Type::Tuple(t) if t.elems.is_empty() => AbiTy::Void,
        _ => return Err(text),
    })
}

/// A readable form of a type for messages.
fn quote_type(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Ptr(p) => {
            let m = if p.mutability.is_some() {
                "mut"
            } else {
                "const"
            };
            format!("*{m} {}", quote_type(&p.elem))
        }
        syn::Type::Path(p) => p
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect::<Vec<_>>()
            .join("::"),
        syn::Type::Never(_) => "!".into(),
        _ => "(some other type)".into(),
    }
}

fn is_no_mangle(attr: &syn::Attribute) -> bool {
    let path = attr.path();
    if path.is_ident("no_mangle") {
        return true;
    }
    // `#[unsafe(no_mangle)]` (edition 2024).
    if path.is_ident("unsafe") {
        if let syn::Meta::List(list) = &attr.meta {
            return list.tokens.to_string().trim() == "no_mangle";
        }
    }
    false
}

/// Every `extern "C" fn rr_*` (free functions, in any module) of one file.
fn collect_definitions(file: &Path, items: &[syn::Item], out: &mut BTreeMap<String, Definition>) {
    for item in items {
        match item {
            syn::Item::Fn(f) => {
                let sig = &f.sig;
                let name = sig.ident.to_string();
                let extern_c = sig
                    .abi
                    .as_ref()
                    .is_some_and(|a| a.name.as_ref().is_some_and(|n| n.value() == "C"));
                if !extern_c || !name.starts_with("rr_") {
                    continue;
                }
                let params = sig
                    .inputs
                    .iter()
                    .map(|a| match a {
                        syn::FnArg::Typed(t) => abi_ty(&t.ty),
                        syn::FnArg::Receiver(_) => Err("self".into()),
                    })
                    .collect();
                let ret = match &sig.output {
                    syn::ReturnType::Default => Some(Ok(AbiTy::Void)),
                    syn::ReturnType::Type(_, t) if matches!(**t, syn::Type::Never(_)) => None,
                    syn::ReturnType::Type(_, t) => Some(abi_ty(t)),
                };
                let def = Definition {
                    file: file.to_path_buf(),
                    no_mangle: f.attrs.iter().any(is_no_mangle),
                    params,
                    ret,
                };
                if let Some(old) = out.insert(name.clone(), def) {
                    // Two definitions (say, one per cfg) must agree; keep
                    // it simple: none exist today.
                    panic!(
                        "`{name}` is defined twice: {} and {}",
                        old.file.display(),
                        file.display()
                    );
                }
            }
            syn::Item::Mod(m) => {
                if let Some((_, items)) = &m.content {
                    collect_definitions(file, items, out);
                }
            }
            _ => {}
        }
    }
}

fn runtime_definitions() -> BTreeMap<String, Definition> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root");
    let src = root.join("runtime/src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(!files.is_empty(), "no sources under {}", src.display());
    let mut out = BTreeMap::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("read a runtime source");
        let ast = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let short = file.strip_prefix(root).unwrap_or(file);
        collect_definitions(short, &ast.items, &mut out);
    }
    out
}

/// Whether a Rust type (`AbiTy` as `abi_ty` reads it) is what the table
/// says: a `Word` is a `u64` in the runtime.
fn same(table: AbiTy, rust: AbiTy) -> bool {
    table == rust || (table == AbiTy::Word && rust == AbiTy::U64)
}

fn definition_text(name: &str, d: &Definition) -> String {
    let ty = |t: &Result<AbiTy, String>| match t {
        Ok(t) => t.name().to_string(),
        Err(text) => format!("`{text}` (not an ABI type)"),
    };
    let params: Vec<String> = d.params.iter().map(ty).collect();
    let ret = d.ret.as_ref().map(ty).unwrap_or_else(|| "!".into());
    format!(
        "{name}({}) -> {ret} in {}",
        params.join(", "),
        d.file.display()
    )
}

fn matches_table(f: &RuntimeFn, d: &Definition) -> bool {
    let params_ok = d.params.len() == f.params.len()
        && d.params
            .iter()
            .zip(f.params)
            .all(|(r, t)| r.as_ref().is_ok_and(|r| same(*t, *r)));
    // `-> !` is `Void` with NORETURN effects; `Void` otherwise returns.
    let ret_ok = match &d.ret {
        None => f.ret == AbiTy::Void && f.effects.noreturn,
        Some(r) => r.as_ref().is_ok_and(|r| same(f.ret, *r)) && !f.effects.noreturn,
    };
    params_ok && ret_ok
}

#[test]
fn runtime_sources_define_the_table_signatures() {
    let defs = runtime_definitions();
    let mut problems = Vec::new();
    for f in RUNTIME_FNS {
        match defs.get(f.name) {
            None => problems.push(format!(
                "`{}` is in the table but the runtime defines no `extern \"C\" fn {}`",
                f.signature_text(),
                f.name
            )),
            Some(d) if !d.no_mangle => problems.push(format!(
                "{} is not `#[no_mangle]`",
                definition_text(f.name, d)
            )),
            Some(d) if !matches_table(f, d) => problems.push(format!(
                "{} does not match the table's `{}`{}",
                definition_text(f.name, d),
                f.signature_text(),
                if f.effects.noreturn {
                    " (NORETURN)"
                } else {
                    ""
                }
            )),
            Some(_) => {}
        }
    }
    for (name, d) in &defs {
        if d.no_mangle && abi::runtime_fns::lookup(name).is_none() {
            problems.push(format!(
                "{} is not in the table (abi::runtime_fns)",
                definition_text(name, d)
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The `pub const NAME: _ = N;` items of module `type_id` in a parsed file.
fn type_id_consts(items: &[syn::Item]) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    for item in items {
        let syn::Item::Mod(m) = item else { continue };
        if m.ident != "type_id" {
            continue;
        }
        for it in m.content.iter().flat_map(|(_, items)| items) {
            let syn::Item::Const(c) = it else { continue };
            let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Int(n),
                ..
            }) = &*c.expr
            else {
                panic!("type_id::{} is not an integer literal", c.ident);
            };
            out.insert(c.ident.to_string(), n.base10_parse().expect("a type id"));
        }
    }
    out
}

#[test]
fn well_known_type_ids_agree_with_the_runtime_and_abi() {
    use abi::layout::type_id as t;
    use rtyper::lltype::well_known as wk;
    let rtyper_ids = [
        ("BYTE_ARRAY", wk::BYTE_ARRAY.as_u32(), t::BYTE_ARRAY),
        ("STRING", wk::STRING.as_u32(), t::STRING),
        ("STRING_ARRAY", wk::STRING_ARRAY.as_u32(), t::STRING_ARRAY),
        ("STRING_LIST", wk::STRING_LIST.as_u32(), t::STRING_LIST),
        ("DICT", wk::DICT.as_u32(), t::DICT),
        ("IO_ERROR", wk::IO_ERROR.as_u32(), t::IO_ERROR),
        ("OBJECT", wk::OBJECT.as_u32(), t::OBJECT),
    ];
    assert_eq!(wk::COUNT, t::COUNT);
    assert_eq!(
        rtyper_ids.len() as u32,
        wk::COUNT,
        "a well-known type is missing here"
    );
    assert_eq!(rtyper::lltype::new_type_table().len() as u32, wk::COUNT);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root");
    let text = std::fs::read_to_string(root.join("runtime/src/layout.rs")).expect("layout.rs");
    let ast = syn::parse_file(&text).expect("layout.rs parses");
    let runtime = type_id_consts(&ast.items);
    assert_eq!(
        runtime.len(),
        rtyper_ids.len(),
        "runtime type ids: {runtime:?}"
    );
    for (name, rt, ab) in rtyper_ids {
        assert_eq!(rt, ab, "{name}: rtyper vs abi");
        assert_eq!(
            runtime.get(name).copied(),
            Some(rt as u64),
            "{name}: runtime"
        );
    }
    // The object layout doc lists each of them by its id.
    let doc = std::fs::read_to_string(root.join("docs/runtime-abi.md")).expect("runtime-abi.md");
    let doc = doc.split_whitespace().collect::<Vec<_>>().join(" ");
    for (id, d) in rtyper::lltype::new_type_table().iter() {
        let entry = format!("{} `{}`", id.as_u32(), d.name);
        assert!(
            doc.contains(&entry),
            "docs/runtime-abi.md does not list `{entry}`"
        );
    }
}
