//! Whole programs through the real pipeline: the Brainfuck target and a
//! small portal of our own.

mod common;

use abi::{Insn, Kind};
use codewriter::{write_jitcodes, write_jitcodes_with_roots, FnTarget, JitData};
use cranelift_entity::EntityRef;
use rtyper::llgraph::LLProgram;

fn roundtrip(data: &JitData) {
    let bytes = abi::wire::encode(&data.program);
    let back = abi::wire::decode(&bytes).expect("decode");
    assert_eq!(back, data.program);
    assert_eq!(data.program.num_fnptrs as usize, data.fnptrs.len());
    assert_eq!(data.program.num_refconsts as usize, data.refconsts.len());
}

/// Every jump target is in range, every call index valid.
fn well_formed(data: &JitData) {
    for jc in &data.program.jitcodes {
        let n = jc.insns.len() as u32;
        for insn in &jc.insns {
            let jumps: Vec<&abi::Jump> = match insn {
                Insn::Goto { jump } => vec![jump],
                Insn::Branch {
                    then_jump,
                    else_jump,
                    ..
                } => vec![then_jump, else_jump],
                Insn::Switch { cases, default, .. } => {
                    cases.iter().map(|(_, j)| j).chain([default]).collect()
                }
                Insn::Call { call, .. } => {
                    assert!((*call as usize) < data.program.calls.len());
                    vec![]
                }
                _ => vec![],
            };
            for j in jumps {
                assert!(j.target < n, "{}: jump to {} of {n}", jc.name, j.target);
            }
        }
    }
}

fn call<'a>(data: &'a JitData, name: &str) -> &'a abi::CallDescr {
    data.program
        .calls
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no call descr {name}"))
}

fn bf() -> LLProgram {
    common::rtype(
        "goal/bf/targetbf.rs",
        include_str!("../../../goal/bf/targetbf.rs"),
    )
}

#[test]
fn brainfuck_calls_and_jitcodes() {
    let ll = bf();
    let mainloop = common::graph(&ll, "mainloop");
    let data = if common::has_merge_point(&ll) {
        write_jitcodes(&ll).unwrap()
    } else {
        eprintln!("rtyper emits no JitMergePoint yet: mainloop as an extra root");
        write_jitcodes_with_roots(&ll, &[mainloop]).unwrap()
    };
    assert_eq!(data.graph_jitcode[mainloop.index()], Some(0));
    let jc = &data.program.jitcodes[0];
    assert!(jc.has_loop);
    // Tape::advance is inlined (has a jitcode, its call descr points at it).
    let adv = common::graph(&ll, "Tape::advance");
    let adv_jc = data.graph_jitcode[adv.index()].expect("Tape::advance has a jitcode");
    assert_eq!(call(&data, "Tape::advance").jitcode, Some(adv_jc));
    // get_matching_bracket is elidable and reads the dict.
    let gmb = call(&data, "get_matching_bracket");
    assert!(gmb.effects.elidable);
    assert!(gmb.effects.can_panic);
    assert!(!gmb.effects.may_collect);
    // Runtime calls are residual with a fnptr entry naming them.
    for c in data
        .program
        .calls
        .iter()
        .filter(|c| c.name.starts_with("rr_"))
    {
        assert_eq!(c.jitcode, None);
        assert_eq!(
            data.fnptrs[c.fnptr as usize],
            FnTarget::Runtime(c.name.clone())
        );
    }
    // main and parse are not reachable from the portal.
    assert_eq!(data.graph_jitcode[common::graph(&ll, "main").index()], None);
    assert_eq!(
        data.graph_jitcode[common::graph(&ll, "parse").index()],
        None
    );
    // Panic locations point into the target.
    assert!(data
        .program
        .strings
        .iter()
        .any(|s| s.starts_with("goal/bf/targetbf.rs:")));
    well_formed(&data);
    roundtrip(&data);
}

