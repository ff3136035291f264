//! Runs flow graphs with a small test interpreter and compares with the
//! output of the same program built by rustc (recorded below). This checks
//! what the shape tests cannot: that SSA construction, scoping, loops,
//! matches and short-circuits compute the right values.

mod interp;

use flowspace::SourceMap;

fn run(path: &str) -> (String, Result<interp::V, String>) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut sources = SourceMap::default();
    let p = match flowspace::frontend::build_program(&mut sources, path, &text) {
        Ok(p) => p,
        Err(d) => panic!("{}", flowspace::diag::render(&sources, &d)),
    };
    flowspace::verify::verify_program(&p).unwrap();
    let mut it = interp::Interp::new(&p);
    let r = it.call(p.entry, vec![]);
    (it.out, r)
}

#[test]
fn control_flow_program_matches_rustc() {
    let (out, r) = run("tests/sem/control.rs");
    let expected = "\
-5:negative 0:zero 1:small 3:small 4:even 7:odd-mid 8:even 10:big 12:big 
hits 1 2 1 5 total 9
a=23 b=22
acc=321 r=500 pairs=10
321321.250.251.252.253.254.255
found at 5
12 at 8
3 7 z 'z'    3|7  | ab  |007
false true false
n=2 calls=0
143
0letter 1letter 2other 
";
    assert_eq!(out, expected);
    assert_eq!(
        r,
        Err("panic: assertion `left == right` failed\n  left: 10\n right: 7".to_string())
    );
}

/// Prints what the interpreter makes of a file (for adding cases).
#[test]
#[ignore]
fn show_program_run() {
    let path = std::env::var("SEM_FILE").unwrap_or_else(|_| "tests/sem/control.rs".into());
    let (out, r) = run(&path);
    println!("{out}---\n{r:?}");
}

#[test]
fn patterns_program_matches_rustc() {
    let (out, r) = run("tests/sem/patterns.rs");
    assert_eq!(
        out,
        "5 6 2 1\n-10 -20 0 300 1\n6 none-six\n1 2 4 5-5-n\n1 1 2 2   7|\n3   |+5|-0042|  mid  |\n"
    );
    assert_eq!(
        r,
        Err("panic: internal error: entered unreachable code: i is 5".to_string())
    );
}
