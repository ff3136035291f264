//! Builds the runtime staticlib (`rrruntime`) with a nested `cargo build`
//! and hands its path to the crate (`RRUST_RUNTIME_LIB`), which embeds it
//! with `include_bytes!` so that `translate` links from any directory.
//! The native libraries the staticlib needs are read from rustc's
//! `--print native-static-libs` and passed on as `RRUST_RUNTIME_NATIVE_LIBS`.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What rustc prints for a std staticlib on x86_64-unknown-linux-gnu; used
/// only if the printed list cannot be read.
const DEFAULT_NATIVE_LIBS: &str = "-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc";

fn main() {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let root = manifest_dir.parent().expect("workspace root").to_path_buf();
    let runtime = root.join("runtime");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed={}", runtime.join("src").display());
    // The JIT's crates, linked into the `jit` variant.
    for dir in [
        "runtime/abi",
        "runtime/traceir",
        "runtime/metainterp",
        "backends/jitbackend",
    ] {
        println!(
            "cargo:rerun-if-changed={}",
            root.join(dir).join("src").display()
        );
        println!(
            "cargo:rerun-if-changed={}",
            root.join(dir).join("Cargo.toml").display()
        );
    }
    println!(
        "cargo:rerun-if-changed={}",
        runtime.join("Cargo.toml").display()
    );
    println!(
        "cargo:rerun-if-changed={}",
        root.join("Cargo.lock").display()
    );

    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR"));
    let target_dir = out_dir.join("rt");
    let libs_file = out_dir.join("native-static-libs.txt");
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());

    // Two variants, one after the other in the same target directory (so
    // the dependencies are built once): without the JIT (`--opt=0|2`) and
    // with it (`--opt=jit`). Each archive is copied out before the next
    // build overwrites it.
    let plain = out_dir.join("librrruntime.a");
    let jit = out_dir.join("librrruntime_jit.a");
    build_runtime(&cargo, &root, &target_dir, &libs_file, None, &plain);
    build_runtime(&cargo, &root, &target_dir, &libs_file, Some("jit"), &jit);
    let native = std::fs::read_to_string(&libs_file)
        .ok()
        .and_then(|s| {
            // The file holds "native-static-libs: -lgcc_s ..." (older rustc
            // print the bare list); keep only the flags.
            let flags: Vec<&str> = s
                .split_whitespace()
                .filter(|w| w.starts_with('-'))
                .collect();
            (!flags.is_empty()).then(|| flags.join(" "))
        })
        .unwrap_or_else(|| DEFAULT_NATIVE_LIBS.to_string());
    println!("cargo:rustc-env=RRUST_RUNTIME_LIB={}", plain.display());
    println!("cargo:rustc-env=RRUST_RUNTIME_JIT_LIB={}", jit.display());
    println!("cargo:rustc-env=RRUST_RUNTIME_NATIVE_LIBS={native}");
}

/// `cargo rustc` of the runtime staticlib (with `features`), copied to
/// `dest`.
fn build_runtime(
    cargo: &str,
    root: &Path,
    target_dir: &Path,
    libs_file: &Path,
    features: Option<&str>,
    dest: &Path,
) {
    let mut cmd = Command::new(cargo);
    // `cargo rustc` so that rustc can be asked for the native libraries; the
    // arguments are the same on every run, so a fresh runtime is not rebuilt.
    cmd.current_dir(root)
        .args(["rustc", "--release", "-p", "rrruntime", "--lib"])
        .args(["--crate-type", "staticlib"])
        .args(features.map(|f| ["--features", f]).into_iter().flatten())
        .arg("--target-dir")
        .arg(target_dir)
        .arg("--")
        .arg(format!(
            "--print=native-static-libs={}",
            libs_file.display()
        ));
    // The outer build's flags and jobserver must not leak into the nested
    // one (they would change its fingerprint or point at the wrong dirs).
    for var in [
        "CARGO_ENCODED_RUSTFLAGS",
        "RUSTFLAGS",
        "CARGO_BUILD_RUSTFLAGS",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET_DIR",
        "CARGO_MAKEFLAGS",
        "MAKEFLAGS",
        "MFLAGS",
        "CARGO_PRIMARY_PACKAGE",
        "RUSTC_WRAPPER",
        "RUSTC_WORKSPACE_WRAPPER",
    ] {
        cmd.env_remove(var);
    }
    let output = cmd.output().expect("cannot run cargo to build the runtime");
    if !output.status.success() {
        panic!(
            "building the runtime (rrruntime) failed:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let lib = target_dir.join("release").join("librrruntime.a");
    if !lib.exists() {
        panic!("the runtime build produced no {}", lib.display());
    }
    std::fs::copy(&lib, dest).expect("cannot copy the runtime archive");
}
