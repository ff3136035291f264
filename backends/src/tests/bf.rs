//! A Brainfuck interpreter written by hand as the rtyper would lower
//! `goal/bf/targetbf.rs` (lists with length and items, a runtime dict for
//! the bracket map, small methods called and inlined, bounds checks). It
//! checks the backend end to end on a realistic program; the ignored
//! `bf_benchmark` runs a program of the shared `bf/` folder for timing.

use super::builder::*;
use super::run::run_with_args;
use crate::aot::AotOptions;
use flowspace::model::{Block, IntTy, Var};
use rtyper::llgraph::{
    CheckKind, Cmp, LLConst, LLExit, LLOpKind as K, LLProgram, LLValue, PrebuiltData,
};
use rtyper::lltype::{well_known as wk, GcTypeId, LLType};

const LIST: GcTypeId = wk::STRING;
const LEN: u32 = 0;
const ITEMS: u32 = 1;

fn list_ptr() -> LLType {
    LLType::Ptr(LIST)
}
fn bytes_ptr() -> LLType {
    LLType::Ptr(wk::BYTE_ARRAY)
}
fn u64c(v: u64) -> LLValue {
    int(v as i64, IntTy::U64)
}

/// `list[index]` with its bounds check, as `Vec<u8>` indexing lowers.
fn list_get(g: &mut GraphBuilder, b: Block, list: LLValue, index: LLValue) -> Var {
    let len = g.op(
        b,
        K::GetField {
            ty: LIST,
            field: LEN,
        },
        vec![list],
        USIZE,
    );
    g.op(
        b,
        K::Check(CheckKind::Bounds),
        vec![index, v(len)],
        LLType::Void,
    );
    let items = g.op(
        b,
        K::GetField {
            ty: LIST,
            field: ITEMS,
        },
        vec![list],
        bytes_ptr(),
    );
    g.op(
        b,
        K::GetArrayItem(wk::BYTE_ARRAY),
        vec![v(items), index],
        U8,
    )
}

fn list_set(g: &mut GraphBuilder, b: Block, list: LLValue, index: LLValue, value: LLValue) {
    let len = g.op(
        b,
        K::GetField {
            ty: LIST,
            field: LEN,
        },
        vec![list],
        USIZE,
    );
    g.op(
        b,
        K::Check(CheckKind::Bounds),
        vec![index, v(len)],
        LLType::Void,
    );
    let items = g.op(
        b,
        K::GetField {
            ty: LIST,
            field: ITEMS,
        },
        vec![list],
        bytes_ptr(),
    );
    g.op(
        b,
        K::SetArrayItem(wk::BYTE_ARRAY),
        vec![v(items), index, value],
        LLType::Void,
    );
}

struct TapeFns {
    ty: GcTypeId,
    new: rtyper::llgraph::LLGraphId,
    get: rtyper::llgraph::LLGraphId,
    inc: rtyper::llgraph::LLGraphId,
    dec: rtyper::llgraph::LLGraphId,
    advance: rtyper::llgraph::LLGraphId,
    devance: rtyper::llgraph::LLGraphId,
}

