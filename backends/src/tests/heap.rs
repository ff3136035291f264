//! Heap objects: structs, arrays and prebuilt constants.

use super::builder::*;
use super::run::assert_exit;
use flowspace::model::IntTy;
use rtyper::llgraph::{LLConst, LLExit, LLOpKind as K, PrebuiltData};
use rtyper::lltype::{well_known, LLType};

/// Malloc a struct with fields of every kind, set them, read them back
/// (through a second function, so the values go through memory).
#[test]
fn struct_malloc_set_and_get_fields() {
    let mut p = ProgramBuilder::new();
    let s = p.add_struct(
        "S",
        &[
            ("a", I32),
            ("b", U8),
            ("c", I64),
            ("d", LLType::Float),
            ("e", LLType::Bool),
            ("f", LLType::Char),
            ("g", LLType::Int(IntTy::I16)),
        ],
    );
    let sp = LLType::Ptr(s);
    let (mut g, start, _) = GraphBuilder::new("S::new", &[], sp);
    let o = g.op(start, K::Malloc(s), vec![], sp);
    let vals = [
        i32c(-7),
        int(200, IntTy::U8),
        int(1 << 40, IntTy::I64),
        c(LLConst::Float(2.5)),
        c(LLConst::Bool(true)),
        c(LLConst::Char('λ')),
        int(-300, IntTy::I16),
    ];
    for (fi, val) in vals.iter().enumerate() {
        g.op(
            start,
            K::SetField {
                ty: s,
                field: fi as u32,
            },
            vec![v(o), *val],
            LLType::Void,
        );
    }
    g.exit(start, LLExit::Return(v(o)));
    let new = p.add(g);

    let (mut g, start, _) = GraphBuilder::new("main", &[], LLType::Void);
    let o = g.op(start, K::DirectCall(new), vec![], sp);
    let tys = [
        I32,
        U8,
        I64,
        LLType::Float,
        LLType::Bool,
        LLType::Char,
        LLType::Int(IntTy::I16),
    ];
    let mut cur = start;
    for (fi, (val, t)) in vals.iter().zip(tys).enumerate() {
        let got = g.op(
            cur,
            K::GetField {
                ty: s,
                field: fi as u32,
            },
            vec![v(o)],
            t,
        );
        cur = g.expect_eq(cur, v(got), *val, fi as i32 + 1);
    }
    // A fresh object is zeroed.
    let z = g.op(cur, K::Malloc(s), vec![], sp);
    let za = g.op(cur, K::GetField { ty: s, field: 2 }, vec![v(z)], I64);
    cur = g.expect_eq(cur, v(za), int(0, IntTy::I64), 20);
    let eq = g.op(cur, K::PtrEq, vec![v(o), v(z)], LLType::Bool);
    cur = g.expect_eq(cur, v(eq), c(LLConst::Bool(false)), 21);
    let ne = g.op(cur, K::PtrNe, vec![v(o), c(LLConst::Null(s))], LLType::Bool);
    cur = g.expect_eq(cur, v(ne), c(LLConst::Bool(true)), 22);
    g.exit_with(cur, i32c(0));
    let main = p.add(g);
    assert_exit(&p.finish(main), 0);
}

