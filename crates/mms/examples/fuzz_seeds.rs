//! Writes the fuzz seeds (our own encodes) under a corpus folder:
//! `cargo run -p canvass-mms --example fuzz_seeds [fuzz/corpus]`.

#[allow(dead_code)] // The seeds use most samples, not all.
#[path = "../tests/support/samples.rs"]
mod samples;
#[path = "../tests/support/seeds.rs"]
mod seeds;

fn main() -> std::io::Result<()> {
    let root = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "fuzz/corpus".into()),
    );
    for (target, name, bytes) in seeds::all() {
        let dir = root.join(target);
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join(format!("seed-{name}")), bytes)?;
    }
    Ok(())
}
