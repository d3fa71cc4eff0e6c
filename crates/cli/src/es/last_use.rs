//! `--last-used` and `--max-idle`: each key's last use, read from the audit events before the
//! keys are listed (`elastic_apikeys_client::elasticsearch::last_used`), shown beside each key
//! and judged by the idle-key policy.

use std::io::{self, Write};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use elastic_apikeys_client::elasticsearch::Client;
use elastic_apikeys_client::elasticsearch::last_used::{AuditEvents, LastUse, LastUseError, Usage};
use elastic_apikeys_client::elasticsearch::types::ApiKey;
use serde::Serialize;

use crate::args::{AuditShipper, Cli, LastUseArgs, Service};
use crate::connect::{self, Connection, Limits};
use crate::expiry::{Clock, Lifetime, Status};
use crate::failure::Failure;
use crate::output::{Cell, Column, Streamed};
use crate::policy::{days, delta};
use crate::report::Verdict;
use crate::spinner::Progress;
use crate::text::printable;

use super::view;

/// The last use of every key, and the idle-key policy to judge them by.
pub(crate) struct LastUses {
    last_use: LastUse,
    max_idle: Option<Duration>,
}

/// The member a key's JSON gains: the time of its last use, or null and since when it was not
/// seen.
#[derive(Debug, Serialize)]
pub(crate) struct LastUsed {
    last_used: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    not_seen_since: Option<String>,
}

/// A key with its last use, for JSON: the key's own members, then `last_used`.
#[derive(Serialize)]
struct WithLastUse<'a> {
    #[serde(flatten)]
    key: &'a ApiKey,
    #[serde(flatten)]
    last_used: LastUsed,
}

fn rfc3339(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Reads the last use of every key, if `wanted` asks for it, from the events of the cluster of
/// `--audit-profile`, or else of `listed`, over the window that ends at `clock`'s now. A source
/// that cannot answer fails the run, so that no key is called unused on missing data; so does
/// one whose events cover less than `--max-idle`.
pub(crate) async fn read(
    wanted: &LastUseArgs,
    listed: Option<&Connection<Client>>,
    clock: &Clock,
    limits: Limits,
    progress: &Progress,
) -> Result<Option<LastUses>, Failure> {
    if !wanted.wanted() {
        return Ok(None);
    }
    let own;
    let source = match (&wanted.audit_profile, listed) {
        (Some(profile), _) => {
            own = audit_connection(profile, limits).await?;
            &own
        }
        (None, Some(listed)) => listed,
        (None, None) => return Err(Failure::usage("--last-used needs --audit-profile here")),
    };
    let mut events = match wanted.audit_shipper {
        AuditShipper::ElasticAgent => AuditEvents::elastic_agent(),
        AuditShipper::Filebeat => AuditEvents::filebeat(),
    };
    if let Some(index) = &wanted.audit_index {
        events = events.with_index(index);
    }
    if let Some(field) = &wanted.audit_id_field {
        events = events.with_id_field(field);
    }
    let window = wanted
        .last_used_window
        .max(wanted.max_idle.unwrap_or_default());
    let since = before(clock.now, window);
    tracing::debug!(index = %events.index, since = %rfc3339(since), "reading the last use of each key");
    let read = LastUse::read(&source.client, &events, since);
    let last_use = progress
        .spin(
            format!("Reading the last use of each key on {}", source.host),
            read,
        )
        .await
        .map_err(|error| match error {
            LastUseError::Request(error) => {
                Failure::elasticsearch(*error, &source.host, source.trust)
            }
            LastUseError::TextField { ref field, .. } => {
                let advice = format!("give --audit-id-field {}.keyword", printable(field));
                unknown(&error).with_advice(&advice)
            }
            other => unknown(&other),
        })?;
    if let Some(max_idle) = wanted.max_idle
        && last_use.covered_since() > before(clock.now, max_idle)
    {
        return Err(Failure::request(format!(
            "the audit events in [{}] start at {}, less than --max-idle {} ago: no key can be \
             called idle on them; wait until they cover it, or give a shorter --max-idle",
            printable(&events.index),
            rfc3339(last_use.covered_since()),
            days(max_idle)
        )));
    }
    Ok(Some(LastUses {
        last_use,
        max_idle: wanted.max_idle,
    }))
}

/// The run's failure when the events cannot say when keys were last used.
fn unknown(error: &LastUseError) -> Failure {
    Failure::request(format!(
        "the last use of the keys is unknown: {}",
        printable(&error.to_string())
    ))
}

/// The connection to the cluster of `profile`, made exactly as `apikeys es --profile NAME`
/// makes it (and as `audit` opens its targets): its URL, credentials and TLS.
async fn audit_connection(profile: &str, limits: Limits) -> Result<Connection<Client>, Failure> {
    let cli =
        <Cli as clap::Parser>::try_parse_from(["apikeys", "es", "--profile", profile, "list"])
            .map_err(|e| Failure::usage(e.to_string()))?;
    let Service::Es(args) = cli.service else {
        return Err(Failure::usage(
            "--audit-profile names an Elasticsearch profile",
        ));
    };
    let args = crate::profiles::apply_es(args, limits).await?;
    connect::elasticsearch(&args, limits)
}

/// The columns of a report of keys, with the last use if it was read.
pub(crate) fn headers(last_uses: Option<&LastUses>) -> &'static [Column] {
    match last_uses {
        Some(_) => view::HEADERS_WITH_LAST_USE,
        None => view::HEADERS,
    }
}

