//! Prints the flow graphs of a file: `cargo run -p flowspace --example dump FILE`.
fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "goal/bf/targetbf.rs".into());
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let mut sources = flowspace::SourceMap::default();
    match flowspace::frontend::build_program(&mut sources, &path, &text) {
        Ok(p) => {
            for (id, _) in p.graphs.iter() {
                println!("{}", flowspace::graph_to_text(&p, id));
            }
            if let Err(e) = flowspace::verify::verify_program(&p) {
                println!("VERIFY FAILED:\n{}", e.join("\n"));
            }
        }
        Err(d) => print!("{}", flowspace::diag::render(&sources, &d)),
    }
}