#[test]
fn brainfuck_merge_point() {
    let ll = bf();
    if !common::has_merge_point(&ll) {
        eprintln!("SKIPPED: waits for the rtyper to emit JitMergePoint");
        return;
    }
    let data = write_jitcodes(&ll).unwrap();
    let jc = &data.program.jitcodes[0];
    assert_eq!(data.program.drivers.len(), 1);
    let d = &data.program.drivers[0];
    assert_eq!(d.name, "mainloop");
    assert_eq!(d.jitcode, 0);
    assert!(matches!(
        jc.insns[d.merge_point_pc as usize],
        Insn::MergePoint { driver: 0, .. }
    ));
    let greens: Vec<&str> = d.greens.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(greens, ["pc", "program", "bracket_map"]);
    assert_eq!(d.greens[0].1, Kind::Int(abi::IntKind::U64));
    assert_eq!(d.greens[1].1, Kind::Ref);
    assert!(d.reds.iter().any(|(n, k)| n == "tape" && *k == Kind::Ref));
    if let Some(i) = d.get_printable_location {
        assert_eq!(data.program.calls[i as usize].name, "get_location");
    }
}

const OWN: &str = "
use rrlib::jit::{dont_look_inside, jit_merge_point, purefunction, unroll_safe};

struct Acc {
    total: i64,
}

impl Acc {
    fn add(&mut self, x: i64) {
        self.total += x;
    }
}

#[purefunction]
fn weight(i: i64) -> i64 {
    i * 2
}

#[dont_look_inside]
fn noisy(t: i64) -> i64 {
    let mut v = Vec::new();
    v.push(t);
    v[0]
}

#[unroll_safe]
fn small_loop(n: i64) -> i64 {
    let mut s = 0;
    let mut k = 0;
    while k < n {
        s += k;
        k += 1;
    }
    s
}

fn looping(n: i64) -> i64 {
    let mut s = 0;
    let mut k = 0;
    while k < n {
        s += k;
        k += 1;
    }
    s
}

#[jit_merge_point(greens(i), reds(n, acc))]
fn run(n: i64, acc: &mut Acc) {
    let mut i = 0;
    while i < n {
        acc.add(weight(i) + noisy(i) + small_loop(3) + looping(2));
        i += 1;
    }
}

fn main() {
    let mut acc = Acc { total: 0 };
    run(10, &mut acc);
    println!(\"{}\", acc.total);
}
";

#[test]
fn own_program_policy_and_effects() {
    let ll = common::rtype("own.rs", OWN);
    let run = common::graph(&ll, "run");
    let data = if common::has_merge_point(&ll) {
        write_jitcodes(&ll).unwrap()
    } else {
        eprintln!("rtyper emits no JitMergePoint yet: run as an extra root");
        write_jitcodes_with_roots(&ll, &[run]).unwrap()
    };
    assert_eq!(data.graph_jitcode[run.index()], Some(0));
    let jc_of = |name: &str| data.graph_jitcode[common::graph(&ll, name).index()];
    // Inlinable: Acc::add, weight, small_loop, looping; not noisy.
    let add = jc_of("Acc::add").expect("Acc::add jitcode");
    assert!(jc_of("weight").is_some());
    assert_eq!(jc_of("noisy"), None);
    assert_eq!(jc_of("main"), None);
    let jcs = &data.program.jitcodes;
    assert!(!jcs[jc_of("small_loop").unwrap() as usize].has_loop);
    assert!(jcs[jc_of("looping").unwrap() as usize].has_loop);
    assert!(!jcs[add as usize].has_loop);
    // Effects.
    let w = call(&data, "weight");
    assert!(w.effects.elidable && !w.effects.writes_heap && !w.effects.may_collect);
    let a = call(&data, "Acc::add");
    assert!(a.effects.writes_heap && !a.effects.may_collect && !a.effects.elidable);
    assert_eq!(a.args, vec![Kind::Ref, Kind::Int(abi::IntKind::I64)]);
    assert_eq!(a.ret, None);
    let nz = call(&data, "noisy");
    assert_eq!(nz.jitcode, None);
    assert!(nz.effects.may_collect, "noisy allocates");
    assert_eq!(
        data.fnptrs[nz.fnptr as usize],
        FnTarget::Graph(common::graph(&ll, "noisy"))
    );
    // Each distinct callee has exactly one descriptor.
    let mut names: Vec<&str> = data.program.calls.iter().map(|c| c.name.as_str()).collect();
    let n = names.len();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), n);
    if common::has_merge_point(&ll) {
        let d = &data.program.drivers[0];
        assert_eq!(d.greens.len(), 1);
        assert_eq!(d.greens[0].0, "i");
        assert!(matches!(
            jcs[0].insns[d.merge_point_pc as usize],
            Insn::MergePoint { .. }
        ));
    } else {
        eprintln!("SKIPPED merge-point part: waits for the rtyper");
    }
    well_formed(&data);
    roundtrip(&data);
}
