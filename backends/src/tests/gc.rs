//! What the garbage collector needs from generated code: the type table,
//! prebuilt headers, shadow-stack spills and write barriers.

use super::builder::*;
use crate::aot::{clif_text, compile_with, AotOptions};
use flowspace::model::{Block, IntTy};
use object::{Object, ObjectSection, ObjectSymbol};
use rtyper::llgraph::{Cmp, LLConst, LLExit, LLGraphId, LLOpKind as K, LLProgram, PrebuiltData};
use rtyper::lltype::{
    well_known, GcTypeId, LLType, FLAG_HAS_CARDS, FLAG_PREBUILT, FLAG_TRACK_YOUNG_PTRS,
};
use std::process::Command;

/// The bytes of a defined symbol of a relocatable object (its size is the
/// data object's size).
fn symbol_bytes(obj: &object::File, name: &str) -> (Vec<u8>, bool) {
    let sym = obj
        .symbols()
        .find(|s| s.name() == Ok(name))
        .unwrap_or_else(|| panic!("no symbol {name}"));
    assert!(!sym.is_undefined(), "{name} is undefined");
    let sec = obj
        .section_by_index(sym.section_index().expect("in a section"))
        .expect("section");
    let data = sec.data().expect("section data");
    let start = sym.address() as usize;
    let end = start + sym.size() as usize;
    (data[start..end].to_vec(), sym.is_global())
}

fn u32s(bytes: &[u8]) -> Vec<u32> {
    bytes
        .chunks(4)
        .map(|c| u32::from_le_bytes(c.try_into().expect("4 bytes")))
        .collect()
}

/// `Node { value: i64, next: Ptr(Node) }` and `Holder { count: i32, head:
/// Ptr(Node) }`.
fn node_types(p: &mut ProgramBuilder) -> (GcTypeId, GcTypeId) {
    let node = p.types.next_key();
    let node = p.add_struct("Node", &[("value", I64), ("next", LLType::Ptr(node))]);
    let holder = p.add_struct("Holder", &[("count", I32), ("head", LLType::Ptr(node))]);
    (node, holder)
}

#[test]
fn type_table_and_prebuilt_headers_are_in_the_object() {
    let mut p = ProgramBuilder::new();
    let (node, holder) = node_types(&mut p);
    let nodes = p.add_array("Array<Node>", LLType::Ptr(node));
    let ints = p.add_array("Array<i32>", I32);
    let pb = p.add_prebuilt(
        holder,
        PrebuiltData::Struct(vec![LLConst::Int(3, IntTy::I32), LLConst::Null(node)]),
    );
    let (mut g, start, _) = GraphBuilder::new("main", &[], LLType::Void);
    g.exit(start, LLExit::Return(c(LLConst::Void)));
    let main = p.add(g);
    let prog = p.finish(main);
    let compiled = crate::aot::compile(&prog).expect("compiles");
    let obj = object::File::parse(&*compiled.bytes).expect("an object file");

    let (count, global) = symbol_bytes(&obj, "rr_gc_type_count");
    assert!(global, "rr_gc_type_count must be exported");
    assert_eq!(u32s(&count), vec![11]);
    let (types, global) = symbol_bytes(&obj, "rr_gc_types");
    assert!(global);
    let types = u32s(&types);
    assert_eq!(types.len(), 11 * 4);
    let entry = |i: usize| types[i * 4..i * 4 + 4].to_vec();
    // (kind, size, first_ptr, n_ptrs); kind 0 struct, 1 array, 2 opaque.
    assert_eq!(entry(0), vec![1, 1, 0, 0], "Array<u8>");
    assert_eq!(entry(1), vec![0, 24, 0, 1], "String");
    assert_eq!(entry(2), vec![1, 8, 0, 1], "Array<String>");
    assert_eq!(entry(3), vec![0, 24, 1, 1], "List<String>");
    assert_eq!(entry(4), vec![2, 0, 0, 0], "Dict");
    assert_eq!(entry(5), vec![2, 0, 0, 0], "IoError");
    assert_eq!(entry(6), vec![0, 8, 2, 0], "Object");
    assert_eq!(entry(node.index()), vec![0, 24, 2, 1], "Node");
    assert_eq!(entry(holder.index()), vec![0, 24, 3, 1], "Holder");
    assert_eq!(entry(nodes.index()), vec![1, 8, 0, 1], "Array<Node>");
    assert_eq!(entry(ints.index()), vec![1, 4, 0, 0], "Array<i32>");
    let (offsets, global) = symbol_bytes(&obj, "rr_gc_ptr_offsets");
    assert!(global);
    assert_eq!(u32s(&offsets), vec![16, 16, 16, 16]);

    let (bytes, _) = symbol_bytes(&obj, &format!("rr_prebuilt_{}", pb.as_u32()));
    let header = u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes"));
    assert_eq!(
        header,
        holder.as_u32() as u64 | FLAG_PREBUILT | FLAG_TRACK_YOUNG_PTRS
    );
    assert_eq!(header & FLAG_HAS_CARDS, 0);
}

