//! `canvass`: one binary for the demo, the server, and every operator task.

mod account_args;
mod args;
mod codec_args;
mod commands;
mod media_compose;
mod output;

use clap::Parser;

/// mimalloc instead of glibc's allocator: an import allocates millions of small strings on one thread and frees
/// them on another, which glibc's arenas handle poorly (measured: a fifth of the importer's time was in
/// malloc/free and consolidation).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = args::Cli::parse();
    // reqwest is built with TLS but no default crypto provider (ring is chosen, not aws-lc); every client the
    // binary makes without TLS settings of its own relies on this.
    canvass_connectors::tls::install_default_crypto_provider();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