fn tape(p: &mut ProgramBuilder) -> TapeFns {
    let ty = p.add_struct("Tape", &[("thetape", list_ptr()), ("position", USIZE)]);
    let tp = LLType::Ptr(ty);
    let (mut g, s, _) = GraphBuilder::new("Tape::new", &[], tp);
    let t = g.op(s, K::Malloc(ty), vec![], tp);
    let l = g.op(
        s,
        K::RuntimeCall("rr_list_new_filled".into()),
        vec![u64c(1), u64c(0), u64c(1), u64c(1), u64c(0)],
        list_ptr(),
    );
    g.op(
        s,
        K::SetField { ty, field: 0 },
        vec![v(t), v(l)],
        LLType::Void,
    );
    g.exit(s, LLExit::Return(v(t)));
    let new = p.add(g);

    let field = |g: &mut GraphBuilder, b: Block, t: Var, f: u32, fty: LLType| {
        g.op(b, K::GetField { ty, field: f }, vec![v(t)], fty)
    };

    let (mut g, s, a) = GraphBuilder::new("Tape::get", &[tp], U8);
    let l = field(&mut g, s, a[0], 0, list_ptr());
    let pos = field(&mut g, s, a[0], 1, USIZE);
    let x = list_get(&mut g, s, v(l), v(pos));
    g.exit(s, LLExit::Return(v(x)));
    let get = p.add(g);

    let mut incdec = |name: &str, op: K| {
        let (mut g, s, a) = GraphBuilder::new(name, &[tp], LLType::Void);
        let l = field(&mut g, s, a[0], 0, list_ptr());
        let pos = field(&mut g, s, a[0], 1, USIZE);
        let x = list_get(&mut g, s, v(l), v(pos));
        let y = g.op(s, op, vec![v(x), int(1, IntTy::U8)], U8);
        let l = field(&mut g, s, a[0], 0, list_ptr());
        let pos = field(&mut g, s, a[0], 1, USIZE);
        list_set(&mut g, s, v(l), v(pos), v(y));
        g.exit(s, LLExit::Return(c(LLConst::Void)));
        p.add(g)
    };
    let inc = incdec("Tape::inc", K::IntAdd);
    let dec = incdec("Tape::dec", K::IntSub);

    // advance: position += 1; if len <= position { thetape.push(0) }
    let (mut g, s, a) = GraphBuilder::new("Tape::advance", &[tp], LLType::Void);
    let pos = field(&mut g, s, a[0], 1, USIZE);
    let pos = g.op(s, K::IntAdd, vec![v(pos), usize_c(1)], USIZE);
    g.op(
        s,
        K::SetField { ty, field: 1 },
        vec![v(a[0]), v(pos)],
        LLType::Void,
    );
    let l = field(&mut g, s, a[0], 0, list_ptr());
    let len = g.op(
        s,
        K::GetField {
            ty: LIST,
            field: LEN,
        },
        vec![v(l)],
        USIZE,
    );
    let need = g.op(s, K::IntCmp(Cmp::Le), vec![v(len), v(pos)], LLType::Bool);
    let (push, pv) = g.block(&[list_ptr(), USIZE]);
    let (done, _) = g.block(&[]);
    g.exit(
        s,
        LLExit::If {
            cond: v(need),
            then_link: link(push, vec![v(l), v(len)]),
            else_link: link(done, vec![]),
        },
    );
    g.exit(done, LLExit::Return(c(LLConst::Void)));
    let items = g.op(
        push,
        K::GetField {
            ty: LIST,
            field: ITEMS,
        },
        vec![v(pv[0])],
        bytes_ptr(),
    );
    let cap = g.op(push, K::ArrayLen(wk::BYTE_ARRAY), vec![v(items)], USIZE);
    let full = g.op(
        push,
        K::IntCmp(Cmp::Eq),
        vec![v(pv[1]), v(cap)],
        LLType::Bool,
    );
    let (grow, _) = g.block(&[]);
    let (store, _) = g.block(&[]);
    g.exit(
        push,
        LLExit::If {
            cond: v(full),
            then_link: link(grow, vec![]),
            else_link: link(store, vec![]),
        },
    );
    let n1 = g.op(grow, K::IntAdd, vec![v(pv[1]), usize_c(1)], USIZE);
    g.op(
        grow,
        K::RuntimeCall("rr_list_grow".into()),
        vec![v(pv[0]), v(n1), u64c(1), u64c(0)],
        LLType::Void,
    );
    g.goto(grow, store, vec![]);
    let items = g.op(
        store,
        K::GetField {
            ty: LIST,
            field: ITEMS,
        },
        vec![v(pv[0])],
        bytes_ptr(),
    );
    g.op(
        store,
        K::SetArrayItem(wk::BYTE_ARRAY),
        vec![v(items), v(pv[1]), int(0, IntTy::U8)],
        LLType::Void,
    );
    let n1 = g.op(store, K::IntAdd, vec![v(pv[1]), usize_c(1)], USIZE);
    g.op(
        store,
        K::SetField {
            ty: LIST,
            field: LEN,
        },
        vec![v(pv[0]), v(n1)],
        LLType::Void,
    );
    g.exit(store, LLExit::Return(c(LLConst::Void)));
    let advance = p.add(g);

    let (mut g, s, a) = GraphBuilder::new("Tape::devance", &[tp], LLType::Void);
    let pos = field(&mut g, s, a[0], 1, USIZE);
    let pos = g.op(s, K::IntSub, vec![v(pos), usize_c(1)], USIZE);
    g.op(
        s,
        K::SetField { ty, field: 1 },
        vec![v(a[0]), v(pos)],
        LLType::Void,
    );
    g.exit(s, LLExit::Return(c(LLConst::Void)));
    let devance = p.add(g);
    TapeFns {
        ty,
        new,
        get,
        inc,
        dec,
        advance,
        devance,
    }
}

