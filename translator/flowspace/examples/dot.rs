//! Writes the flow graph of one function as dot:
//! `cargo run -p flowspace --example dot FILE FUNCTION > f.dot`.
fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| "goal/bf/targetbf.rs".into());
    let func = args.next().unwrap_or_else(|| "main".into());
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let mut sources = flowspace::SourceMap::default();
    match flowspace::frontend::build_program(&mut sources, &path, &text) {
        Ok(p) => match p.graph_by_name(&func) {
            Some(id) => print!("{}", flowspace::dot::flow_graph_to_dot(&p, id)),
            None => eprintln!("no function {func}"),
        },
        Err(d) => eprint!("{}", flowspace::diag::render(&sources, &d)),
    }
}
