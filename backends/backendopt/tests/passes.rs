//! Text fixtures for the backend optimisations: a program in the
//! low-level text form (`rtyper::text`), the passes, and the graph it
//! must become, or a property it must keep. Cases that must *not* be
//! optimised sit beside the ones that must.

use backendopt::{optimize, InlineLimits, Options};
use rtyper::llgraph::LLProgram;

fn parse(text: &str) -> LLProgram {
    let p = rtyper::text::parse_program(text).unwrap_or_else(|e| panic!("fixture: {e}"));
    let problems = rtyper::verify::verify_program(&p);
    assert!(problems.is_empty(), "fixture does not verify: {problems:?}");
    p
}

/// The program after `opts`, verified, as the text of graph `name`.
fn run(text: &str, opts: &Options, name: &str) -> String {
    let mut p = parse(text);
    optimize(&mut p, opts);
    let problems = rtyper::verify::verify_program(&p);
    assert!(
        problems.is_empty(),
        "optimised program does not verify: {problems:?}"
    );
    let id = p
        .graphs
        .iter()
        .find(|(_, g)| g.name == name)
        .map(|(id, _)| id)
        .expect("graph");
    rtyper::text::graph_to_text(&p, id)
}

fn only(inline: bool, mallocs: bool, switches: bool) -> Options {
    Options {
        inline: inline.then(InlineLimits::default),
        remove_mallocs: mallocs,
        switches,
        threading: false,
        cse: false,
    }
}

const OPTION_TYPES: &str = "
entry main
type Option<i64> = struct { is_some: bool, value: i64 }
type Cell = struct { slot: *Option<i64> }
prebuilt0: Option<i64> = { is_some: false, value: 0_i64 }
";

/// `match if c { Some(x) } else { None } { Some(v) => v, None => -1 }`:
/// the None is the prebuilt one, the Some a malloc; both become fields.
const BUILT_AND_TAKEN_APART: &str = "
graph main() -> void
block0():
  v9: i64 = direct_call<pick>(true, 5_i64)
  return void

graph pick(v0: bool, v1: i64) -> i64
block0(v0, v1):
  if v0 then block1(v1) else block2()
block1(v2: i64):
  v3: *Option<i64> = malloc<Option<i64>>()
  setfield<Option<i64>.is_some>(v3, true)
  setfield<Option<i64>.value>(v3, v2)
  goto block3(v3)
block2():
  goto block3(prebuilt0)
block3(v4: *Option<i64>):
  v5: bool = getfield<Option<i64>.is_some>(v4)
  if v5 then block4(v4) else block5()
block4(v6: *Option<i64>):
  v7: i64 = getfield<Option<i64>.value>(v6)
  return v7
block5():
  return -1_i64
";

#[test]
fn an_option_built_and_taken_apart_lives_in_values() {
    let text = format!("{OPTION_TYPES}{BUILT_AND_TAKEN_APART}");
    let out = run(&text, &only(false, true, false), "pick");
    assert!(!out.contains("malloc"), "{out}");
    assert!(!out.contains("getfield"), "{out}");
    // The constant `is_some` of each path decides the branch at once.
    let expected = "\
graph pick(v0: bool, v1: i64) -> i64
block0(v0, v1):
  if v0 then block4(v1) else block5()
block4(v13: i64):
  return v13
block5():
  return -1_i64
";
    assert_eq!(strip_unreachable(&out), expected, "{out}");
}