/// An `Array<u16>` of length 10: a[i] = i * i, then the sum (285) and the
/// length through ArrayLen.
#[test]
fn array_items_and_length() {
    let mut p = ProgramBuilder::new();
    let u16t = LLType::Int(IntTy::U16);
    let arr = p.add_array("Array<u16>", u16t);
    let ap = LLType::Ptr(arr);
    let (mut g, start, _) = GraphBuilder::new("main", &[], LLType::Void);
    let a = g.op(start, K::MallocArray(arr), vec![usize_c(10)], ap);
    let (fill, fv) = g.block(&[USIZE]);
    let (sum, sv) = g.block(&[USIZE, u16t]);
    let (done, dv) = g.block(&[u16t]);
    g.goto(start, fill, vec![usize_c(0)]);
    // fill: if i < len { a[i] = i*i; goto fill(i+1) } else goto sum(0, 0)
    let len = g.op(fill, K::ArrayLen(arr), vec![v(a)], USIZE);
    let lt = g.op(
        fill,
        K::IntCmp(rtyper::llgraph::Cmp::Lt),
        vec![v(fv[0]), v(len)],
        LLType::Bool,
    );
    let (body, bv) = g.block(&[USIZE]);
    g.exit(
        fill,
        LLExit::If {
            cond: v(lt),
            then_link: link(body, vec![v(fv[0])]),
            else_link: link(sum, vec![usize_c(0), int(0, IntTy::U16)]),
        },
    );
    let sq = g.op(body, K::IntMul, vec![v(bv[0]), v(bv[0])], USIZE);
    let sq16 = g.op(body, K::Cast, vec![v(sq)], u16t);
    g.op(
        body,
        K::SetArrayItem(arr),
        vec![v(a), v(bv[0]), v(sq16)],
        LLType::Void,
    );
    let n = g.op(body, K::IntAdd, vec![v(bv[0]), usize_c(1)], USIZE);
    g.goto(body, fill, vec![v(n)]);
    // sum: while i < 10 { s += a[i] }
    let lt = g.op(
        sum,
        K::IntCmp(rtyper::llgraph::Cmp::Lt),
        vec![v(sv[0]), usize_c(10)],
        LLType::Bool,
    );
    let (sbody, sb) = g.block(&[USIZE, u16t]);
    g.exit(
        sum,
        LLExit::If {
            cond: v(lt),
            then_link: link(sbody, vec![v(sv[0]), v(sv[1])]),
            else_link: link(done, vec![v(sv[1])]),
        },
    );
    let item = g.op(sbody, K::GetArrayItem(arr), vec![v(a), v(sb[0])], u16t);
    let s2 = g.op(sbody, K::IntAdd, vec![v(sb[1]), v(item)], u16t);
    let n = g.op(sbody, K::IntAdd, vec![v(sb[0]), usize_c(1)], USIZE);
    g.goto(sbody, sum, vec![v(n), v(s2)]);
    let next = g.expect_eq(done, v(dv[0]), int(285, IntTy::U16), 1);
    let len = g.op(next, K::ArrayLen(arr), vec![v(a)], USIZE);
    let next = g.expect_eq(next, v(len), usize_c(10), 2);
    g.exit_with(next, i32c(0));
    let main = p.add(g);
    assert_exit(&p.finish(main), 0);
}

