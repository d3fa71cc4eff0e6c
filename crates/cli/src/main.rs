//! `apikeys`: a command-line audit of the API keys of Elastic Cloud and Elasticsearch, built on
//! `elastic-apikeys-client`.
//!
//! Run `apikeys --help` for the commands, and see the README for examples.

mod args;
mod cloud;
mod connect;
mod es;
mod expiry;
mod failure;
mod output;
mod report;
mod spinner;
mod text;

use std::process::ExitCode;

use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

use crate::args::{Cli, Service};
use crate::failure::Failure;
use crate::spinner::Progress;
use crate::text::printable;

fn main() -> ExitCode {
    let cli = Cli::parse_args();
    if cli.verbose {
        trace_requests();
    }
    let progress = Progress::on_stderr(cli.verbose);
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => return fail(&Failure::setup(&error)),
    };
    let result = runtime.block_on(async {
        match cli.service {
            Service::Cloud(args) => cloud::run(args, progress).await,
            Service::Es(args) => es::run(args, progress).await,
        }
    });
    result.unwrap_or_else(|failure| fail(&failure))
}

fn fail(failure: &Failure) -> ExitCode {
    // Messages quote servers, which may send anything.
    eprintln!("error: {}", printable(&failure.to_string()));
    failure.exit_code()
}

/// `--verbose`: the client's request events, and this program's own, on stderr. The client
/// reports methods, URLs, statuses and timings; it never reports headers, so no credentials.
fn trace_requests() {
    let targets = Targets::new()
        .with_target("elastic_apikeys_client", LevelFilter::DEBUG)
        .with_target(env!("CARGO_CRATE_NAME"), LevelFilter::DEBUG);
    let format = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .without_time()
        .with_target(false);
    tracing_subscriber::registry()
        .with(format)
        .with(targets)
        .init();
}