/// Judges `key` by the idle-key policy, if one was given.
pub(crate) fn judge(
    last_uses: Option<&LastUses>,
    key: &impl Lifetime,
    clock: &Clock,
    verdict: &mut Verdict,
) {
    if let Some(breach) = last_uses.and_then(|uses| uses.breach(key, clock)) {
        verdict.breach(breach);
    }
}

/// Writes `key` to `report`, with its last use if it was read: a last column, a last member.
pub(crate) fn push(
    report: &mut Streamed<impl Write>,
    key: &ApiKey,
    clock: &Clock,
    last_uses: Option<&LastUses>,
) -> io::Result<()> {
    match last_uses {
        None => report.push(key, || view::row(key, clock), clock),
        Some(uses) => report.push(
            &WithLastUse {
                key,
                last_used: uses.member(&key.id),
            },
            || {
                let mut row = view::row(key, clock);
                row.push(uses.cell(&key.id));
                row
            },
            clock,
        ),
    }
}

impl LastUses {
    /// The cell of `id` in a LAST USED column (the last of
    /// [`super::view::HEADERS_WITH_LAST_USE`]).
    pub(crate) fn cell(&self, id: &str) -> Cell {
        match self.last_use.of(id) {
            Usage::Seen(at) => Cell::Time(Some(at), ""),
            Usage::NotSeenSince(since) => {
                Cell::text(format!("not seen since {}", since.format("%Y-%m-%d %H:%M")))
            }
        }
    }

    /// The member `id`'s JSON gains.
    pub(crate) fn member(&self, id: &str) -> LastUsed {
        match self.last_use.of(id) {
            Usage::Seen(at) => LastUsed {
                last_used: Some(rfc3339(at)),
                not_seen_since: None,
            },
            Usage::NotSeenSince(since) => LastUsed {
                last_used: None,
                not_seen_since: Some(rfc3339(since)),
            },
        }
    }

    /// The idle-key policy's finding on `key`, as `<id>: <reason>`: an active key created more
    /// than `--max-idle` ago and not seen within it. [`read`] made sure the events cover that
    /// long.
    fn breach(&self, key: &impl Lifetime, clock: &Clock) -> Option<String> {
        let max_idle = self.max_idle?;
        if clock.status(key) != Status::Active {
            return None;
        }
        let cutoff = before(clock.now, max_idle);
        let old_enough = key.created_at().is_some_and(|created| created <= cutoff);
        match self.last_use.of(key.id()) {
            Usage::NotSeenSince(since) if old_enough && since <= cutoff => Some(format!(
                "{}: not used since {} at least, longer than --max-idle {}",
                printable(key.id()),
                since.format("%Y-%m-%d"),
                days(max_idle)
            )),
            Usage::Seen(at) if old_enough && at <= cutoff => Some(format!(
                "{}: last used {}, longer ago than --max-idle {}",
                printable(key.id()),
                at.format("%Y-%m-%d"),
                days(max_idle)
            )),
            _ => None,
        }
    }
}

/// `now` less `duration`, or the earliest time there is for a duration longer than all time.
fn before(now: DateTime<Utc>, duration: Duration) -> DateTime<Utc> {
    now.checked_sub_signed(delta(duration))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}