/// Prebuilt objects: a `String` pointing at its `Array<u8>` items, and a
/// struct with a pointer field, a float and a small int; read through the
/// layout from code.
#[test]
fn prebuilt_objects_are_laid_out_and_relocated() {
    let mut p = ProgramBuilder::new();
    let bytes = p.add_prebuilt(
        well_known::BYTE_ARRAY,
        PrebuiltData::Bytes(b"hello".to_vec()),
    );
    let string = p.add_prebuilt(
        well_known::STRING,
        PrebuiltData::Struct(vec![
            LLConst::Int(5, IntTy::Usize),
            LLConst::Prebuilt(bytes),
        ]),
    );
    let s = p.add_struct(
        "Conf",
        &[
            ("flag", LLType::Bool),
            ("name", LLType::Ptr(well_known::STRING)),
            ("x", LLType::Float),
            ("k", LLType::Int(IntTy::I8)),
        ],
    );
    let conf = p.add_prebuilt(
        s,
        PrebuiltData::Struct(vec![
            LLConst::Bool(true),
            LLConst::Prebuilt(string),
            LLConst::Float(-0.75),
            LLConst::Int(-3, IntTy::I8),
        ]),
    );
    let i64s = p.add_array("Array<i64>", I64);
    let table = p.add_prebuilt(
        i64s,
        PrebuiltData::Array(vec![
            LLConst::Int(-1, IntTy::I64),
            LLConst::Int(1 << 50, IntTy::I64),
        ]),
    );

    let strp = LLType::Ptr(well_known::STRING);
    let bap = LLType::Ptr(well_known::BYTE_ARRAY);
    let (mut g, start, _) = GraphBuilder::new("main", &[], LLType::Void);
    let conf_v = c(LLConst::Prebuilt(conf));
    let flag = g.op(
        start,
        K::GetField { ty: s, field: 0 },
        vec![conf_v],
        LLType::Bool,
    );
    let mut cur = g.expect_eq(start, v(flag), c(LLConst::Bool(true)), 1);
    let x = g.op(
        cur,
        K::GetField { ty: s, field: 2 },
        vec![conf_v],
        LLType::Float,
    );
    cur = g.expect_eq(cur, v(x), c(LLConst::Float(-0.75)), 2);
    let k = g.op(
        cur,
        K::GetField { ty: s, field: 3 },
        vec![conf_v],
        LLType::Int(IntTy::I8),
    );
    cur = g.expect_eq(cur, v(k), int(-3, IntTy::I8), 3);
    let name = g.op(cur, K::GetField { ty: s, field: 1 }, vec![conf_v], strp);
    let len = g.op(
        cur,
        K::GetField {
            ty: well_known::STRING,
            field: 0,
        },
        vec![v(name)],
        USIZE,
    );
    cur = g.expect_eq(cur, v(len), usize_c(5), 4);
    let items = g.op(
        cur,
        K::GetField {
            ty: well_known::STRING,
            field: 1,
        },
        vec![v(name)],
        bap,
    );
    let alen = g.op(
        cur,
        K::ArrayLen(well_known::BYTE_ARRAY),
        vec![v(items)],
        USIZE,
    );
    cur = g.expect_eq(cur, v(alen), usize_c(5), 5);
    let e = g.op(
        cur,
        K::GetArrayItem(well_known::BYTE_ARRAY),
        vec![v(items), usize_c(1)],
        U8,
    );
    cur = g.expect_eq(cur, v(e), int(b'e' as i64, IntTy::U8), 6);
    let t1 = g.op(
        cur,
        K::GetArrayItem(i64s),
        vec![c(LLConst::Prebuilt(table)), usize_c(1)],
        I64,
    );
    cur = g.expect_eq(cur, v(t1), int(1 << 50, IntTy::I64), 7);
    let t0 = g.op(
        cur,
        K::GetArrayItem(i64s),
        vec![c(LLConst::Prebuilt(table)), usize_c(0)],
        I64,
    );
    cur = g.expect_eq(cur, v(t0), int(-1, IntTy::I64), 8);
    // Prebuilt objects are writable (the GC may flag their headers).
    g.op(
        cur,
        K::SetField { ty: s, field: 3 },
        vec![conf_v, int(9, IntTy::I8)],
        LLType::Void,
    );
    let k = g.op(
        cur,
        K::GetField { ty: s, field: 3 },
        vec![conf_v],
        LLType::Int(IntTy::I8),
    );
    cur = g.expect_eq(cur, v(k), int(9, IntTy::I8), 9);
    g.exit_with(cur, i32c(0));
    let main = p.add(g);
    let prog = p.finish(main);
    let obj = crate::aot::compile(&prog).expect("compiles");
    // "hello" array (16 + 5 -> 24), String (24), Conf (8+1.. -> 40?), table (32).
    assert!(obj.stats.data_size >= 24 + 24 + 32, "{:?}", obj.stats);
    assert_exit(&prog, 0);
}

