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

use std::process::ExitCode;

use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches};
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

use crate::args::{Cli, Service};
use crate::failure::Failure;

fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let mut cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(error) => error.exit(),
    };
    if let (Service::Es(es), Some(("es", es_matches))) = (&mut cli.service, matches.subcommand()) {
        let typed =
            |m: &clap::ArgMatches| m.value_source("auth_user") == Some(ValueSource::CommandLine);
        es.auth_user_typed =
            typed(es_matches) || es_matches.subcommand().is_some_and(|(_, leaf)| typed(leaf));
    }
    if cli.verbose {
        trace_requests();
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => return fail(&Failure::usage(format!("cannot start: {error}"))),
    };
    let result = runtime.block_on(async {
        match cli.service {
            Service::Cloud(args) => cloud::run(args).await,
            Service::Es(args) => es::run(args).await,
        }
    });
    result.unwrap_or_else(|failure| fail(&failure))
}

fn fail(failure: &Failure) -> ExitCode {
    eprintln!("error: {failure}");
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
