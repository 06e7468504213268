//! The fuzz properties on stable: the committed corpus (fuzz/corpus/<target>/, our own encodes plus whatever
//! fuzzing found), the in-memory seeds, and deterministic mutations of them (every truncation, byte flips)
//! go through the same checks as the cargo-fuzz targets.

mod support;

use std::path::PathBuf;

use support::fuzz_checks;

fn check(target: &str, data: &[u8]) {
    match target {
        "mms" => fuzz_checks::mms(data),
        "push" => fuzz_checks::push(data),
        _ => fuzz_checks::wsp(data),
    }
}

#[test]
fn committed_corpus_replays_cleanly() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus");
    for target in ["mms", "push", "wsp"] {
        let dir = root.join(target);
        let files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        assert!(
            files.len() >= 4,
            "{}: only {} files",
            dir.display(),
            files.len()
        );
        for file in files {
            check(target, &std::fs::read(&file).unwrap());
        }
    }
}

#[test]
fn mutated_seeds_never_panic() {
    let seeds = support::seeds::all();
    assert!(seeds.iter().any(|(t, _, _)| *t == "push"));
    let mut runs = 0;
    for (target, _, seed) in &seeds {
        check(target, seed);
        // Cuts and flips at a stride, so that the test stays quick in debug builds; the masks hit length
        // octets, tokens and the quote.
        let stride = 1 + seed.len() / 120;
        for len in (0..seed.len()).step_by(stride) {
            check(target, &seed[..len]);
        }
        for i in (0..seed.len()).step_by(stride) {
            for mask in [0x01u8, 0x1F, 0x80, 0xFF] {
                let mut data = seed.clone();
                data[i] ^= mask;
                check(target, &data);
                runs += 1;
            }
        }
    }
    assert!(runs > 1000);
}