fn mainloop(p: &mut ProgramBuilder, t: &TapeFns) -> rtyper::llgraph::LLGraphId {
    let loc_bytes = p.add_prebuilt(
        wk::BYTE_ARRAY,
        PrebuiltData::Bytes(b"targetbf.rs:60:5".to_vec()),
    );
    let loc = p.add_prebuilt(
        wk::STRING,
        PrebuiltData::Struct(vec![
            LLConst::Int(16, IntTy::Usize),
            LLConst::Prebuilt(loc_bytes),
        ]),
    );
    let dict = LLType::Ptr(wk::DICT);
    let tp = LLType::Ptr(t.ty);
    let (mut g, s, a) = GraphBuilder::new("mainloop", &[list_ptr(), dict], LLType::Void);
    let (prog, bm) = (a[0], a[1]);
    let tape = g.op(s, K::DirectCall(t.new), vec![], tp);
    let (head, hv) = g.block(&[USIZE]);
    let (body, bv) = g.block(&[USIZE]);
    let (next, nv) = g.block(&[USIZE]);
    let (jump, jv) = g.block(&[USIZE]);
    let (ret, _) = g.block(&[]);
    g.goto(s, head, vec![usize_c(0)]);
    let len = g.op(
        head,
        K::GetField {
            ty: LIST,
            field: LEN,
        },
        vec![v(prog)],
        USIZE,
    );
    let lt = g.op(
        head,
        K::IntCmp(Cmp::Lt),
        vec![v(hv[0]), v(len)],
        LLType::Bool,
    );
    g.exit(
        head,
        LLExit::If {
            cond: v(lt),
            then_link: link(body, vec![v(hv[0])]),
            else_link: link(ret, vec![]),
        },
    );
    let ch = list_get(&mut g, body, v(prog), v(bv[0]));
    let mut cases = Vec::new();
    for (chr, f) in [
        (b'>', t.advance),
        (b'<', t.devance),
        (b'+', t.inc),
        (b'-', t.dec),
    ] {
        let (blk, bp) = g.block(&[USIZE]);
        g.op(blk, K::DirectCall(f), vec![v(tape)], LLType::Void);
        g.goto(blk, next, vec![v(bp[0])]);
        cases.push((chr as i64, link(blk, vec![v(bv[0])])));
    }
    // '.': vec![tape.get()] written to stdout
    let (out, op) = g.block(&[USIZE]);
    let x = g.op(out, K::DirectCall(t.get), vec![v(tape)], U8);
    let x64 = g.op(out, K::Cast, vec![v(x)], LLType::Int(IntTy::U64));
    let buf = g.op(
        out,
        K::RuntimeCall("rr_list_new_filled".into()),
        vec![u64c(1), u64c(0), u64c(1), u64c(1), v(x64)],
        list_ptr(),
    );
    g.op(
        out,
        K::RuntimeCall("rr_print".into()),
        vec![v(buf), u64c(1)],
        LLType::Void,
    );
    g.goto(out, next, vec![v(op[0])]);
    cases.push((b'.' as i64, link(out, vec![v(bv[0])])));
    for (chr, cmp) in [(b'[', Cmp::Eq), (b']', Cmp::Ne)] {
        let (blk, bp) = g.block(&[USIZE]);
        let x = g.op(blk, K::DirectCall(t.get), vec![v(tape)], U8);
        let cond = g.op(
            blk,
            K::IntCmp(cmp),
            vec![v(x), int(0, IntTy::U8)],
            LLType::Bool,
        );
        g.exit(
            blk,
            LLExit::If {
                cond: v(cond),
                then_link: link(jump, vec![v(bp[0])]),
                else_link: link(next, vec![v(bp[0])]),
            },
        );
        cases.push((chr as i64, link(blk, vec![v(bv[0])])));
    }
    g.exit(
        body,
        LLExit::Switch {
            value: v(ch),
            cases,
            default: link(next, vec![v(bv[0])]),
        },
    );
    let target = g.op(
        jump,
        K::RuntimeCall("rr_dict_getitem".into()),
        vec![v(bm), v(jv[0]), c(LLConst::Prebuilt(loc))],
        USIZE,
    );
    g.goto(jump, next, vec![v(target)]);
    let n = g.op(next, K::IntAdd, vec![v(nv[0]), usize_c(1)], USIZE);
    g.goto(next, head, vec![v(n)]);
    g.op(
        ret,
        K::RuntimeCall("rr_flush".into()),
        vec![u64c(1)],
        LLType::Void,
    );
    g.exit(ret, LLExit::Return(c(LLConst::Void)));
    p.add(g)
}