use cranelift_entity::EntityRef;

const N: i64 = 3000;

/// `main`: a `Holder` allocated first and kept in a variable of the start
/// block (used in later blocks: the general liveness case); a loop that
/// allocates a `Node` (through `cons`, a graph that may collect, or
/// inline), links it at `holder.head` (a barrier: the holder is not fresh)
/// and allocates garbage; `first` (the first node) threads through the
/// loop as a block input. Then the list is walked: the sum of the values
/// must be N(N-1)/2, the count N, and `first.value` 0.
fn list_program() -> (LLProgram, LLGraphId) {
    list_program_padded(0)
}

/// `list_program` with `pad` extra (dead) ops in `cons`, to make it too big
/// to be inlined on the low-level graph.
fn list_program_padded(pad: usize) -> (LLProgram, LLGraphId) {
    let mut p = ProgramBuilder::new();
    let (node, holder) = node_types(&mut p);
    let np = LLType::Ptr(node);
    let hp = LLType::Ptr(holder);
    let bytes = p.add_array("Array<i64>", I64);

    // cons(value, next) -> Node: stores into a fresh object, no barrier.
    let (mut g, start, params) = GraphBuilder::new("cons", &[I64, np], np);
    let mut x = params[0];
    for _ in 0..pad {
        x = g.op(start, K::IntAdd, vec![v(x), int(1, IntTy::I64)], I64);
    }
    let n = g.op(start, K::Malloc(node), vec![], np);
    g.op(
        start,
        K::SetField { ty: node, field: 0 },
        vec![v(n), v(params[0])],
        LLType::Void,
    );
    g.op(
        start,
        K::SetField { ty: node, field: 1 },
        vec![v(n), v(params[1])],
        LLType::Void,
    );
    g.exit(start, LLExit::Return(v(n)));
    let cons = p.add(g);

    let (mut g, start, _) = GraphBuilder::new("main", &[], LLType::Void);
    let h = g.op(start, K::Malloc(holder), vec![], hp);
    let (head, hv) = g.block(&[I64, np]);
    let (body, bv) = g.block(&[I64, np]);
    let (walk, wv) = g.block(&[np, I64, I64, np]);
    g.goto(
        start,
        head,
        vec![int(0, IntTy::I64), c(LLConst::Null(node))],
    );
    // head(i, first): if i < N { body(i, first) } else { walk(h.head, 0, 0, first) }
    let lt = g.op(
        head,
        K::IntCmp(Cmp::Lt),
        vec![v(hv[0]), int(N, IntTy::I64)],
        LLType::Bool,
    );
    let (exit_loop, _) = g.block(&[]);
    g.exit(
        head,
        LLExit::If {
            cond: v(lt),
            then_link: link(body, vec![v(hv[0]), v(hv[1])]),
            else_link: link(exit_loop, vec![]),
        },
    );
    let hd = g.op(
        exit_loop,
        K::GetField {
            ty: holder,
            field: 1,
        },
        vec![v(h)],
        np,
    );
    g.goto(
        exit_loop,
        walk,
        vec![v(hd), int(0, IntTy::I64), int(0, IntTy::I64), v(hv[1])],
    );
    // body: old = h.head; n = cons(i, old); h.head = n; garbage; first = first ?: n
    let old = g.op(
        body,
        K::GetField {
            ty: holder,
            field: 1,
        },
        vec![v(h)],
        np,
    );
    let n = g.op(body, K::DirectCall(cons), vec![v(bv[0]), v(old)], np);
    g.op(
        body,
        K::SetField {
            ty: holder,
            field: 1,
        },
        vec![v(h), v(n)],
        LLType::Void,
    );
    g.op(
        body,
        K::MallocArray(bytes),
        vec![usize_c(20)],
        LLType::Ptr(bytes),
    );
    let was_null = g.op(
        body,
        K::PtrEq,
        vec![v(bv[1]), c(LLConst::Null(node))],
        LLType::Bool,
    );
    let i1 = g.op(body, K::IntAdd, vec![v(bv[0]), int(1, IntTy::I64)], I64);
    let (set_first, sf) = g.block(&[I64, np]);
    g.exit(
        body,
        LLExit::If {
            cond: v(was_null),
            then_link: link(set_first, vec![v(i1), v(n)]),
            else_link: link(head, vec![v(i1), v(bv[1])]),
        },
    );
    g.goto(set_first, head, vec![v(sf[0]), v(sf[1])]);
    // walk(cur, sum, count, first)
    let done = g.op(
        walk,
        K::PtrEq,
        vec![v(wv[0]), c(LLConst::Null(node))],
        LLType::Bool,
    );
    let (step, sv) = g.block(&[np, I64, I64, np]);
    let (check, cv) = g.block(&[I64, I64, np]);
    g.exit(
        walk,
        LLExit::If {
            cond: v(done),
            then_link: link(check, vec![v(wv[1]), v(wv[2]), v(wv[3])]),
            else_link: link(step, vec![v(wv[0]), v(wv[1]), v(wv[2]), v(wv[3])]),
        },
    );
    let val = g.op(
        step,
        K::GetField { ty: node, field: 0 },
        vec![v(sv[0])],
        I64,
    );
    let sum = g.op(step, K::IntAdd, vec![v(sv[1]), v(val)], I64);
    let cnt = g.op(step, K::IntAdd, vec![v(sv[2]), int(1, IntTy::I64)], I64);
    let next = g.op(step, K::GetField { ty: node, field: 1 }, vec![v(sv[0])], np);
    g.goto(step, walk, vec![v(next), v(sum), v(cnt), v(sv[3])]);
    let ok = g.expect_eq(check, v(cv[0]), int(N * (N - 1) / 2, IntTy::I64), 1);
    let ok = g.expect_eq(ok, v(cv[1]), int(N, IntTy::I64), 2);
    let fv = g.op(ok, K::GetField { ty: node, field: 0 }, vec![v(cv[2])], I64);
    let ok = g.expect_eq(ok, v(fv), int(0, IntTy::I64), 3);
    g.exit_with(ok, i32c(0));
    let main = p.add(g);
    (p.finish(main), main)
}

