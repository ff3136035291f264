//! The text form of low-level programs: every rtyped test program prints,
//! parses back to a program that prints the same and verifies; hand-written
//! fixtures parse; errors give `line:col` and what was expected.

mod common;

use rtyper::llgraph::LLProgram;
use rtyper::opnames::{OpTag, ALL};
use rtyper::text::{parse_program, program_to_text, program_to_text_with, TextOptions};
use std::collections::HashSet;

/// Every RRust program of the repository's tests and goals that rtypes.
fn rtyped_programs() -> Vec<(String, LLProgram)> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let mut dirs = vec![format!("{root}/tests/programs")];
    if let Ok(rd) = std::fs::read_dir(format!("{root}/goal")) {
        dirs.extend(rd.flatten().map(|e| e.path().display().to_string()));
    }
    let mut paths = vec![];
    for dir in dirs {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.extension().and_then(|x| x.to_str()) == Some("rs") {
                paths.push(p);
            }
        }
    }
    paths.sort();
    let mut out = vec![];
    for p in paths {
        let Ok(src) = std::fs::read_to_string(&p) else {
            continue;
        };
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("?")
            .to_string();
        // Programs the frontend or annotator refuse, or the verifier finds
        // fault with, are other tests' business (the round trip compares
        // the verifier's findings).
        if let Ok((_, _, ll)) = common::rtype_unverified(&name, &src) {
            out.push((name, ll));
        }
    }
    out
}

/// The parts of a program the text does not show directly: layouts,
/// entry, files, variable types.
fn assert_same_program(a: &LLProgram, b: &LLProgram, what: &str) {
    assert_eq!(a.types.len(), b.types.len(), "{what}: type count");
    for ((_, x), (_, y)) in a.types.iter().zip(b.types.iter()) {
        assert_eq!(x.name, y.name, "{what}");
        assert_eq!(
            format!("{:?}", x.kind),
            format!("{:?}", y.kind),
            "{what}: {}",
            x.name
        );
    }
    assert_eq!(a.entry, b.entry, "{what}: entry");
    assert_eq!(a.files, b.files, "{what}: files");
    assert_eq!(a.graphs.len(), b.graphs.len(), "{what}: graph count");
    assert_eq!(a.prebuilt.len(), b.prebuilt.len(), "{what}: prebuilt count");
    for ((_, g), (_, h)) in a.graphs.iter().zip(b.graphs.iter()) {
        assert_eq!(g.start, h.start, "{what}: {}", g.name);
        for (bd, hd) in g.blocks.values().zip(h.blocks.values()) {
            for (o, p) in bd.ops.iter().zip(&hd.ops) {
                assert_eq!(o.kind, p.kind, "{what}: {}", g.name);
                assert_eq!(
                    g.vars[o.result].ty, h.vars[p.result].ty,
                    "{what}: {}",
                    g.name
                );
            }
        }
    }
}

#[test]
fn every_rtyped_program_round_trips_and_verifies() {
    let programs = rtyped_programs();
    assert!(
        programs.len() >= 25,
        "only {} programs rtyped",
        programs.len()
    );
    for (name, ll) in &programs {
        let names: HashSet<&str> = ll.graphs.values().map(|g| g.name.as_str()).collect();
        assert_eq!(
            names.len(),
            ll.graphs.len(),
            "{name}: graph names are unique"
        );
        let text = program_to_text(ll);
        let back = parse_program(&text).unwrap_or_else(|e| panic!("{name}: {e}\n{text}"));
        assert_eq!(
            rtyper::verify::verify_program(&back),
            rtyper::verify::verify_program(ll),
            "{name}: the parsed program verifies as the original does"
        );
        assert_eq!(program_to_text(&back), text, "{name}");
        assert_same_program(ll, &back, name);
        // With spans, they survive too (line and column, not byte ranges).
        let opts = TextOptions { spans: true };
        let with = program_to_text_with(ll, opts);
        let back = parse_program(&with).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(program_to_text_with(&back, opts), with, "{name}");
        for (g, h) in ll.graphs.values().zip(back.graphs.values()) {
            for (bd, hd) in g.blocks.values().zip(h.blocks.values()) {
                for (o, p) in bd.ops.iter().zip(&hd.ops) {
                    let key = |s: flowspace::Span| (s.file, s.line, s.col);
                    assert_eq!(key(o.span), key(p.span), "{name}: {}", g.name);
                }
            }
        }
    }
}

