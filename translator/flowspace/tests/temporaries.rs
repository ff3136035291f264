//! Values already evaluated when a later sub-expression creates blocks
//! (`if`, `match`, `&&`, `||`, loops, `break` with a value, `assert!`,
//! early `return`) are carried through those blocks as link arguments: the
//! verifier finds no variable used outside the block that defines it, and
//! the test interpreter computes what rustc's build prints.

mod interp;

use flowspace::SourceMap;

/// Builds `src`, verifies every graph strictly and runs `main`.
fn run(src: &str) -> String {
    let mut sources = SourceMap::default();
    let p = match flowspace::frontend::build_program(&mut sources, "test.rs", src) {
        Ok(p) => p,
        Err(d) => panic!("{}", flowspace::diag::render(&sources, &d)),
    };
    if let Err(e) = flowspace::verify::verify_program(&p) {
        let graphs: Vec<String> = p
            .graphs
            .iter()
            .map(|(id, _)| flowspace::graph_to_text(&p, id))
            .collect();
        panic!(
            "verifier failed:\n{}\n\n{}\n{src}",
            e.join("\n"),
            graphs.join("\n")
        );
    }
    let mut it = interp::Interp::new(&p);
    let r = it.call(p.entry, vec![]);
    assert!(r.is_ok(), "{r:?}\n{}", it.out);
    it.out
}

/// The helpers the cases below share (in every program).
const PRELUDE: &str = "
struct P { x: i32, y: i32 }
impl P {
    fn sum(&self) -> i32 { self.x * 10 + self.y }
    fn scaled(&self, a: i32, b: i32) -> i32 { self.x * a + self.y * b }
}
fn add3(x: i32, y: i32, z: i32) -> i32 { x * 100 + y * 10 + z }
fn pick(c: bool) -> i32 { if c { 1 } else { 2 } }
fn vals() -> Vec<i32> { vec![7, 8, 9] }
";

fn case(body: &str, expected: &str) {
    let src = format!("{PRELUDE}\nfn main() {{\n{body}\n}}\n");
    assert_eq!(run(&src), expected, "{src}");
}