/// The blocks a graph's text shows that its start can reach (the passes
/// leave bypassed blocks behind; the backend never compiles them).
fn strip_unreachable(text: &str) -> String {
    let mut blocks: Vec<(String, Vec<String>)> = vec![];
    let mut head = String::new();
    for line in text.lines() {
        if line.starts_with("block") {
            blocks.push((line.to_string(), vec![]));
        } else if let Some(b) = blocks.last_mut() {
            b.1.push(line.to_string());
        } else {
            head.push_str(line);
            head.push('\n');
        }
    }
    let name = |l: &str| l.split('(').next().unwrap_or("").to_string();
    let mut reach = vec![name(&blocks[0].0)];
    let mut i = 0;
    while i < reach.len() {
        if let Some((_, body)) = blocks.iter().find(|(l, _)| name(l) == reach[i]) {
            for l in body {
                for w in l.split(|c: char| !c.is_alphanumeric()) {
                    if w.starts_with("block") && !reach.iter().any(|r| r == w) {
                        reach.push(w.to_string());
                    }
                }
            }
        }
        i += 1;
    }
    let mut out = head;
    for (l, body) in &blocks {
        if reach.contains(&name(l)) {
            out.push_str(l);
            out.push('\n');
            for b in body {
                out.push_str(b);
                out.push('\n');
            }
        }
    }
    out
}

#[test]
fn an_object_stored_into_another_stays_on_the_heap() {
    let text = format!(
        "{OPTION_TYPES}
graph main() -> void
block0():
  v0: *Cell = malloc<Cell>()
  v1: *Option<i64> = malloc<Option<i64>>()
  setfield<Option<i64>.is_some>(v1, true)
  setfield<Cell.slot>(v0, v1)
  v2: *Option<i64> = getfield<Cell.slot>(v0)
  v3: bool = getfield<Option<i64>.is_some>(v2)
  return void
"
    );
    let out = run(&text, &only(false, true, false), "main");
    // The Option escapes into the Cell; the Cell itself does not escape.
    assert!(out.contains("malloc<Option<i64>>"), "{out}");
    assert!(!out.contains("malloc<Cell>"), "{out}");
}

#[test]
fn objects_that_escape_stay_on_the_heap() {
    for (what, body) in [
        (
            "returned",
            "graph mk() -> *Option<i64>
block0():
  v0: *Option<i64> = malloc<Option<i64>>()
  return v0
",
        ),
        (
            "passed to a call",
            "graph mk() -> void
block0():
  v0: *Option<i64> = malloc<Option<i64>>()
  v1: u64 = call<rr_identity_hash>(v0)
  return void
",
        ),
        (
            "compared by identity",
            "graph mk() -> bool
block0():
  v0: *Option<i64> = malloc<Option<i64>>()
  v1: bool = ptr_eq(v0, prebuilt0)
  return v1
",
        ),
        (
            "mixed with a parameter",
            "graph mk(v9: *Option<i64>, v8: bool) -> i64
block0(v9, v8):
  if v8 then block1(v9) else block2()
block2():
  v0: *Option<i64> = malloc<Option<i64>>()
  goto block1(v0)
block1(v1: *Option<i64>):
  v2: i64 = getfield<Option<i64>.value>(v1)
  return v2
",
        ),
    ] {
        let text = format!(
            "{OPTION_TYPES}
graph main() -> void
block0():
  return void

{body}"
        );
        let out = run(&text, &only(false, true, false), "mk");
        assert!(out.contains("malloc<Option<i64>>"), "{what}: {out}");
    }
}

#[test]
fn a_write_through_what_may_be_the_prebuilt_none_keeps_the_heap() {
    // Writing into the shared None would change it for everyone.
    let text = format!(
        "{OPTION_TYPES}
graph main() -> void
block0():
  return void

graph mk(v0: bool) -> i64
block0(v0):
  if v0 then block1() else block2(prebuilt0)
block1():
  v1: *Option<i64> = malloc<Option<i64>>()
  goto block2(v1)
block2(v2: *Option<i64>):
  setfield<Option<i64>.value>(v2, 7_i64)
  v3: i64 = getfield<Option<i64>.value>(v2)
  return v3
"
    );
    let out = run(&text, &only(false, true, false), "mk");
    assert!(out.contains("malloc<Option<i64>>"), "{out}");
}

const CALLS: &str = "
entry main
type Option<i64> = struct { is_some: bool, value: i64 }
prebuilt0: Option<i64> = { is_some: false, value: 0_i64 }

graph main() -> void
block0():
  v0: i64 = direct_call<get>(3_i64)
  v1: i64 = direct_call<fact>(v0)
  return void