/// Compiles, links and runs with a tiny nursery and a collection at every
/// allocation (once the runtime has a collector; until then nothing moves
/// and this checks that the spills and barriers keep the program right).
fn run_stressed(prog: &LLProgram, opts: &AotOptions) -> crate::aot::ObjectStats {
    let dir = tempfile::tempdir().expect("temp dir");
    let obj = compile_with(prog, opts).unwrap_or_else(|e| panic!("compiling failed: {e}"));
    let o = dir.path().join("prog.o");
    let exe = dir.path().join("prog");
    obj.write(&o).expect("write object");
    crate::link::link(&o, &exe).unwrap_or_else(|e| panic!("linking failed: {e}"));
    let out = Command::new(&exe)
        .env("RRUST_GC_STRESS", "1")
        .env("RRUST_GC_NURSERY", "4096")
        .output()
        .expect("run");
    assert!(
        out.status.code() == Some(0),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    obj.stats
}

#[test]
fn linked_list_survives_collections() {
    let (prog, _) = list_program();
    // Optimised with `cons` inlined into the loop, and without inlining.
    run_stressed(&prog, &AotOptions::default());
    let no_opt = AotOptions {
        optimize: false,
        ..AotOptions::default()
    };
    run_stressed(&prog, &no_opt);
    // `cons` too big for the low-level inliner's everywhere-size but
    // inlined by Cranelift's:
    // its frame push and pop sit inside `main`'s spills around the call.
    let (prog, _) = list_program_padded(backendopt::InlineLimits::default().small);
    let big = AotOptions {
        inline_threshold: 1000,
        ..AotOptions::default()
    };
    let stats = run_stressed(&prog, &big);
    assert!(stats.inlined_calls >= 1, "{stats:?}");
}

/// Lines of the IR text that mention `what`.
fn count(text: &str, what: &str) -> usize {
    text.lines().filter(|l| l.contains(what)).count()
}

/// (stores, loads) through the shadow stack's alias region (slots and
/// `rr_root_stack_top` itself), or None when the function has no frame.
fn shadow_stack_accesses(text: &str) -> Option<(usize, usize)> {
    let line = text.lines().find(|l| l.contains("\"shadow stack\""))?;
    let region = line.trim().split(' ').next()?.to_string();
    let at = |op: &str| {
        text.lines()
            .filter(|l| l.contains(op) && l.contains(&format!(" {region} ")))
            .count()
    };
    Some((at("store"), at("load.i64")))
}

#[test]
fn list_loop_spills_reloads_and_barriers() {
    let (prog, main) = list_program();
    let text = clif_text(&prog, main).expect("lowers");
    // Three slots: across `cons` the holder and `first` are live, across
    // the garbage allocation also the new node.
    assert!(text.contains("iconst.i64 24"), "{text}");
    // Stores: at entry the new top and 3 zeroed slots; 3 slots written at
    // each of the 3 allocating calls (the holder's own, with nothing live
    // yet, `cons` and the garbage array). Loads: the top at entry (the
    // frame's address is then kept in a stack slot), then 2 reloads after
    // `cons` and 3 after the array (`main` ends in `rr_exit`: no return,
    // no restore).
    assert_eq!(
        shadow_stack_accesses(&text),
        Some((4 + 3 * 3, 1 + 2 + 3)),
        "{text}"
    );
    assert_eq!(count(&text, "explicit_slot 16"), 1, "{text}");
    // One barrier (h.head = n; the stores into the node `cons` made are
    // inside `cons`): the flags word tested, the call in a cold block.
    assert_eq!(count(&text, "load.i32"), 1, "{text}");
    assert_eq!(count(&text, "band"), 1, "{text}");
}

#[test]
fn cons_spills_its_parameter_but_needs_no_barrier() {
    // Stores into a fresh object need no barrier; `next` is live across
    // the allocation: a one-slot frame (entry: new top, zeroed slot; the
    // spill; the restore before the return; loads: the top at entry and
    // the reload).
    let (prog, _) = list_program();
    let cons = prog
        .graphs
        .iter()
        .find(|(_, g)| g.name == "cons")
        .expect("cons")
        .0;
    let text = clif_text(&prog, cons).expect("lowers");
    assert_eq!(count(&text, "load.i32"), 0, "{text}");
    assert_eq!(shadow_stack_accesses(&text), Some((4, 2)), "{text}");
}

/// One graph per kind of store: (name, whether it needs a barrier, an
/// array barrier).
fn store_program() -> (LLProgram, Vec<(LLGraphId, bool, bool)>) {
    let mut p = ProgramBuilder::new();
    let (node, holder) = node_types(&mut p);
    let np = LLType::Ptr(node);
    let hp = LLType::Ptr(holder);
    let nodes = p.add_array("Array<Node>", np);
    let ap = LLType::Ptr(nodes);
    let set_head = K::SetField {
        ty: holder,
        field: 1,
    };
    let mut out = Vec::new();
    let mut add =
        |p: &mut ProgramBuilder,
         name: &str,
         params: &[LLType],
         barrier: bool,
         array: bool,
         body: &dyn Fn(&mut GraphBuilder, Block, &[flowspace::model::Var])| {
            let (mut g, start, ps) = GraphBuilder::new(name, params, LLType::Void);
            body(&mut g, start, &ps);
            g.exit(start, LLExit::Return(c(LLConst::Void)));
            out.push((p.add(g), barrier, array));
        };
    add(
        &mut p,
        "ptr_into_old",
        &[hp, np],
        true,
        false,
        &|g, b, ps| {
            g.op(b, set_head.clone(), vec![v(ps[0]), v(ps[1])], LLType::Void);
        },
    );
    add(&mut p, "int_into_old", &[hp], false, false, &|g, b, ps| {
        g.op(
            b,
            K::SetField {
                ty: holder,
                field: 0,
            },
            vec![v(ps[0]), i32c(5)],
            LLType::Void,
        );
    });
    add(&mut p, "null_into_old", &[hp], false, false, &|g, b, ps| {
        g.op(
            b,
            set_head.clone(),
            vec![v(ps[0]), c(LLConst::Null(node))],
            LLType::Void,
        );
    });
    add(
        &mut p,
        "ptr_into_fresh",
        &[np],
        false,
        false,
        &|g, b, ps| {
            let h = g.op(b, K::Malloc(holder), vec![], hp);
            g.op(b, set_head.clone(), vec![v(h), v(ps[0])], LLType::Void);
        },
    );
    add(
        &mut p,
        "ptr_into_array",
        &[ap, USIZE, np],
        true,
        true,
        &|g, b, ps| {
            g.op(
                b,
                K::SetArrayItem(nodes),
                vec![v(ps[0]), v(ps[1]), v(ps[2])],
                LLType::Void,
            );
        },
    );
    add(
        &mut p,
        "ptr_into_fresh_array",
        &[np],
        false,
        false,
        &|g, b, ps| {
            let a = g.op(b, K::MallocArray(nodes), vec![usize_c(4)], ap);
            g.op(
                b,
                K::SetArrayItem(nodes),
                vec![v(a), usize_c(2), v(ps[0])],
                LLType::Void,
            );
        },
    );
    // An allocation between the object's and the store: it may have
    // collected, so the object may be old by now.
    add(
        &mut p,
        "ptr_after_collection",
        &[],
        true,
        false,
        &|g, b, _| {
            let h = g.op(b, K::Malloc(holder), vec![], hp);
            let n = g.op(b, K::Malloc(node), vec![], np);
            g.op(b, set_head.clone(), vec![v(h), v(n)], LLType::Void);
        },
    );
    // A prebuilt object is old (its header has the flag).
    let pb = p.add_prebuilt(
        holder,
        PrebuiltData::Struct(vec![LLConst::Int(0, IntTy::I32), LLConst::Null(node)]),
    );
    add(
        &mut p,
        "ptr_into_prebuilt",
        &[np],
        true,
        false,
        &|g, b, ps| {
            g.op(
                b,
                set_head.clone(),
                vec![c(LLConst::Prebuilt(pb)), v(ps[0])],
                LLType::Void,
            );
        },
    );
    let (mut g, start, _) = GraphBuilder::new("main", &[], LLType::Void);
    g.exit(start, LLExit::Return(c(LLConst::Void)));
    let main = p.add(g);
    (p.finish(main), out)
}

#[test]
fn barriers_only_where_needed() {
    let (prog, graphs) = store_program();
    for (gid, barrier, array) in graphs {
        let name = &prog.graphs[gid].name;
        let text = clif_text(&prog, gid).expect("lowers");
        // The barrier loads the header's high half and tests
        // FLAG_TRACK_YOUNG_PTRS (its bit 1), for arrays then FLAG_HAS_CARDS
        // (bit 2); each call is in a cold block.
        let tests = count(&text, "load.i32");
        assert_eq!(tests, barrier as usize, "{name}:\n{text}");
        let (bands, colds) = match (barrier, array) {
            (false, _) => (0, 0),
            (true, false) => (1, 1),
            (true, true) => (2, 3),
        };
        assert_eq!(count(&text, "band"), bands, "{name}:\n{text}");
        assert_eq!(count(&text, " cold:"), colds, "{name}:\n{text}");
        if barrier {
            assert!(text.contains("iconst.i32 2\n"), "{name}:\n{text}");
            assert_eq!(text.contains("iconst.i32 4\n"), array, "{name}:\n{text}");
        }
    }
}

#[test]
fn stores_and_barriers_run() {
    // Every store graph runs (the barrier's test reads real headers; the
    // prebuilt one calls the barrier).
    let (mut prog, graphs) = store_program();
    let main = prog.entry;
    // main: call ptr_into_prebuilt(node) and ptr_after_collection().
    let into_pb = graphs[7].0;
    let after = graphs[6].0;
    let mut g = GraphBuilder::new("main", &[], LLType::Void);
    let node = GcTypeId::new(well_known::COUNT as usize);
    let n = g.0.op(g.1, K::Malloc(node), vec![], LLType::Ptr(node));
    g.0.op(g.1, K::DirectCall(into_pb), vec![v(n)], LLType::Void);
    g.0.op(g.1, K::DirectCall(after), vec![], LLType::Void);
    g.0.exit_with(g.1, i32c(7));
    prog.graphs[main] = g.0.finish();
    super::run::assert_exit(&prog, 7);
}

#[test]
fn calls_that_cannot_collect_need_no_frame() {
    // A reference live across `rr_print` and a call of a graph that only
    // reads: no frame, no spills. Across a call of a graph that calls an
    // allocating graph: spilled (the fixpoint over the call graph).
    let mut p = ProgramBuilder::new();
    let (node, _) = node_types(&mut p);
    let np = LLType::Ptr(node);
    let strp = LLType::Ptr(well_known::STRING);
    let (mut g, b, ps) = GraphBuilder::new("reader", &[np], I64);
    let x = g.op(b, K::GetField { ty: node, field: 0 }, vec![v(ps[0])], I64);
    g.exit(b, LLExit::Return(v(x)));
    let reader = p.add(g);
    let (mut g, b, _) = GraphBuilder::new("alloc", &[], np);
    let x = g.op(b, K::Malloc(node), vec![], np);
    g.exit(b, LLExit::Return(v(x)));
    let alloc = p.add(g);
    let (mut g, b, _) = GraphBuilder::new("alloc2", &[], np);
    let x = g.op(b, K::DirectCall(alloc), vec![], np);
    g.exit(b, LLExit::Return(v(x)));
    let alloc2 = p.add(g);

    let (mut g, b, ps) = GraphBuilder::new("quiet", &[np, strp], I64);
    g.op(
        b,
        K::RuntimeCall("rr_print".into()),
        vec![v(ps[1]), int(1, IntTy::U64)],
        LLType::Void,
    );
    let x = g.op(b, K::DirectCall(reader), vec![v(ps[0])], I64);
    let y = g.op(b, K::GetField { ty: node, field: 0 }, vec![v(ps[0])], I64);
    let s = g.op(b, K::IntAdd, vec![v(x), v(y)], I64);
    g.exit(b, LLExit::Return(v(s)));
    let quiet = p.add(g);

    let (mut g, b, ps) = GraphBuilder::new("loud", &[np], I64);
    g.op(b, K::DirectCall(alloc2), vec![], np);
    let y = g.op(b, K::GetField { ty: node, field: 0 }, vec![v(ps[0])], I64);
    g.exit(b, LLExit::Return(v(y)));
    let loud = p.add(g);

    let (mut g, b, _) = GraphBuilder::new("main", &[], LLType::Void);
    g.exit(b, LLExit::Return(c(LLConst::Void)));
    let main = p.add(g);
    let prog = p.finish(main);

    let collecting = crate::aot::gc::collecting_graphs(&prog);
    let by_name = |n: &str| {
        collecting[prog
            .graphs
            .iter()
            .find(|(_, g)| g.name == n)
            .expect(n)
            .0
            .index()]
    };
    assert!(!by_name("reader") && !by_name("quiet") && !by_name("main"));
    assert!(by_name("alloc") && by_name("alloc2") && by_name("loud"));

    let text = clif_text(&prog, quiet).expect("lowers");
    assert_eq!(shadow_stack_accesses(&text), None, "{text}");
    let text = clif_text(&prog, loud).expect("lowers");
    // Entry: load the top, store top + 8, zero the slot, save the frame's
    // address; spill before the call, reload after it; restore the top
    // before the return.
    assert!(text.contains("iconst.i64 8\n"), "{text}");
    assert_eq!(count(&text, "explicit_slot 16"), 1, "{text}");
    assert!(!text.contains("iconst.i64 -8\n"), "{text}");
    assert_eq!(shadow_stack_accesses(&text), Some((4, 2)), "{text}");
}

#[test]
fn runtime_collecting_list_is_the_documented_one() {
    use crate::aot::gc::runtime_may_collect;
    for f in [
        "rr_list_grow",
        "rr_fmt_int",
        "rr_fmt_io_error",
        "rr_dict_insert",
        "rr_str_concat",
    ] {
        assert!(runtime_may_collect(f), "{f}");
    }
    for f in [
        "rr_print",
        "rr_dict_getitem",
        "rr_dict_lookup",
        "rr_panic_bounds",
        "rr_str_eq",
        "rr_flush",
        "rr_identity_hash",
    ] {
        assert!(!runtime_may_collect(f), "{f}");
    }
}

#[test]
fn small_collecting_callees_are_inlined_before_the_plan() {
    // `cons` (small, allocates) is inlined into `main` on the low-level
    // graph when optimising, so `main` spills around its `Malloc` itself,
    // not around the whole call.
    use crate::aot::gc::{collecting_graphs, plan_graph};
    let (prog, main) = list_program();
    let before = prog.graphs[main].op_count();
    let (mut opt, _) = list_program();
    let only_inlining = backendopt::Options {
        inline: Some(backendopt::InlineLimits::default()),
        remove_mallocs: false,
        switches: false,
        threading: false,
        cse: false,
    };
    let stats = backendopt::optimize(&mut opt, &only_inlining);
    assert!(stats.inlined_calls >= 1, "{stats:?}");
    let collecting = collecting_graphs(&opt);
    let g = &opt.graphs[main];
    let calls = g
        .blocks
        .values()
        .flat_map(|b| &b.ops)
        .filter(|op| matches!(op.kind, K::DirectCall(_)))
        .count();
    assert_eq!(calls, 0);
    // The call went, `cons`'s three ops came.
    assert_eq!(g.op_count(), before - 1 + 3);
    let plan = plan_graph(g, &collecting);
    // The holder's allocation, the node's (with `next` live across it, as
    // well as the holder and `first`), the garbage array.
    assert_eq!(plan.spills.len(), 3);
    assert_eq!(plan.slots, 3);
    let mut sizes: Vec<usize> = plan.spills.values().map(|s| s.len()).collect();
    sizes.sort();
    assert_eq!(sizes, vec![0, 3, 3]);
    // Not when not optimising (and `clif_text` shows the graph as it is).
    let text = clif_text(&prog, main).expect("lowers");
    assert_eq!(count(&text, "colocated"), 1, "{text}");
}

#[test]
fn type_ids_and_casts_survive_collections() {
    // A collection at every allocation moves the objects behind the cast
    // references; the headers read after it are the moved objects'. Also
    // after the backend optimisations (which must keep the cast object).
    let prog = super::heap::type_id_program();
    run_stressed(&prog, &AotOptions::default());
    let mut opt = super::heap::type_id_program();
    backendopt::optimize(&mut opt, &backendopt::Options::default());
    let errs = rtyper::verify::verify_program(&opt);
    assert!(errs.is_empty(), "{errs:?}");
    run_stressed(&opt, &AotOptions::default());
}