/// Every op kind at least once, with the constants and declarations the
/// text form has; type-correct, so the verifier accepts it.
const ALL_OPS: &str = r#"
// Items may come in any order; names resolve forward.
file "fixture.rs"
entry main

type Pair = struct { a: i64, b: *Pair }
type Array<i64> = array i64
type Blob = opaque blob
type "odd name" = struct {}

prebuilt0: Array<u8> = b"oops\n\x00\"\\"
prebuilt1: String = { length: 8_usize, items: prebuilt0 }
prebuilt7: Array<i64> = [1_i64, -2_i64]
prebuilt3: Pair = { a: 5_i64, b: prebuilt3 }

#[unroll_safe, jit_merge_point(greens(pc), reds(acc), immutable_greens(pc), get_printable_location = ints)]
graph main() -> void
block0():
  v0: bool = jit_is_jitted()
  v1: i64 = direct_call<ints>(1_i64, 2_i64)
  goto block5(0_usize, v1)
block5(v2: usize, v3: i64):
  v4: void = jit_merge_point<0, 1>(v2, v3) @0:3:5
  v5: *Pair = direct_call<heap>(v2)
  v6: bool = direct_call<floats>(1.5_f64)
  v7: void = call<rr_print>(prebuilt1, 1_u64)
  v8: u32 = cast('\u{e9}')
  v9: *Blob = call<"rr odd">(null<Blob>, null<"odd name">)
  return void

#[purefunction, dont_look_inside]
graph ints(v0: i64, v1: i64) -> i64
block0(v0, v1):
  v2: i64 = int_add(v0, v1)
  v3: i64 = int_sub(v2, 1_i64)
  v4: i64 = int_mul(v3, v1)
  v5: void = check<div_zero>(v1)
  v6: void = check<div_overflow>(v4, v1)
  v7: i64 = int_div(v4, v1)
  v8: void = check<rem_zero>(v1)
  v9: void = check<rem_overflow>(v7, v1)
  v10: i64 = int_rem(v7, v1)
  v11: i64 = int_and(v10, 255_i64)
  v12: i64 = int_or(v11, v0)
  v13: i64 = int_xor(v12, -9223372036854775808_i64)
  v14: i64 = int_shl(v13, 3_u8)
  v15: i64 = int_shr(v14, 18446744073709551615_u64)
  v16: i64 = int_neg(v15)
  v17: i64 = int_not(v16)
  v18: bool = int_cmp<lt>(v17, v0)
  switch v17 [0 => block1(), -3 => block1()] default block2(v17, v18)
block1():
  return 0_i64
block2(v20: i64, v21: bool):
  v22: i64 = jit_promote(v20)
  return v22

graph floats(v0: f64) -> bool
block0(v0):
  v1: f64 = float_add(v0, 0.5_f64)
  v2: f64 = float_sub(v1, -1e300_f64)
  v3: f64 = float_mul(v2, inf_f64)
  v4: f64 = float_div(v3, nan_f64)
  v5: f64 = float_rem(v4, 0x7ff8000000000001_f64bits)
  v6: f64 = float_neg(v5)
  v7: bool = float_cmp<ge>(v6, -inf_f64)
  v8: i32 = cast(v6)
  v9: f64 = cast(v8)
  v10: bool = same_as(v7)
  return v10