graph get(v0: i64) -> i64
block0(v0):
  v1: *Option<i64> = direct_call<some>(v0)
  v2: i64 = getfield<Option<i64>.value>(v1)
  return v2

graph some(v0: i64) -> *Option<i64>
block0(v0):
  v1: *Option<i64> = malloc<Option<i64>>()
  setfield<Option<i64>.is_some>(v1, true)
  setfield<Option<i64>.value>(v1, v0)
  return v1

graph fact(v0: i64) -> i64
block0(v0):
  v1: bool = int_cmp<le>(v0, 1_i64)
  if v1 then block1() else block2(v0)
block1():
  return 1_i64
block2(v2: i64):
  v3: i64 = int_sub(v2, 1_i64)
  v4: i64 = direct_call<fact>(v3)
  v5: i64 = int_mul(v2, v4)
  return v5
";

#[test]
fn a_returned_option_is_inlined_then_removed() {
    let out = run(CALLS, &Options::default(), "get");
    let expected = "\
graph get(v0: i64) -> i64
block0(v0):
  return v0
";
    assert_eq!(strip_unreachable(&out), expected, "{out}");
    // Without inlining, the object crosses a call and stays.
    let out = run(CALLS, &only(false, true, false), "get");
    assert!(out.contains("direct_call<some>"), "{out}");
}

#[test]
fn a_recursive_call_is_never_inlined() {
    let out = run(CALLS, &Options::default(), "fact");
    assert!(out.contains("direct_call<fact>"), "{out}");
}

/// `match op { A => .., B => .., C => .., D => .., _ => .. }` on named
/// constants, as the frontend lowers it: one test per arm.
fn chain(n: usize) -> String {
    let mut s = String::from(
        "entry main
graph main() -> void
block0():
  v0: i64 = direct_call<dispatch>(2_i64)
  return void

graph dispatch(v0: i64) -> i64
block0(v0):
  goto block1(v0)
",
    );
    for i in 0..n {
        let (x, c) = (10 + 2 * i, 11 + 2 * i);
        s.push_str(&format!(
            "block{b}(v{x}: i64):
  v{c}: bool = int_cmp<eq>(v{x}, {i}_i64)
  if v{c} then block{arm}() else block{next}(v{x})
block{arm}():
  return {r}_i64
",
            b = 1 + 2 * i,
            arm = 2 + 2 * i,
            next = 3 + 2 * i,
            r = 100 + i,
        ));
    }
    s.push_str(&format!(
        "block{}(v99: i64):
  return -1_i64
",
        1 + 2 * n
    ));
    s
}

#[test]
fn a_chain_of_constant_tests_becomes_a_switch() {
    let out = run(&chain(5), &only(false, false, true), "dispatch");
    assert!(
        out.contains("[0 => block2(), 1 => block4(), 2 => block6(), 3 => block8(), 4 => block10()] default block11()"),
        "{out}"
    );
    // The chain's tail starts no switch of its own.
    assert_eq!(out.matches("switch").count(), 1, "{out}");
    // Three tests stay compares.
    let out = run(&chain(3), &only(false, false, true), "dispatch");
    assert!(!out.contains("switch"), "{out}");
}

/// The types of a stack VM's `Vm` and its stack, and an empty `main`: the
/// head of the CSE fixtures below.
macro_rules! vm_fixture {
    ($graphs:literal) => {
        concat!(
            "
entry main
type Array<i64> = array i64
type List<i64> = struct { length: usize, items: *Array<i64> }
type Vm = struct { stack: *List<i64>, steps: u64 }

graph main() -> void
block0():
  return void
",
            $graphs
        )
    };
}

fn cse_only() -> Options {
    Options {
        cse: true,
        ..only(false, false, false)
    }
}

