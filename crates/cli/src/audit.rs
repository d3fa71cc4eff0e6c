//! `apikeys audit`: the keys of several targets in one report, written as they arrive.
//!
//! Each target is a profile of the config file, connected exactly as `--profile` connects it,
//! and read as `es list` reads (only the members the report needs, in pages where the cluster
//! has the query API) or as `cloud list` streams. A target that cannot be read is reported on
//! stderr and does not hide the others; the exit status then says the audit is incomplete.

use std::process::ExitCode;

use chrono::{DateTime, Utc};
use elastic_apikeys_client::transport::InvalidHeader;
use elastic_apikeys_client::{Error, StreamError};
use serde::Serialize;

use crate::args::{Audit, Cli, Output, Service as Command};
use crate::cloud::key_in_use::{self, KeyInUse};
use crate::connect::{self, Limits};
use crate::es;
use crate::es::last_use::{LastUsed, LastUses};
use crate::expiry::{Clock, Lifetime};
use crate::failure::{Failure, TARGET_FAILED};
use crate::output::{self, Cell, Column, Streamed, Target};
use crate::profiles::{self, Service};
use crate::report::Verdict;
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
    /// With `--last-used`, of an Elasticsearch key: its last use.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    last_used: Option<LastUsed>,
    /// The cell of its LAST USED column, with `--last-used`.
    #[serde(skip)]
    last_used_cell: Option<Cell>,
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

/// The columns of every key's row, then `$extra`.
macro_rules! audit_columns {
    ($($extra:expr),*) => {
        &[
            Column::whole("TARGET", "target"),
            Column::whole("ID", "id"),
            Column::text("NAME", "name", 4),
            Column::text("OWNER", "owner", 3),
            Column::time("CREATED (UTC)", "created", Some(5)),
            Column::time("EXPIRES (UTC)", "expires", None),
            Column::whole("STATUS", "status"),
            $($extra),*
        ]
    };
}

const HEADERS: &[Column] = audit_columns!();

/// [`HEADERS`], and each Elasticsearch key's last use (`--last-used`).
const HEADERS_WITH_LAST_USE: &[Column] =
    audit_columns!(Column::time("LAST USED (UTC)", "last_used", None));

/// The cells of `key`'s row, under [`HEADERS`], or [`HEADERS_WITH_LAST_USE`] when it has a
/// last-use cell.
fn row(key: &Key, clock: &Clock) -> Vec<Cell> {
    let mut row = vec![
        Cell::text(&key.target),
        Cell::text(&key.id),
        Cell::Text(key.name.clone()),
        Cell::Text(key.owner.clone()),
        Cell::Time(key.created, ""),
        Cell::Time(key.expires, "never"),
        Cell::text(clock.status(key).as_str()),
    ];
    row.extend(key.last_used_cell.clone());
    row
}

/// The row text an audit's table holds before it writes rows under the layout of the rows so
/// far: about 40,000 keys.
const TABLE_HELD: usize = 4 << 20;

/// A target, connected as `--profile name` would connect it.
enum Opened {
    Es(connect::Connection<elastic_apikeys_client::elasticsearch::Client>),
    Cloud(connect::Connection<elastic_apikeys_client::cloud::Client>),
}

/// Connects to the target `name` as `--profile name` would; the error is the message for it.
async fn open(name: &str, limits: Limits) -> Result<Opened, String> {
    let failed = |failure: Failure| format!("{}: {failure}", printable(name));
    let path = profiles::path().ok_or_else(|| failed(Failure::usage("no config file")))?;
    let service = profiles::load(&path)
        .map_err(failed)?
        .profiles
        .get(name)
        .map(|profile| profile.service)
        .ok_or_else(|| failed(Failure::usage("no such profile")))?;
    // The command line `--profile` would be: everything else comes from the profile.
    let module = match service {
        Service::Cloud => "cloud",
        Service::Elasticsearch => "es",
    };
    let cli = <Cli as clap::Parser>::try_parse_from(["apikeys", module, "--profile", name, "list"])
        .map_err(|e| failed(Failure::usage(e.to_string())))?;
    match cli.service {
        Command::Es(args) => {
            let args = profiles::apply_es(args, limits).await.map_err(failed)?;
            Ok(Opened::Es(
                connect::elasticsearch(&args, limits).map_err(failed)?,
            ))
        }
        Command::Cloud(args) => {
            let args = profiles::apply_cloud(args, limits).await.map_err(failed)?;
            Ok(Opened::Cloud(
                connect::cloud(&args, limits).map_err(failed)?,
            ))
        }
        _ => Err(failed(Failure::usage("not a listing"))),
    }
}