/// main: reads the file named by argv[1], keeps the commands, maps the
/// brackets (a stack in an array), runs `mainloop`.
pub fn bf_program() -> LLProgram {
    let mut p = ProgramBuilder::new();
    let t = tape(&mut p);
    let ml = mainloop(&mut p, &t);
    let stack_ty = p.add_array("Array<usize>", USIZE);
    let dict = LLType::Ptr(wk::DICT);
    let (mut g, s, _) = GraphBuilder::new("main", &[], LLType::Void);
    let args = g.op(
        s,
        K::RuntimeCall("rr_env_args".into()),
        vec![],
        LLType::Ptr(wk::STRING_LIST),
    );
    let items = g.op(
        s,
        K::GetField {
            ty: wk::STRING_LIST,
            field: ITEMS,
        },
        vec![v(args)],
        LLType::Ptr(wk::STRING_ARRAY),
    );
    let path = g.op(
        s,
        K::GetArrayItem(wk::STRING_ARRAY),
        vec![v(items), usize_c(1)],
        list_ptr(),
    );
    let src = g.op(
        s,
        K::RuntimeCall("rr_fs_read".into()),
        vec![v(path)],
        list_ptr(),
    );
    let n = g.op(
        s,
        K::GetField {
            ty: LIST,
            field: LEN,
        },
        vec![v(src)],
        USIZE,
    );
    let prog = g.op(
        s,
        K::RuntimeCall("rr_list_new".into()),
        vec![u64c(1), u64c(0), u64c(1), v(n)],
        list_ptr(),
    );
    let bm = g.op(s, K::RuntimeCall("rr_dict_new".into()), vec![u64c(0)], dict);
    let stack = g.op(
        s,
        K::MallocArray(stack_ty),
        vec![v(n)],
        LLType::Ptr(stack_ty),
    );
    let (head, hv) = g.block(&[USIZE, USIZE, USIZE]); // i, pc, sp
    let (body, bv) = g.block(&[USIZE, USIZE, USIZE]);
    let (cmd, cv) = g.block(&[USIZE, USIZE, USIZE, U8]);
    let (done, dv) = g.block(&[USIZE]);
    g.goto(s, head, vec![usize_c(0), usize_c(0), usize_c(0)]);
    let lt = g.op(head, K::IntCmp(Cmp::Lt), vec![v(hv[0]), v(n)], LLType::Bool);
    g.exit(
        head,
        LLExit::If {
            cond: v(lt),
            then_link: link(body, hv.iter().map(|x| v(*x)).collect()),
            else_link: link(done, vec![v(hv[1])]),
        },
    );
    let ch = list_get(&mut g, body, v(src), v(bv[0]));
    let i1 = g.op(body, K::IntAdd, vec![v(bv[0]), usize_c(1)], USIZE);
    let cases = b"[]<>+-,."
        .iter()
        .map(|&k| {
            (
                k as i64,
                link(cmd, vec![v(bv[0]), v(bv[1]), v(bv[2]), v(ch)]),
            )
        })
        .collect();
    g.exit(
        body,
        LLExit::Switch {
            value: v(ch),
            cases,
            default: link(head, vec![v(i1), v(bv[1]), v(bv[2])]),
        },
    );
    let (i, pc, sp, ch) = (cv[0], cv[1], cv[2], cv[3]);
    let pitems = g.op(
        cmd,
        K::GetField {
            ty: LIST,
            field: ITEMS,
        },
        vec![v(prog)],
        bytes_ptr(),
    );
    g.op(
        cmd,
        K::SetArrayItem(wk::BYTE_ARRAY),
        vec![v(pitems), v(pc), v(ch)],
        LLType::Void,
    );
    let i1 = g.op(cmd, K::IntAdd, vec![v(i), usize_c(1)], USIZE);
    let pc1 = g.op(cmd, K::IntAdd, vec![v(pc), usize_c(1)], USIZE);
    let (open, _) = g.block(&[]);
    let (close, _) = g.block(&[]);
    g.exit(
        cmd,
        LLExit::Switch {
            value: v(ch),
            cases: vec![
                (b'[' as i64, link(open, vec![])),
                (b']' as i64, link(close, vec![])),
            ],
            default: link(head, vec![v(i1), v(pc1), v(sp)]),
        },
    );
    g.op(
        open,
        K::SetArrayItem(stack_ty),
        vec![v(stack), v(sp), v(pc)],
        LLType::Void,
    );
    let sp1 = g.op(open, K::IntAdd, vec![v(sp), usize_c(1)], USIZE);
    g.goto(open, head, vec![v(i1), v(pc1), v(sp1)]);
    let spm = g.op(close, K::IntSub, vec![v(sp), usize_c(1)], USIZE);
    let left = g.op(
        close,
        K::GetArrayItem(stack_ty),
        vec![v(stack), v(spm)],
        USIZE,
    );
    for (k, val) in [(left, pc), (pc, left)] {
        g.op(
            close,
            K::RuntimeCall("rr_dict_insert".into()),
            vec![v(bm), v(k), v(val)],
            LLType::Bool,
        );
    }
    g.goto(close, head, vec![v(i1), v(pc1), v(spm)]);
    g.op(
        done,
        K::SetField {
            ty: LIST,
            field: LEN,
        },
        vec![v(prog), v(dv[0])],
        LLType::Void,
    );
    g.op(done, K::DirectCall(ml), vec![v(prog), v(bm)], LLType::Void);
    g.exit(done, LLExit::Return(c(LLConst::Void)));
    let main = p.add(g);
    p.finish(main)
}