/// `pop; if ..; push` as inlined: the list's length and items, loaded
/// before a branch, are known after the join (both arms know them) and
/// reach the push through new block inputs.
const POP_THEN_PUSH: &str = vm_fixture!(
    "
graph step(v0: *Vm, v1: bool) -> void
block0(v0, v1):
  v2: *List<i64> = getfield<Vm.stack>(v0)
  v3: usize = getfield<List<i64>.length>(v2)
  v4: usize = int_sub(v3, 1_usize)
  setfield<List<i64>.length>(v2, v4)
  if v1 then block1(v0) else block2(v0)
block1(v5: *Vm):
  goto block3(v5, 1_i64)
block2(v6: *Vm):
  goto block3(v6, 2_i64)
block3(v7: *Vm, v8: i64):
  v9: *List<i64> = getfield<Vm.stack>(v7)
  v10: usize = getfield<List<i64>.length>(v9)
  v11: *Array<i64> = getfield<List<i64>.items>(v9)
  setarrayitem<Array<i64>>(v11, v10, v8)
  return void
"
);

#[test]
fn loads_known_on_every_path_into_a_join_are_reused() {
    let out = strip_unreachable(&run(POP_THEN_PUSH, &cse_only(), "step"));
    let expected = "\
graph step(v0: *Vm, v1: bool) -> void
block0(v0, v1):
  v2: *List<i64> = getfield<Vm.stack>(v0)
  v3: usize = getfield<List<i64>.length>(v2)
  v4: usize = int_sub(v3, 1_usize)
  v12: void = setfield<List<i64>.length>(v2, v4)
  if v1 then block3(1_i64, v2, v4) else block3(2_i64, v2, v4)
block3(v8: i64, v14: *List<i64>, v15: usize):
  v11: *Array<i64> = getfield<List<i64>.items>(v14)
  v13: void = setarrayitem<Array<i64>>(v11, v15, v8)
  return void
";
    assert_eq!(out, expected, "{out}");
}

#[test]
fn a_write_that_may_alias_or_a_call_forgets_loads() {
    // A store into the length of any List<i64> (it may be this one) on
    // one arm: the join reloads the length.
    let aliased = POP_THEN_PUSH.replace(
        "block1(v5: *Vm):\n  goto",
        "block1(v5: *Vm):\n  v20: *List<i64> = malloc<List<i64>>()\n  setfield<List<i64>.length>(v20, 0_usize)\n  goto",
    );
    let out = run(&aliased, &cse_only(), "step");
    assert_eq!(
        out.matches("getfield<List<i64>.length>").count(),
        2,
        "{out}"
    );
    assert_eq!(out.matches("getfield<Vm.stack>").count(), 1, "{out}");
    // A call that may write the heap on one arm: everything is reloaded.
    let called = POP_THEN_PUSH.replace(
        "block1(v5: *Vm):\n  goto",
        "block1(v5: *Vm, v21: *List<i64>):\n  v20: void = call<rr_list_grow>(v21, 1_usize, 8_u64, 7_u64)\n  goto",
    );
    let called = called.replace("block1(v0) else", "block1(v0, v2) else");
    let out = run(&called, &cse_only(), "step");
    assert_eq!(out.matches("getfield<Vm.stack>").count(), 2, "{out}");
}

/// A loop: what the body stores must not be taken as known at the header.
const LOOP_STORE: &str = vm_fixture!(
    "
graph count(v0: *Vm) -> u64
block0(v0):
  v1: u64 = getfield<Vm.steps>(v0)
  goto block1(v0, v1)
block1(v2: *Vm, v3: u64):
  v4: u64 = getfield<Vm.steps>(v2)
  v5: u64 = int_add(v4, 1_u64)
  setfield<Vm.steps>(v2, v5)
  v6: bool = int_cmp<lt>(v5, 10_u64)
  if v6 then block1(v2, v3) else block2(v3)
block2(v7: u64):
  return v7
"
);

#[test]
fn a_loop_header_knows_nothing_from_its_body() {
    let out = run(LOOP_STORE, &cse_only(), "count");
    assert_eq!(out.matches("getfield<Vm.steps>").count(), 2, "{out}");
}

/// `ADD | SUB => { pop; pop; match op {..} }`: the constant op of each
/// case travels through two small blocks to the switch that it decides.
const DEEP_THREAD: &str = "
entry main
graph main() -> void
block0():
  v0: i64 = direct_call<run>(0_i64, 3_i64, 4_i64)
  return void

