//! Deletes and duplicates lines of the given files and checks that the
//! frontend never panics and that what it accepts passes the verifier:
//! `cargo run -p flowspace --example fuzz_lines -- FILES...`
fn main() {
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut rnd = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut runs = 0;
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        for _ in 0..400 {
            let mut l = lines.clone();
            for _ in 0..(1 + rnd() % 3) {
                if l.is_empty() {
                    break;
                }
                let i = (rnd() as usize) % l.len();
                match rnd() % 3 {
                    0 => {
                        l.remove(i);
                    }
                    1 => {
                        let j = (rnd() as usize) % l.len();
                        let x = l[j];
                        l.insert(i, x);
                    }
                    _ => {
                        let j = (rnd() as usize) % l.len();
                        l.swap(i, j);
                    }
                }
            }
            let src = l.join("\n");
            let r = std::panic::catch_unwind(|| {
                let mut sources = flowspace::SourceMap::default();
                if let Ok(p) = flowspace::frontend::build_program(&mut sources, "f.rs", &src) {
                    if let Err(e) = flowspace::verify::verify_program(&p) {
                        panic!("verifier: {}", e.join("\n"));
                    }
                }
            });
            runs += 1;
            if r.is_err() {
                std::fs::write("/tmp/fuzz_fail.rs", &src).ok();
                eprintln!("FAILED on a mutation of {path}, saved to /tmp/fuzz_fail.rs");
                std::process::exit(1);
            }
        }
    }
    println!("{runs} mutations, no panic");
}