/// `type_id_of` and `ptr_cast`: objects of two struct types and a
/// prebuilt one reach `id_of(o: *Object) -> u32` through a cast; it reads
/// each one's header (the type's index). A cast back to the struct type
/// reads the field stored before the casts, and is the same reference.
/// A call that may collect sits between the cast and the reads (the cast
/// value is spilled and reloaded as a reference; `gc.rs` runs this with a
/// collection at every allocation). One block (variables are block-local,
/// which the verifier and the backend optimisations require): the exit
/// code has bit `k` set when check `k` fails.
pub(super) fn type_id_program() -> rtyper::llgraph::LLProgram {
    use rtyper::llgraph::Cmp;
    let mut p = ProgramBuilder::new();
    let s = p.add_struct("S", &[("a", I64)]);
    let t = p.add_struct("T", &[("x", I32), ("s", LLType::Ptr(s))]);
    assert_eq!(s.as_u32(), well_known::COUNT);
    let (sp, tp) = (LLType::Ptr(s), LLType::Ptr(t));
    let objp = LLType::Ptr(well_known::OBJECT);
    let u32t = LLType::Int(IntTy::U32);
    let u32c = |n: u32| int(n as i64, IntTy::U32);
    let pb = p.add_prebuilt(s, PrebuiltData::Struct(vec![LLConst::Int(9, IntTy::I64)]));

    let (mut g, start, params) = GraphBuilder::new("id_of", &[objp], u32t);
    let id = g.op(start, K::TypeIdOf, vec![v(params[0])], u32t);
    g.exit(start, LLExit::Return(v(id)));
    let id_of = p.add(g);

    let (mut g, b, _) = GraphBuilder::new("main", &[], LLType::Void);
    let so = g.op(b, K::Malloc(s), vec![], sp);
    g.op(
        b,
        K::SetField { ty: s, field: 0 },
        vec![v(so), int(42, IntTy::I64)],
        LLType::Void,
    );
    let as_obj = g.op(b, K::PtrCast, vec![v(so)], objp);
    // May collect: `as_obj` and `so` are live across it.
    let to = g.op(b, K::Malloc(t), vec![], tp);
    let t_obj = g.op(b, K::PtrCast, vec![v(to)], objp);
    let pb_obj = g.op(b, K::PtrCast, vec![c(LLConst::Prebuilt(pb))], objp);
    let back = g.op(b, K::PtrCast, vec![v(as_obj)], sp);
    let pb_back = g.op(b, K::PtrCast, vec![v(pb_obj)], sp);
    let got = [
        g.op(b, K::DirectCall(id_of), vec![v(as_obj)], u32t),
        g.op(b, K::DirectCall(id_of), vec![v(t_obj)], u32t),
        g.op(b, K::DirectCall(id_of), vec![v(pb_obj)], u32t),
        // Directly on struct-typed references, too.
        g.op(b, K::TypeIdOf, vec![v(to)], u32t),
        g.op(b, K::TypeIdOf, vec![v(back)], u32t),
        g.op(b, K::GetField { ty: s, field: 0 }, vec![v(back)], I64),
        g.op(b, K::GetField { ty: s, field: 0 }, vec![v(pb_back)], I64),
    ];
    let want = [
        u32c(s.as_u32()),
        u32c(t.as_u32()),
        u32c(s.as_u32()),
        u32c(t.as_u32()),
        u32c(s.as_u32()),
        int(42, IntTy::I64),
        int(9, IntTy::I64),
    ];
    let mut failed = vec![];
    for (x, w) in got.iter().zip(want) {
        failed.push(g.op(b, K::IntCmp(Cmp::Ne), vec![v(*x), w], LLType::Bool));
    }
    failed.push(g.op(b, K::PtrNe, vec![v(back), v(so)], LLType::Bool));
    let mut code = i32c(0);
    for (k, f) in failed.into_iter().enumerate() {
        let bit = g.op(b, K::Cast, vec![v(f)], I32);
        let bit = g.op(b, K::IntShl, vec![v(bit), i32c(k as i32)], I32);
        code = v(g.op(b, K::IntOr, vec![code, v(bit)], I32));
    }
    g.exit_with(b, code);
    let main = p.add(g);
    p.finish(main)
}

#[test]
fn type_id_of_reads_the_header_and_ptr_cast_is_the_same_reference() {
    let prog = type_id_program();
    let errs = rtyper::verify::verify_program(&prog);
    assert!(errs.is_empty(), "{errs:?}");
    assert_exit(&prog, 0);
    let no_opt = crate::aot::AotOptions {
        optimize: false,
        ..crate::aot::AotOptions::default()
    };
    let r = super::run::run_with(&prog, &no_opt);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
}