graph run(v0: i64, v1: i64, v2: i64) -> i64
block0(v0, v1, v2):
  switch v0 [0 => block1(0_i64, v1, v2), 1 => block1(1_i64, v1, v2)] default block9()
block1(v3: i64, v4: i64, v5: i64):
  v6: bool = int_cmp<eq>(v4, 0_i64)
  if v6 then block9() else block2(v3, v4, v5)
block2(v7: i64, v8: i64, v9: i64):
  v10: bool = int_cmp<eq>(v9, 0_i64)
  if v10 then block9() else block3(v7, v8, v9)
block3(v11: i64, v12: i64, v13: i64):
  switch v11 [0 => block4(v12, v13), 1 => block5(v12, v13)] default block9()
block4(v14: i64, v15: i64):
  v16: i64 = int_add(v14, v15)
  return v16
block5(v17: i64, v18: i64):
  v19: i64 = int_sub(v17, v18)
  return v19
block9():
  return -1_i64
";

#[test]
fn a_constant_decides_a_switch_blocks_away() {
    let opts = Options {
        threading: true,
        ..only(false, false, false)
    };
    let out = strip_unreachable(&run(DEEP_THREAD, &opts, "run"));
    assert_eq!(out.matches("switch").count(), 1, "{out}");
    // Without the constant (a value from the caller) nothing is copied.
    let unknown = DEEP_THREAD.replace(
        "[0 => block1(0_i64, v1, v2), 1 => block1(1_i64, v1, v2)]",
        "[0 => block1(v1, v1, v2), 1 => block1(v2, v1, v2)]",
    );
    let out = strip_unreachable(&run(&unknown, &opts, "run"));
    assert_eq!(out.matches("switch").count(), 2, "{out}");
}

/// Each arm pops (loads the stack and its length, stores the new length);
/// the push after the join gets them through phis, the stack's first and
/// then, naming it, its length.
const POP_ON_EACH_ARM: &str = vm_fixture!(
    "
graph step(v0: *Vm, v1: bool) -> void
block0(v0, v1):
  if v1 then block1(v0) else block2(v0)
block1(v2: *Vm):
  v3: *List<i64> = getfield<Vm.stack>(v2)
  v4: usize = getfield<List<i64>.length>(v3)
  v5: usize = int_sub(v4, 1_usize)
  setfield<List<i64>.length>(v3, v5)
  goto block3(v2, 1_i64)
block2(v6: *Vm):
  v7: *List<i64> = getfield<Vm.stack>(v6)
  v8: usize = getfield<List<i64>.length>(v7)
  v9: usize = int_sub(v8, 2_usize)
  setfield<List<i64>.length>(v7, v9)
  goto block3(v6, 2_i64)
block3(v10: *Vm, v11: i64):
  v12: *List<i64> = getfield<Vm.stack>(v10)
  v13: usize = getfield<List<i64>.length>(v12)
  v14: *Array<i64> = getfield<List<i64>.items>(v12)
  setarrayitem<Array<i64>>(v14, v13, v11)
  return void
"
);

#[test]
fn loads_on_every_path_with_values_of_their_own_become_phis() {
    let out = strip_unreachable(&run(POP_ON_EACH_ARM, &cse_only(), "step"));
    let join = &out[out.find("\nblock3(").expect("join")..];
    assert!(!join.contains("getfield<Vm.stack>"), "{out}");
    assert!(!join.contains("getfield<List<i64>.length>"), "{out}");
    // The items were known on no path: still loaded, from the phi.
    assert!(join.contains("getfield<List<i64>.items>"), "{out}");
    // What only one arm knows is not a phi: a store on one arm only.
    let one_arm = POP_ON_EACH_ARM.replace(
        "  setfield<List<i64>.length>(v7, v9)\n",
        "  setfield<List<i64>.length>(v7, v9)\n  v20: *List<i64> = malloc<List<i64>>()\n  setfield<List<i64>.length>(v20, 0_usize)\n",
    );
    let out = strip_unreachable(&run(&one_arm, &cse_only(), "step"));
    let join = &out[out.find("\nblock3(").expect("join")..];
    assert!(!join.contains("getfield<Vm.stack>"), "{out}");
    assert!(join.contains("getfield<List<i64>.length>"), "{out}");
}

