//! Encode and decode throughput of canvass-mms, printed as JSON lines for scripts/bench/mms-codec.sh:
//! `cargo run --release -p canvass-mms --example bench -- VECTORS_DIR SECONDS LARGE_OUT`.
//! Workloads: the shared corpus (decode, and encode of what it decodes to) and the generated ~300 KB
//! send-req of the test samples (3 slides of a 100 KB image and a text), which is also written to LARGE_OUT
//! so that the python-messaging side decodes the very same bytes.

use std::time::{Duration, Instant};

use canvass_mms::{Pdu, decode, encode};

#[allow(dead_code)] // Only the large message is used here.
#[path = "../tests/support/samples.rs"]
mod samples;

/// Runs `round` (which handles `pdus` PDUs of `bytes` octets in total) for at least `budget`.
fn measure(
    name: &str,
    op: &str,
    pdus: usize,
    bytes: usize,
    budget: Duration,
    mut round: impl FnMut(),
) {
    round(); // warm-up
    let start = Instant::now();
    let mut rounds = 0u64;
    while start.elapsed() < budget {
        round();
        rounds += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{{\"impl\":\"canvass\",\"workload\":\"{name}\",\"op\":\"{op}\",\"pdus_per_s\":{:.1},\"mb_per_s\":{:.3}}}",
        rounds as f64 * pdus as f64 / secs,
        rounds as f64 * bytes as f64 / secs / 1e6
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, dir, seconds, large_out] = &args[..] else {
        eprintln!("usage: bench VECTORS_DIR SECONDS LARGE_OUT");
        std::process::exit(2);
    };
    let budget = Duration::from_secs_f64(seconds.parse().unwrap_or(1.0));
    let mut files: Vec<Vec<u8>> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("mms")))
                .filter_map(|p| std::fs::read(p).ok())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let corpus_bytes: usize = files.iter().map(Vec::len).sum();
    let pdus: Vec<Pdu> = files.iter().filter_map(|f| decode(f).ok()).collect();
    assert_eq!(pdus.len(), files.len(), "every corpus file must decode");
    measure(
        "corpus",
        "decode",
        files.len(),
        corpus_bytes,
        budget,
        || {
            for f in &files {
                std::hint::black_box(decode(f).ok());
            }
        },
    );
    let encoded_bytes: usize = pdus.iter().map(|p| encode(p).map_or(0, |b| b.len())).sum();
    measure(
        "corpus",
        "encode",
        pdus.len(),
        encoded_bytes,
        budget,
        || {
            for p in &pdus {
                std::hint::black_box(encode(p).ok());
            }
        },
    );
    let large = samples::large_send_req();
    let large_bytes = encode(&large).unwrap_or_default();
    if let Err(e) = std::fs::write(large_out, &large_bytes) {
        eprintln!("{large_out}: {e}");
        std::process::exit(1);
    }
    measure("large", "decode", 1, large_bytes.len(), budget, || {
        std::hint::black_box(decode(&large_bytes).ok());
    });
    measure("large", "encode", 1, large_bytes.len(), budget, || {
        std::hint::black_box(encode(&large).ok());
    });
}
