//! The Brainfuck interpreter of the PyPy tutorial ("Tutorial: Writing an
//! Interpreter with PyPy"), in RRust, in the tutorial's final form with its
//! JIT hints.
//!
//! Cell model: 8-bit wrapping cells, a tape that grows to the right, `,`
//! reads one byte of stdin and leaves the cell unchanged at end of input.
//!
//! Untranslated: `cargo run --release -p goal --bin targetbf -- prog.b`
//! Translated:   `translate --opt=2 goal/bf/targetbf.rs && ./targetbf-c prog.b`

use rrlib::jit::{jit_merge_point, purefunction};
use std::collections::HashMap;
use std::io::{Read, Write};

struct Tape {
    thetape: Vec<u8>,
    position: usize,
}

impl Tape {
    fn new() -> Tape {
        Tape {
            thetape: vec![0],
            position: 0,
        }
    }

    fn get(&self) -> u8 {
        self.thetape[self.position]
    }

    fn set(&mut self, val: u8) {
        self.thetape[self.position] = val;
    }

    fn inc(&mut self) {
        self.thetape[self.position] = self.thetape[self.position].wrapping_add(1);
    }

    fn dec(&mut self) {
        self.thetape[self.position] = self.thetape[self.position].wrapping_sub(1);
    }

    fn advance(&mut self) {
        self.position += 1;
        if self.thetape.len() <= self.position {
            self.thetape.push(0);
        }
    }

    fn devance(&mut self) {
        // Moving left of cell 0 wraps to a huge position, and the next
        // access panics with Rust's bounds-check message.
        self.position = self.position.wrapping_sub(1);
    }
}

/// Where `[` jumps when the cell is 0 and `]` when it is not. Pure: the JIT
/// may fold it away for a constant `pc`.
#[purefunction]
fn get_matching_bracket(bracket_map: &HashMap<usize, usize>, pc: usize) -> usize {
    bracket_map[&pc]
}

/// What the JIT's trace log prints at each merge point.
#[allow(dead_code)]
fn get_location(pc: usize, program: &[u8], _bracket_map: &HashMap<usize, usize>) -> String {
    format!("pc={} op={}", pc, program[pc] as char)
}

#[jit_merge_point(greens(pc, program, bracket_map), reds(tape, stdout, stdin, inbuf),
                  get_printable_location = get_location)]
fn mainloop(program: &[u8], bracket_map: &HashMap<usize, usize>) {
    let mut pc: usize = 0;
    let mut tape = Tape::new();
    let mut stdout = std::io::stdout();
    let mut stdin = std::io::stdin();
    let mut inbuf = vec![0u8; 1];
    while pc < program.len() {
        match program[pc] {
            b'>' => tape.advance(),
            b'<' => tape.devance(),
            b'+' => tape.inc(),
            b'-' => tape.dec(),
            b'.' => {
                let out = vec![tape.get()];
                stdout.write_all(&out).unwrap();
            }
            b',' => {
                let n = stdin.read(&mut inbuf).unwrap();
                if n == 1 {
                    tape.set(inbuf[0]);
                }
            }
            b'[' if tape.get() == 0 => pc = get_matching_bracket(bracket_map, pc),
            b']' if tape.get() != 0 => pc = get_matching_bracket(bracket_map, pc),
            _ => {}
        }
        pc += 1;
    }
    stdout.flush().unwrap();
}

/// Keeps the eight commands and maps every bracket to its partner.
fn parse(source: &[u8]) -> (Vec<u8>, HashMap<usize, usize>) {
    let mut parsed: Vec<u8> = Vec::new();
    let mut bracket_map: HashMap<usize, usize> = HashMap::new();
    let mut leftstack: Vec<usize> = Vec::new();
    let mut pc: usize = 0;
    for &c in source.iter() {
        if c == b'['
            || c == b']'
            || c == b'<'
            || c == b'>'
            || c == b'+'
            || c == b'-'
            || c == b','
            || c == b'.'
        {
            parsed.push(c);
            if c == b'[' {
                leftstack.push(pc);
            } else if c == b']' {
                match leftstack.pop() {
                    Some(left) => {
                        bracket_map.insert(left, pc);
                        bracket_map.insert(pc, left);
                    }
                    None => {
                        eprintln!("error: unmatched ']' at command {}", pc);
                        std::process::exit(1);
                    }
                }
            }
            pc += 1;
        }
    }
    if !leftstack.is_empty() {
        eprintln!("error: {} unmatched '['", leftstack.len());
        std::process::exit(1);
    }
    (parsed, bracket_map)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 2 {
        eprintln!("usage: {} program.b", args[0]);
        std::process::exit(2);
    }
    let source = match std::fs::read(&args[1]) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("error: cannot read {}: {}", args[1], e);
            std::process::exit(1);
        }
    };
    let (program, bracket_map) = parse(&source);
    mainloop(&program, &bracket_map);
}