/// `type_id_of` of one object, read again after a store and a call that
/// writes the heap (a type id never changes), of another object, and of
/// a fresh object (its type's id: `Option<i64>` is the first type after
/// the well-known ones).
const TYPE_IDS: &str = "
entry main
type Option<i64> = struct { is_some: bool, value: i64 }

graph main() -> void
block0():
  return void

graph poke(v0: *Option<i64>) -> void
block0(v0):
  setfield<Option<i64>.is_some>(v0, true)
  return void

graph ids(v0: *Option<i64>, v1: *Option<i64>) -> u32
block0(v0, v1):
  v2: u32 = type_id_of(v0)
  setfield<Option<i64>.value>(v0, 3_i64)
  v3: void = direct_call<poke>(v0)
  v4: u32 = type_id_of(v0)
  v5: u32 = type_id_of(v1)
  v6: *Option<i64> = malloc<Option<i64>>()
  v7: u32 = type_id_of(v6)
  v8: u32 = int_add(v2, v4)
  v9: u32 = int_add(v8, v5)
  v10: u32 = int_add(v9, v7)
  v11: u64 = call<rr_identity_hash>(v6)
  return v10
";

#[test]
fn type_id_of_is_reused_across_stores_and_calls() {
    let out = run(TYPE_IDS, &cse_only(), "ids");
    assert_eq!(out.matches("type_id_of(v0)").count(), 1, "{out}");
    assert_eq!(out.matches("type_id_of(v1)").count(), 1, "{out}");
    assert!(!out.contains("type_id_of(v6)"), "{out}");
    assert!(out.contains("int_add(v2, v2)"), "{out}");
    assert!(out.contains("int_add(v9, 7_u32)"), "{out}");
    // Without CSE, every read stays.
    let out = run(TYPE_IDS, &only(false, false, false), "ids");
    assert_eq!(out.matches("type_id_of").count(), 4, "{out}");
}

#[test]
fn type_id_of_a_removed_malloc_is_its_types_id() {
    let text = "
entry main
type Option<i64> = struct { is_some: bool, value: i64 }

graph main() -> void
block0():
  return void

graph mk() -> u32
block0():
  v0: *Option<i64> = malloc<Option<i64>>()
  setfield<Option<i64>.value>(v0, 5_i64)
  v1: u32 = type_id_of(v0)
  return v1
";
    let out = run(text, &only(false, true, false), "mk");
    assert!(!out.contains("malloc"), "{out}");
    assert!(out.contains("return 7_u32"), "{out}");
}

#[test]
fn a_ptr_cast_of_a_malloc_keeps_it_on_the_heap() {
    // Cast to `*Object` and back, then read a field through the cast:
    // the object escapes into the cast, its store and load stay.
    let text = "
entry main
type Option<i64> = struct { is_some: bool, value: i64 }

graph main() -> void
block0():
  return void

graph mk() -> i64
block0():
  v0: *Option<i64> = malloc<Option<i64>>()
  setfield<Option<i64>.value>(v0, 5_i64)
  v1: *Object = ptr_cast(v0)
  v2: *Option<i64> = ptr_cast(v1)
  v3: i64 = getfield<Option<i64>.value>(v2)
  return v3
";
    for opts in [only(false, true, false), Options::default()] {
        let out = run(text, &opts, "mk");
        assert!(out.contains("malloc<Option<i64>>"), "{out}");
        assert!(
            out.contains("setfield<Option<i64>.value>(v0, 5_i64)"),
            "{out}"
        );
        assert!(out.contains("v1: *Object = ptr_cast(v0)"), "{out}");
        assert!(out.contains("getfield<Option<i64>.value>(v2)"), "{out}");
    }
}
