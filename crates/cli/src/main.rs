//! `apikeys`: a command-line audit of the API keys of Elastic Cloud and Elasticsearch, built on
//! `elastic-apikeys-client`.
//!
//! Run `apikeys --help` for the commands, and see the README for examples.
//!
//! # A map for contributors
//!
//! A run goes: [`args`] (the command line, with clap) → [`profiles`] (a `--profile` fills in what
//! was not typed) → [`connect`] (a client of either service, its credentials and trust checked)
//! → the command → [`report`] or [`change`] (what is printed, and the exit status). `main` wraps
//! the command in `--timeout` and Ctrl-C, and turns a [`failure::Failure`] into its message and
//! exit status.
//!
//! - **A subcommand** is a variant of `args::EsCommand` or `args::CloudCommand`, and a module
//!   under [`es`] or [`cloud`] (`es/create.rs`, `cloud/rotate.rs`). Listing is each service's own
//!   module (`es.rs`, `cloud.rs`): it is what the service is mostly for, and it shares the
//!   connection and the report with every other command.
//! - **How a key looks** in a table or CSV is `es/view.rs` and `cloud/view.rs` (its columns, and
//!   how each gives way on a narrow terminal); `audit.rs` has its own rows across targets.
//! - **Output formats** are [`output`]: the table (`output/table.rs`, fitted by
//!   `output/fit.rs`), CSV, JSON and JSON Lines, and whether stdout is a terminal. [`text`]
//!   escapes what servers send before any of it reaches a terminal.
//! - **Judging keys**: [`expiry`] (one clock for the run), [`policy`] (`--require-expiration`,
//!   `--max-lifetime`, `--max-age`) and [`report`] (the report, then `--fail-if-expiring` and
//!   the exit status).
//! - **Changing keys**: [`change`] (`--dry-run`, `--yes`, the question on a terminal) and
//!   [`new_key`] (a new key's secret, handed over once, or the advice when its creation is in
//!   doubt); [`json_flags`] reads the JSON that flags take.
//! - **Safety of the run itself**: [`std_streams`] (a stdout closed at start), [`spinner`]
//!   (stderr only, on a terminal only), [`secret_out`] (the secret file).

mod args;
mod audit;
mod change;
mod cloud;
mod connect;
mod es;
mod expiry;
mod failure;
mod json_flags;
mod new_key;
mod output;
mod policy;
mod profiles;
mod report;
mod secret_out;
mod spinner;
mod std_streams;
mod text;

use std::process::ExitCode;
use std::time::Duration;

use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

use crate::args::{Cli, Service};
use crate::connect::Limits;
use crate::failure::Failure;
use crate::spinner::Progress;
use crate::text::{printable, to_stderr};

fn main() -> ExitCode {
    let cli = Cli::parse_args();
    if let Service::Completions { shell } = cli.service {
        return completions(shell);
    }
    if let Service::Profiles { output } = cli.service {
        return profiles::list(output).unwrap_or_else(|failure| fail(&failure));
    }
    if let Err(failure) = std_streams::check() {
        return fail(&failure);
    }
    if cli.verbose {
        trace_requests();
    }
    let progress = Progress::on_stderr(cli.verbose);
    let timeout = cli.timeout;
    let started = tokio::time::Instant::now();
    let limits = Limits {
        max_body_size: cli.max_body_size,
        compression: !cli.no_compression,
        timeout,
        // A timeout past what the clock can count is no timeout.
        deadline: started
            .checked_add(timeout)
            .unwrap_or_else(|| started + Duration::from_secs(100 * 365 * 86_400)),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => return fail(&Failure::setup(&error)),
    };
    let deadline = limits.deadline;
    let work = async move {
        match cli.service {
            Service::Cloud(args) => cloud::run(args, progress, limits).await,
            Service::Es(args) => es::run(args, progress, limits).await,
            Service::Audit(audit) => audit::run(audit, progress, limits).await,
            Service::Completions { .. } | Service::Profiles { .. } => {
                unreachable!("answered before the runtime starts")
            }
        }
    };
    // Leaving `select!` drops the work that did not finish, and with it any spinner, which
    // clears its line as it goes.
    let result = runtime.block_on(async {
        tokio::select! {
            finished = tokio::time::timeout_at(deadline, work) => {
                finished.unwrap_or_else(|_| Err(Failure::timed_out(timeout)))
            }
            _ = tokio::signal::ctrl_c() => Err(Failure::interrupted()),
        }
    });
    // A create request cut short by either leaves its advice: a key may exist all the same.
    let result = result.map_err(|failure| match new_key::stopped_while_sending() {
        Some(advice) => failure.with_advice(&advice),
        None => failure,
    });
    result.unwrap_or_else(|failure| fail(&failure))
}

/// `apikeys completions <shell>`: the script on stdout.
fn completions(shell: clap_complete::Shell) -> ExitCode {
    let mut command = <Cli as clap::CommandFactory>::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "apikeys", &mut script);
    let mut out = std::io::stdout().lock();
    match std::io::Write::write_all(&mut out, &script)
        .and_then(|()| std::io::Write::flush(&mut out))
    {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            fail(&Failure::output(&error))
        }
        _ => ExitCode::SUCCESS,
    }
}

fn fail(failure: &Failure) -> ExitCode {
    let message = failure.to_string();
    if !message.is_empty() {
        // Messages quote servers, which may send anything.
        to_stderr(format_args!("error: {}", printable(&message)));
    }
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