/// The report of an audit, written a key at a time, and what its checks find.
struct Report<'a> {
    audit: &'a Audit,
    clock: Clock,
    /// With `--audit-profile`: the last use of every target's keys, read once.
    shared_last_uses: Option<LastUses>,
    limits: Limits,
    report: Streamed<std::io::BufWriter<std::io::StdoutLock<'static>>>,
    verdict: Verdict,
    /// Whether the reader has gone (`| head`): keys are still judged, no longer written.
    gone: bool,
}

impl Report<'_> {
    /// Judges `key` (by the idle-key policy too, with `uses`) and writes it, if the filters
    /// keep it.
    fn key(&mut self, key: &Key, uses: Option<&LastUses>) -> Result<(), Failure> {
        let keep = self
            .audit
            .filters
            .expiring_within
            .is_none_or(|window| self.clock.due_within(key, window));
        if !keep {
            return Ok(());
        }
        self.verdict.judge(key, &self.clock);
        es::last_use::judge(uses, key, &self.clock, &mut self.verdict);
        if self.gone {
            return Ok(());
        }
        let clock = &self.clock;
        match self.report.push(key, || row(key, clock), clock) {
            Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => self.gone = true,
            Err(error) => return Err(Failure::output(&error)),
            Ok(()) => {}
        }
        Ok(())
    }

    /// Reads the keys of one target into the report, as they arrive; `Err` is the message of a
    /// target that could not be read to its end (the keys before the break are in the report).
    /// For an Elastic Cloud target, what its answer told of the key the audit used.
    async fn target(
        &mut self,
        name: &str,
        opened: Opened,
    ) -> Result<Result<Option<Result<Option<KeyInUse>, InvalidHeader>>, String>, Failure> {
        use futures_util::StreamExt;

        let service = match &opened {
            Opened::Es(_) => Service::Elasticsearch,
            Opened::Cloud(_) => Service::Cloud,
        };
        let failed = |failure: Failure| format!("{}: {failure}", printable(name));
        match opened {
            Opened::Es(connection) => {
                let host = &connection.host;
                let error = |e| failed(Failure::elasticsearch(e, host, connection.trust));
                // The target's own audit events, unless all targets share those of
                // `--audit-profile`: a target whose events cannot answer is a failed target.
                let own = match &self.shared_last_uses {
                    Some(_) => None,
                    None => {
                        // The audit's own spinner covers it.
                        let quiet = Progress::quiet();
                        let read = es::last_use::read(
                            &self.audit.last_use,
                            Some(&connection),
                            &self.clock,
                            self.limits,
                            &quiet,
                        );
                        match read.await {
                            Ok(own) => own,
                            Err(failure) => return Ok(Err(failed(failure))),
                        }
                    }
                };
                // Every column, the status and the policies read only these members.
                let filter = es::listing::filter_path(false);
                let selection = es::listing::Selection::default();
                let keys = es::listing::keys(&connection.client, &selection, filter.as_deref());
                let mut keys = match keys.await {
                    Ok(keys) => keys,
                    Err(e) => return Ok(Err(error(e))),
                };
                // Lent to this target's keys, and put back for the next target.
                let shared = self.shared_last_uses.take();
                let uses = own.as_ref().or(shared.as_ref());
                let outcome = loop {
                    match keys.next().await {
                        None => break Ok(Ok(None)),
                        Some(Ok(key)) => {
                            let key = Key {
                                target: name.to_string(),
                                service,
                                created: key.created_at(),
                                expires: key.expires_at(),
                                owner: Some(format!("{} ({})", key.username, key.realm)),
                                name: key.name.map(String::from),
                                invalidated: key.invalidated,
                                last_used: uses.map(|uses| uses.member(&key.id)),
                                last_used_cell: uses.map(|uses| uses.cell(&key.id)),
                                id: key.id.into(),
                            };
                            if let Err(failure) = self.key(&key, uses) {
                                break Err(failure);
                            }
                        }
                        Some(Err(Error::Stream(StreamError::Decode(unreadable)))) => {
                            self.verdict.unreadable_in(Some(name), &unreadable);
                        }
                        Some(Err(e)) => break Ok(Err(error(e))),
                    }
                };
                self.shared_last_uses = shared;
                outcome
            }
            Opened::Cloud(connection) => {
                let host = &connection.host;
                let error = |e| failed(Failure::cloud(e, host, connection.trust));
                let wants_last_use = self.audit.last_use.wanted();
                let answer = match connection.client.get_api_keys().send_stream().await {
                    Ok(answer) => answer,
                    Err(e) => return Ok(Err(error(e))),
                };
                let in_use = key_in_use::read(
                    answer.headers(),
                    format!("{}: the API key in use", printable(name)),
                );
                let mut keys = answer.into_inner();
                while let Some(key) = keys.next().await {
                    match key {
                        Ok(key) => self.key(
                            &Key {
                                target: name.to_string(),
                                service,
                                created: Some(key.creation_date),
                                expires: key.expiration_date,
                                owner: key.user_id.map(String::from),
                                name: Some(key.description.into()),
                                invalidated: false,
                                last_used: None,
                                // Elastic Cloud keys have no audit events: an empty cell.
                                last_used_cell: wants_last_use.then_some(Cell::Text(None)),
                                id: key.id.into(),
                            },
                            None,
                        )?,
                        Err(Error::Stream(StreamError::Decode(unreadable))) => {
                            self.verdict.unreadable_in(Some(name), &unreadable);
                        }
                        Err(e) => return Ok(Err(error(e))),
                    }
                }
                Ok(Ok(Some(in_use)))
            }
        }
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
    let target = Target {
        terminal: output::stdout_width(),
        csv_exact: audit.report.csv_exact,
    };
    let format = audit.report.output;
    // Many targets may hold millions of keys: the table lays out its columns from its first
    // rows and writes the rest under that layout, so that memory holds a few MB of rows.
    let clock = Clock::at(audit.report.as_of);
    // One source for every target's keys: read before any target, and a failure fails the run.
    let shared_last_uses = match &audit.last_use.audit_profile {
        Some(_) => es::last_use::read(&audit.last_use, None, &clock, limits, &progress).await?,
        None => None,
    };
    let headers = if audit.last_use.wanted() {
        HEADERS_WITH_LAST_USE
    } else {
        HEADERS
    };
    let report = Streamed::start(output::report_stdout(), format, headers, target, None)
        .map_err(|e| Failure::output(&e))?
        // `--max-body-size` bounds what it holds, as it bounds `es list`'s table.
        .spilling_at(TABLE_HELD.min(usize::try_from(limits.max_body_size).unwrap_or(usize::MAX)));
    let mut report = Report {
        audit: &audit,
        clock,
        shared_last_uses,
        limits,
        report,
        verdict: Verdict::new(&audit.report),
        gone: false,
    };
    let mut failures = Vec::new();
    let mut in_use = Vec::new();
    // The targets in turn, each read as its keys arrive (pages of the query API, or a streamed
    // list): memory holds one page and the report's own state, however many targets and keys.
    let each = async {
        for name in &names {
            match open(name, limits).await {
                Ok(opened) => match report.target(name, opened).await? {
                    Ok(used) => in_use.extend(used.map(|used| (name, used))),
                    Err(message) => failures.push(message),
                },
                Err(message) => failures.push(message),
            }
        }
        Ok::<(), Failure>(())
    };
    // The table shows nothing before the last key: the spinner says that the keys are coming.
    if format == Output::Table {
        progress
            .spin(format!("Reading the keys of {} targets", names.len()), each)
            .await?;
    } else {
        each.await?;
    }
    let Report {
        report,
        mut verdict,
        gone,
        clock,
        ..
    } = report;
    if !gone {
        match report.finish() {
            Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
                return Err(Failure::output(&error));
            }
            _ => {}
        }
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
