//! The `xepspec` command line: parses arguments and hands them to
//! [`xepspec::commands::cli`], which calls the library.

use std::process::ExitCode;

use clap::Parser;
use xepspec::commands::cli::{Cli, dispatch};
use xepspec::server::docker_api;

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    // Commands that drive containers need a runtime made before any other
    // thread, which can serve bollard an older Docker API.
    let runtime = if cli.needs_containers() {
        docker_api::container_runtime()
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("starting the async runtime: {e}"))
    };
    match runtime {
        Ok(runtime) => {
            let code = runtime.block_on(dispatch(cli));
            drop(runtime);
            docker_api::remove_forwarder_socket();
            code
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