#[test]
fn method_receiver() {
    case(
        "let a = 1; let b = 2;
         let mut m = Vec::new();
         m.push(if a < b { 1 } else { 0 });
         m.push(match b { 2 => 20, _ => 30 });
         m.push(if a < b && b < 3 { 5 } else { 6 });
         m.push(if a > b || b == 2 { 7 } else { 8 });
         m.push(loop { break a + b; });
         m.push({ let mut s = 0; for i in 0..4 { s += i; } s });
         m.push({ let mut k = 0; while k < 3 { k += 1; } k });
         println!(\"{} {} {} {} {} {} {} {}\", m.len(), m[0], m[1], m[2], m[3], m[4], m[5], m[6]);",
        "7 1 20 5 7 3 6 3\n",
    );
}

#[test]
fn method_arguments() {
    case(
        "let a = 2; let b = 3;
         let p = P { x: a, y: b };
         println!(\"{}\", p.scaled(a + 1, if a < b { 10 } else { 20 }));
         println!(\"{}\", p.scaled(match a { 2 => 4, _ => 5 }, if a < b || b == 0 { 1 } else { 0 }));",
        "36\n11\n",
    );
}

#[test]
fn call_arguments() {
    case(
        "let a = 1; let b = 2;
         println!(\"{}\", add3(a, if a < b { 2 } else { 3 }, match b { 2 => 4, _ => 5 }));
         println!(\"{}\", add3(a + b, pick(a < b && b > 1), { let mut s = 0; for i in 0..3 { s += i; } s }));
         println!(\"{}\", add3(a * 3, loop { break b; }, if a == 1 { if b == 2 { 7 } else { 8 } } else { 9 }));",
        "124\n313\n327\n",
    );
}

#[test]
fn binary_left_operand() {
    case(
        "let a = 5; let b = 7;
         let x = (a + 1) * if a < b { 2 } else { 3 };
         let y = (a * 2) - match b { 7 => 1, _ => 2 };
         let z = (a < b) == (b > 6 && a > 4);
         let w = (b - a) + if a > b || a == 5 { 100 } else { 200 };
         let u = (a + b) as i64 + if let Some(k) = Some(a) { k as i64 } else { 0 };
         println!(\"{x} {y} {z} {w} {u}\");",
        "12 9 true 102 17\n",
    );
}

#[test]
fn struct_tuple_and_array_literals() {
    case(
        "let a = 3; let b = 4;
         let p = P { x: a + 1, y: if a < b { 5 } else { 6 } };
         let q = P { y: a * 2, x: match b { 4 => 9, _ => 0 } };
         let t = (a + 1, if a < b { 10 } else { 20 }, a < b && b > 3);
         let arr = [a * 2, if a > b { 1 } else { 2 }, match a { 3 => 30, _ => 0 }];
         let v = vec![a - 1, if b == 4 || a == 0 { 40 } else { 41 }];
         let r = vec![a + 2; if a < b { 3 } else { 1 }];
         println!(\"{} {} {} {} {} {} {} {} {} {} {} {}\",
             p.sum(), q.sum(), t.0, t.1, t.2, arr[0], arr[1], arr[2], v[0], v[1], r.len(), r[2]);",
        "45 96 4 10 true 6 2 30 2 40 3 5\n",
    );
}

#[test]
fn index_base() {
    case(
        "let a = 0; let b = 2;
         let v = vals();
         let x = v[if a < b { 1 } else { 0 }];
         let y = vals()[match b { 2 => 2, _ => 0 }];
         let z = v[(a + b) as usize - if a == 0 && b == 2 { 1 } else { 0 }];
         println!(\"{x} {y} {z}\");",
        "8 9 8\n",
    );
}

#[test]
fn assignment_targets() {
    case(
        "let a = 1; let b = 2;
         let mut v = vals();
         v[if a < b { 0 } else { 1 }] = a + 10;
         v[match b { 2 => 1, _ => 0 }] += a * 5;
         v[2] += if a < b { 100 } else { 200 };
         let mut p = P { x: 0, y: 0 };
         p.x = if a == 1 || b == 0 { 3 } else { 4 };
         p.y += match a { 1 => 6, _ => 7 };
         let mut w = vec![vals(), vals()];
         w[a as usize][if b > a { 2 } else { 0 }] = b * 100;
         println!(\"{} {} {} {} {} {}\", v[0], v[1], v[2], p.sum(), w[1][2], w[0][2]);",
        "11 13 109 36 200 9\n",
    );
}

#[test]
fn format_arguments() {
    case(
        "let a = 4; let b = 5;
         println!(\"{} {} {}\", a + 1, if a < b { \"lt\" } else { \"ge\" }, match b { 5 => 50, _ => 0 });
         let s = format!(\"{}-{}\", a * b, a < b && b > 4);
         println!(\"{s} {x}\", x = if a > 0 { a } else { b });",
        "5 lt 50\n20-true 4\n",
    );
}

#[test]
fn range_bounds_assertions_and_early_exits() {
    case(
        "let a = 1; let b = 3;
         let mut s = 0;
         for i in a + 1..if a < b { 5 } else { 6 } { s += i; }
         let t = add3(a, { assert!(a < b); 2 }, { assert_eq!(a + 2, b); 3 });
         let mut n = 0;
         while n < 5 {
             n += 1;
             let k = add3(n, if n == 2 { continue } else { 1 }, if n == 4 { break } else { 0 });
             s += k;
         }
         println!(\"{s} {t} {n}\");",
        "429 123 4\n",
    );
}

/// Every operand position, with every kind of block-making expression in the
/// later position (and in the earlier one): all graphs verify.
#[test]
fn every_position_with_every_branching_operand() {
    let fillers = [
        "if a < b { 1 } else { 2 }",
        "match a { 1 => 3, 2 => 4, _ => 5 }",
        "match Some(a) { Some(k) if k > 0 => k, _ => 0 }",
        "pick(a < b && b > 0)",
        "pick(a > b || b == 2)",
        "if let Some(k) = Some(b) { k } else { 0 }",
        "loop { break a + 1; }",
        "{ let mut s = 0; for i in 0..b { s += i; } s }",
        "{ let mut s = 0; for x in vals().iter() { s += *x; } s }",
        "{ let mut k = 0; while k < b { k += 1; } k }",
        "{ assert!(a < b); 1 }",
        "{ assert_eq!(a + 1, b); 2 }",
        "{ if a > 5 { return; } 3 }",
    ];
    let templates = [
        "m.push(H);",
        "m.push(add3(a, H, b));",
        "let _ = P { x: a, y: b }.scaled(a * 2, H);",
        "let _ = add3(a + 1, b * 2, H);",
        "let _ = add3(H, a + 1, H);",
        "let _ = (a + b) * H;",
        "let _ = (a << 1) - H;",
        "let _ = (a < b) == (H > 1);",
        "let _ = P { x: a + 1, y: H };",
        "let _ = P { y: a + 1, x: H };",
        "let _ = (a + 1, H, b * 2);",
        "let _ = [a + 1, H];",
        "let _ = vec![a + 1, H];",
        "let _ = vec![a + 1; (H) as usize];",
        "let _ = m[(H) as usize % 2];",
        "let _ = vals()[(H) as usize % 3];",
        "m[(H) as usize % 2] = a + b;",
        "m[(a + 1) as usize % 2] = H;",
        "m[(a + 1) as usize % 2] += H;",
        "q.x = H;",
        "q.y += H;",
        "w[(a + 1) as usize % 2][(H) as usize % 3] = b;",
        "println!(\"{} {}\", a + 1, H);",
        "let _ = format!(\"{}{x}\", a * 2, x = H);",
        "for i in a + 1..(H) { m.push(i); }",
        "let _ = ((a + 1) as i64) + (H) as i64;",
    ];
    let mut failures = Vec::new();
    for t in templates {
        for f in fillers {
            let body = format!(
                "let a = 1; let b = 2; let mut m = vec![a, b]; let mut q = P {{ x: a, y: b }};
                 let mut w = vec![vals(), vals()]; {} let _ = (q.sum(), w.len(), m.len());",
                t.replace('H', f)
            );
            let src = format!("{PRELUDE}\nfn main() {{\n{body}\n}}\n");
            let mut sources = SourceMap::default();
            match flowspace::frontend::build_program(&mut sources, "test.rs", &src) {
                Ok(p) => {
                    if let Err(e) = flowspace::verify::verify_program(&p) {
                        failures.push(format!("{body}\n  {}", e.join("\n  ")));
                    }
                }
                Err(d) => failures.push(format!(
                    "{body}\n  {}",
                    flowspace::diag::render(&sources, &d)
                )),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
