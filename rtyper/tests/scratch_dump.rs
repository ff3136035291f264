mod common;
#[test]
fn dump() {
    let path = std::env::var("DUMP_SRC")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../goal/bf/targetbf.rs").into());
    let src = std::fs::read_to_string(&path).unwrap();
    let (_sm, _p, ll) = common::rtype_src("targetbf.rs", &src).unwrap_or_else(|e| panic!("{e}"));
    println!("{}", rtyper::dump::program_to_text(&ll));
    for (id, t) in ll.types.iter() {
        println!("{id}: {:?}", t);
    }
}