/// A small program of ours: prints "Hi\n" through loops, a nested loop
/// and tape growth.
#[test]
fn bf_interpreter_runs_a_program() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("hi.b");
    // 72 = 8 * 9, 105 = 72 + 33, 10
    std::fs::write(
        &src,
        "++++++++[>+++++++++<-]>.+++++++++++++++++++++++++++++++++.>++++++++++.",
    )
    .unwrap();
    let r = run_with_args(
        &bf_program(),
        &AotOptions::default(),
        &[src.to_str().unwrap()],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(r.stdout, "Hi\n");
}

/// Timing run on a program of the shared folder (not a timed test: it
/// prints the time). `RRUST_BF=path cargo test -p backends bf_benchmark
/// -- --ignored --nocapture`; with `RRUST_BF_EXE=path` it also leaves the
/// executable there (to time it against `rustc -O`'s build of targetbf.rs).
#[test]
#[ignore]
fn bf_benchmark() {
    if let Ok(exe) = std::env::var("RRUST_BF_EXE") {
        crate::aot::build_executable(&bf_program(), std::path::Path::new(&exe)).expect("builds");
    }
    let path = std::env::var("RRUST_BF").unwrap_or_else(|_| "/work/shared/bf/bench.b".into());
    let t = std::time::Instant::now();
    let r = run_with_args(&bf_program(), &AotOptions::default(), &[&path]);
    println!(
        "{path}: exit {:?}, {:.2?}\n{}",
        r.code,
        t.elapsed(),
        r.stdout
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
}
