//! `apikeys audit`: the keys of several targets, read at the same time, in one report.
//!
//! Each target is a profile of the config file, connected exactly as `--profile` connects it. A
//! target that cannot be read is reported on stderr and does not hide the others; the exit
//! status then says the audit is incomplete.

use std::process::ExitCode;

use chrono::{DateTime, Utc};
use elastic_apikeys_client::ItemError;
use elastic_apikeys_client::transport::InvalidHeader;
use futures_util::future::join_all;
use serde::Serialize;

use crate::args::{Audit, Cli, Service as Command};
use crate::cloud::key_in_use::{self, KeyInUse};
use crate::connect::{self, Limits};
use crate::expiry::{Clock, Lifetime};
use crate::failure::{Failure, TARGET_FAILED};
use crate::output::{self, Cell, Column, Rows, Target};
use crate::profiles::{self, Service};
use crate::report::{Verdict, read_all};
use crate::spinner::Progress;
use crate::text::{printable, to_stderr};

/// One key of any target, as the audit shows it.
#[derive(Debug, Serialize)]
struct Key {
    target: String,
    service: Service,
    id: String,
    /// The name (Elasticsearch) or description (Elastic Cloud).
    name: Option<String>,
    /// `username (realm)` for Elasticsearch, the user id for Elastic Cloud.
    owner: Option<String>,
    created: Option<DateTime<Utc>>,
    expires: Option<DateTime<Utc>>,
    invalidated: bool,
}

impl Lifetime for Key {
    fn id(&self) -> &str {
        &self.id
    }
    fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.expires
    }
    fn created_at(&self) -> Option<DateTime<Utc>> {
        self.created
    }
    fn invalidated(&self) -> bool {
        self.invalidated
    }
}

const HEADERS: &[Column] = &[
    Column::whole("TARGET", "target"),
    Column::whole("ID", "id"),
    Column::text("NAME", "name", 4),
    Column::text("OWNER", "owner", 3),
    Column::time("CREATED (UTC)", "created", Some(5)),
    Column::time("EXPIRES (UTC)", "expires", None),
    Column::whole("STATUS", "status"),
];

fn rows(keys: &[Key], clock: &Clock) -> Rows {
    Rows {
        headers: HEADERS,
        rows: keys
            .iter()
            .map(|key| {
                vec![
                    Cell::text(&key.target),
                    Cell::text(&key.id),
                    Cell::Text(key.name.clone()),
                    Cell::Text(key.owner.clone()),
                    Cell::Time(key.created, ""),
                    Cell::Time(key.expires, "never"),
                    Cell::text(clock.status(key).as_str()),
                ]
            })
            .collect(),
    }
}

/// What one target gave: its keys, those the models could not read, and for an Elastic Cloud
/// target the key the audit used, as its answer told (or why it could not).
type Read = (
    Vec<Key>,
    Vec<ItemError>,
    Option<Result<Option<KeyInUse>, InvalidHeader>>,
);

/// The keys of the target `name`, connected as `--profile name` would connect it, and apart
/// from them those the models could not read (each key is read on its own, `send_stream()`).
async fn read(name: String, limits: Limits) -> Result<Read, String> {
    let failed = |failure: Failure| format!("{}: {failure}", printable(&name));
    let path = profiles::path().ok_or_else(|| failed(Failure::usage("no config file")))?;
    let service = profiles::load(&path)
        .map_err(failed)?
        .profiles
        .get(&name)
        .map(|profile| profile.service)
        .ok_or_else(|| failed(Failure::usage("no such profile")))?;
    // The command line `--profile` would be: everything else comes from the profile.
    let module = match service {
        Service::Cloud => "cloud",
        Service::Elasticsearch => "es",
    };
    let cli =
        <Cli as clap::Parser>::try_parse_from(["apikeys", module, "--profile", &name, "list"])
            .map_err(|e| failed(Failure::usage(e.to_string())))?;
    match cli.service {
        Command::Es(args) => {
            let args = profiles::apply_es(args, limits).await.map_err(failed)?;
            let connection = connect::elasticsearch(&args, limits).map_err(failed)?;
            let host = &connection.host;
            let read = async {
                let stream = connection.client.security_get_api_key().send_stream();
                read_all(stream.await?.into_inner(), limits.max_body_size).await
            };
            let (keys, unreadable) = read
                .await
                .map_err(|e| failed(Failure::elasticsearch(e, host, connection.trust)))?;
            let keys = keys
                .into_iter()
                .map(|key| Key {
                    target: name.clone(),
                    service,
                    created: key.created_at(),
                    expires: key.expires_at(),
                    owner: Some(format!("{} ({})", key.username, key.realm)),
                    name: key.name.map(String::from),
                    invalidated: key.invalidated,
                    id: key.id.into(),
                })
                .collect();
            Ok((keys, unreadable, None))
        }
        Command::Cloud(args) => {
            let args = profiles::apply_cloud(args, limits).await.map_err(failed)?;
            let connection = connect::cloud(&args, limits).map_err(failed)?;
            let host = &connection.host;
            let read = async {
                let stream = connection.client.get_api_keys().send_stream().await?;
                let in_use = key_in_use::read(
                    stream.headers(),
                    format!("{}: the API key in use", printable(&name)),
                );
                read_all(stream.into_inner(), limits.max_body_size)
                    .await
                    .map(|(keys, unreadable)| (keys, unreadable, in_use))
            };
            let (keys, unreadable, in_use) = read
                .await
                .map_err(|e| failed(Failure::cloud(e, host, connection.trust)))?;
            let keys = keys
                .into_iter()
                .map(|key| Key {
                    target: name.clone(),
                    service,
                    created: Some(key.creation_date),
                    expires: key.expiration_date,
                    owner: key.user_id.map(String::from),
                    name: Some(key.description.into()),
                    invalidated: false,
                    id: key.id.into(),
                })
                .collect();
            Ok((keys, unreadable, Some(in_use)))
        }
        _ => Err(failed(Failure::usage("not a listing"))),
    }
}