graph heap(v0: usize) -> *Pair
block0(v0):
  v1: *Pair = malloc<Pair>()
  setfield<Pair.a>(v1, 7_i64)
  v2: i64 = getfield<Pair.a>(v1)
  v3: *Array<i64> = malloc_array<Array<i64>>(v0)
  v4: usize = arraylen<Array<i64>>(v3)
  v5: void = check<bounds>(0_usize, v4)
  v6: void = setarrayitem<Array<i64>>(v3, 0_usize, v2)
  v7: i64 = getarrayitem<Array<i64>>(v3, 0_usize)
  v8: bool = ptr_eq(v1, null<Pair>)
  v9: bool = ptr_ne(v1, prebuilt3)
  v10: void = check<unwrap_none>(v9)
  v11: void = check<expect>(v8, prebuilt1)
  v12: void = setfield<Pair.b>(v1, v1)
  v14: u32 = type_id_of(v1)
  v15: *Object = ptr_cast(v1)
  v16: u32 = type_id_of(v15)
  v17: *Pair = ptr_cast(v15)
  if v8 then block1(v17) else block2()
block1(v13: *Pair):
  return v13
block2():
  unreachable
"#;

#[test]
fn every_op_kind_round_trips() {
    let ll = parse_program(ALL_OPS).unwrap_or_else(|e| panic!("{e}"));
    let errs = rtyper::verify::verify_program(&ll);
    assert!(errs.is_empty(), "{}", errs.join("\n"));
    let seen: HashSet<OpTag> = ll
        .graphs
        .values()
        .flat_map(|g| g.blocks.values())
        .flat_map(|b| b.ops.iter())
        .map(|op| OpTag::of(&op.kind))
        .collect();
    let missing: Vec<&str> = ALL
        .iter()
        .filter(|t| !seen.contains(t))
        .map(|t| t.name())
        .collect();
    assert!(
        missing.is_empty(),
        "ops missing from the fixture: {missing:?}"
    );
    let text = program_to_text(&ll);
    let back = parse_program(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(program_to_text(&back), text);
    assert_same_program(&ll, &back, "fixture");
    let opts = TextOptions { spans: true };
    let with = program_to_text_with(&ll, opts);
    assert!(
        with.contains("jit_merge_point<0, 1>(v2, v3) @0:3:5"),
        "{with}"
    );
    let back = parse_program(&with).unwrap_or_else(|e| panic!("{e}\n{with}"));
    assert_eq!(program_to_text_with(&back, opts), with);
    // The constants keep their exact values.
    assert!(
        text.contains("float_rem(v4, 0x7ff8000000000001_f64bits)"),
        "{text}"
    );
    assert!(
        text.contains("int_shr(v14, 18446744073709551615_u64)"),
        "{text}"
    );
    assert!(
        text.contains(r#"prebuilt0: Array<u8> = b"oops\n\x00\"\\""#),
        "{text}"
    );
    assert!(text.contains("cast('\\u{e9}')"), "{text}");
    assert!(text.contains("v15: *Object = ptr_cast(v1)"), "{text}");
    assert!(text.contains("v16: u32 = type_id_of(v15)"), "{text}");
    assert!(
        text.contains(r#"call<"rr odd">(null<Blob>, null<"odd name">)"#),
        "{text}"
    );
    assert_eq!(ll.graphs[ll.entry].name, "main");
    let main = &ll.graphs[ll.entry];
    assert!(main.hints.unroll_safe && !main.hints.purefunction);
    let mp = main.hints.merge_point.as_ref().expect("merge point");
    assert_eq!(mp.get_printable_location.as_deref(), Some("ints"));
    assert_eq!(mp.immutable_greens, vec!["pc".to_string()]);
}

#[test]
fn hand_written_graphs_are_renumbered_in_the_printed_form() {
    // Blocks numbered freely, used before they are defined, a call of a
    // graph defined later, a void op without a result, the entry by
    // default `main`.
    let src = "
graph main() -> void
block3():
  v7: i64 = direct_call<twice>(21_i64)
  goto block9(v7)
block9(v1: i64):
  call<rr_print_int>(v1)
  return void

graph twice(v4: i64) -> i64
block0(v4):
  v5: i64 = int_add(v4, v4)
  return v5
";
    let ll = parse_program(src).unwrap_or_else(|e| panic!("{e}"));
    assert!(rtyper::verify::verify_program(&ll).is_empty());
    let want = "entry main

graph main() -> void
block0():
  v7: i64 = direct_call<twice>(21_i64)
  goto block1(v7)
block1(v1: i64):
  v8: void = call<rr_print_int>(v1)
  return void

graph twice(v4: i64) -> i64
block0(v4):
  v5: i64 = int_add(v4, v4)
  return v5

";
    assert_eq!(program_to_text(&ll), want);
}

fn parse_err(src: &str) -> String {
    match parse_program(src) {
        Ok(_) => panic!("parsed:\n{src}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn errors_give_line_col_and_what_was_expected() {
    let g = |body: &str| format!("graph main(v0: i64) -> i64\nblock0(v0):\n{body}");
    let cases: Vec<(String, &str)> = vec![
        (g("  v1: i64 = int_frob(v0)\n  return v1\n"), "3:13: unknown op `int_frob`"),
        (g("  v1: i64 = int_add(v0, v0)\n  return v9\n"), "4:10: undefined variable v9"),
        (g("  v1: i64 = int_add(v0 v0)\n  return v1\n"), "3:24: expected `,` or `)`, found `v0`"),
        (g("  v1: *Nope = malloc<Nope>()\n  return v0\n"), "3:8: unknown type `Nope`"),
        (g("  v1: i64 = direct_call<nope>(v0)\n  return v1\n"), "3:25: unknown graph `nope`"),
        (g("  v1: i64 = getfield<String.nope>(v0)\n  return v1\n"), "3:29: the type has no field `nope`"),
        (g("  v1: u8 = same_as(300_u8)\n  return v0\n"), "3:20: `300` is not a value of u8"),
        (g("  goto block4()\n"), "3:8: unknown block block4"),
        (g("  goto block1(v0)\nblock1(v2):\n  return v2\n"), "4:8: expected `:` and the type of block input v2"),
        (g("  v1: i64 = int_add(v0, v0)\n  v1: i64 = int_add(v0, v0)\n  return v1\n"), "4:3: v1 is defined twice"),
        (g("  v1: i64 = int_cmp<less>(v0, v0)\n  return v1\n"), "3:21: unknown comparison `less` (one of eq, ne, lt, le, gt, ge)"),
        (g("  v1: i64 = int_add(v0, v0)\n"), "4:1: expected an op or a block exit (`goto`, `if`, `switch`, `return`, `unreachable`), found end of input"),
        (format!("{}\n{}", g("  return v0\n"), g("  return v0\n")), "5:7: graph `main` is defined twice"),
        ("graph main() -> void\nblock0():\n  return void\nbogus".into(), "4:1: expected `file`, `entry`, `type`, `prebuiltN`, `#[` or `graph`, found `bogus`"),
        ("entry nope\ngraph main() -> void\nblock0():\n  return void\n".into(), "1:1: unknown graph `nope`"),
    ];
    for (src, want) in cases {
        assert_eq!(parse_err(&src), want, "\n{src}");
    }
}

#[test]
fn no_input_makes_the_parser_panic() {
    // Every prefix and every one-character deletion of the fixture, and
    // prefixes of a real program's text: each parses or returns an error.
    let cuts: Vec<usize> = ALL_OPS.char_indices().map(|(i, _)| i).collect();
    for &i in &cuts {
        let _ = parse_program(&ALL_OPS[..i]);
        let mut s = ALL_OPS.to_string();
        s.remove(i);
        let _ = parse_program(&s);
    }
    let real = rtyped_programs()
        .into_iter()
        .find(|(n, _)| n == "targetbf.rs")
        .map(|(_, ll)| program_to_text(&ll))
        .expect("targetbf rtypes");
    for (i, _) in real.char_indices().step_by(61) {
        let _ = parse_program(&real[..i]);
    }
    for junk in [
        "",
        "\u{0}",
        "graph",
        "#[",
        "\"",
        "b\"",
        "'",
        "prebuilt99999999999: X = []",
    ] {
        let _ = parse_program(junk);
    }
}
