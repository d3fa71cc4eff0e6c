//! `apikeys`: a command-line audit of the API keys of Elastic Cloud and Elasticsearch, built on
//! `elastic-apikeys-client`.
//!
//! Run `apikeys --help` for the commands, and see the README for examples.

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