pub(crate) async fn run(
    audit: Audit,
    progress: Progress,
    limits: Limits,
) -> Result<ExitCode, Failure> {
    let names = if audit.profiles.is_empty() {
        let path = profiles::path()
            .ok_or_else(|| Failure::usage("no config file: set APIKEYS_CONFIG or HOME"))?;
        profiles::load(&path)?.profiles.into_keys().collect()
    } else {
        audit.profiles.clone()
    };
    if names.is_empty() {
        return Err(Failure::usage(
            "no profile to audit: add some to the config file (see apikeys profiles)",
        ));
    }
    let reads = names.iter().map(|name| read(name.clone(), limits));
    let results = progress
        .spin(
            format!("Reading the keys of {} targets", names.len()),
            join_all(reads),
        )
        .await;
    let clock = Clock::at(audit.report.as_of);
    let mut keys = Vec::new();
    let mut failures = Vec::new();
    let mut unreadable = Vec::new();
    let mut in_use = Vec::new();
    for (name, result) in names.iter().zip(results) {
        match result {
            Ok((found, cannot_read, used)) => {
                in_use.extend(used.map(|used| (name, used)));
                unreadable.extend(cannot_read.into_iter().map(|error| (name, error)));
                keys.extend(found.into_iter().filter(|key| {
                    audit
                        .filters
                        .expiring_within
                        .is_none_or(|window| clock.due_within(key, window))
                }));
            }
            Err(message) => failures.push(message),
        }
    }
    let target = Target {
        terminal: output::stdout_width(),
        csv_exact: audit.report.csv_exact,
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = output::write(
        &mut out,
        audit.report.output,
        target,
        &clock,
        || rows(&keys, &clock),
        &keys,
        &keys,
    )
    .and_then(|()| std::io::Write::flush(&mut out));
    match written {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            return Err(Failure::output(&error));
        }
        _ => {}
    }
    let mut verdict = Verdict::new(&audit.report);
    for (target, error) in &unreadable {
        verdict.unreadable_in(Some(target), error);
    }
    for key in &keys {
        verdict.judge(key, &clock);
    }
    // The key each Elastic Cloud target was read with, which the target's list no longer shows
    // once it has expired.
    for (name, used) in &in_use {
        let name = printable(name);
        match used {
            Ok(Some(key)) => {
                let warning = if key_in_use::soon(key, &clock) {
                    "warning: "
                } else {
                    ""
                };
                to_stderr(format_args!(
                    "{warning}{name}: the Elastic Cloud API key in use expires {}",
                    key_in_use::when(key, &clock)
                ));
                verdict.judge_expiry(key, &clock);
            }
            Ok(None) => to_stderr(format_args!(
                "{name}: Elastic Cloud did not say when the API key in use expires"
            )),
            Err(unreadable) => to_stderr(format_args!(
                "warning: {name}: when the API key in use expires is not known: {unreadable}"
            )),
        }
    }
    let status = verdict.finish();
    for failure in &failures {
        // Messages quote servers, which may send anything: escaped as every other error is.
        to_stderr(format_args!("error: {}", printable(failure)));
    }
    Ok(if failures.is_empty() {
        status
    } else {
        ExitCode::from(TARGET_FAILED)
    })
}
