//! The end of every command: the report on stdout, then the `--fail-if-expiring` check.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use elastic_apikeys_client::{Error, ItemError, ItemStream, StreamError};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::args::Report;
use crate::expiry::{Clock, Lifetime};
use crate::failure::{EXPIRING, Failure, POLICY_BREACHED, UNREADABLE};
use crate::output::{self, Rows, Target};
use crate::text::{count, printable, thousands, to_stderr};

/// How many ids the `--fail-if-expiring` message names before it counts the rest.
const NAMED: usize = 10;

/// Writes `keys` in the format asked for (`rows` for a table or CSV, `model` for JSON), then
/// exits with [`EXPIRING`] if `--fail-if-expiring` was given and one of them, or the key `in_use`
/// that made the request, is due within it, or with [`UNREADABLE`] if the list had `unreadable`
/// keys beside them.
pub(crate) fn finish<K: Lifetime + Serialize>(
    keys: &[K],
    report: &Report,
    clock: &Clock,
    rows: impl FnOnce() -> Rows,
    model: &impl Serialize,
    unreadable: &[ItemError],
    in_use: Option<&impl Lifetime>,
) -> Result<ExitCode, Failure> {
    // A terminal gets a table that fits it and escaped CSV; a pipe or a file gets every value
    // whole, exactly as sent.
    let target = Target {
        terminal: output::stdout_width(),
        csv_exact: report.csv_exact,
    };
    let mut out = BufWriter::new(io::stdout().lock());
    let written = output::write(&mut out, report.output, target, clock, rows, model, keys)
        .and_then(|()| out.flush());
    match written {
        // A reader that stopped early (`apikeys es list | head`) is not a failure, whatever the
        // format; the `--fail-if-expiring` check below still decides the exit status.
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => {}
        Err(error) => return Err(Failure::output(&error)),
        Ok(()) => {}
    }
    let mut verdict = Verdict::new(report);
    for error in unreadable {
        verdict.unreadable(error);
    }
    for key in keys {
        verdict.judge(key, clock);
    }
    if let Some(key) = in_use {
        verdict.judge_expiry(key, clock);
    }
    Ok(verdict.finish())
}

/// Every key of `stream`, and apart from them those the models could not read; any other error
/// ends the read. What it keeps is bounded by `max_body_size`, whatever the server sends.
pub(crate) async fn read_all<T: DeserializeOwned>(
    stream: ItemStream<T>,
    max_body_size: u64,
) -> Result<(Vec<T>, Vec<ItemError>), Error> {
    use futures_util::StreamExt;

    let mut stream = stream.with_max_body_size(max_body_size);
    let mut keys = Vec::new();
    let mut unreadable = Vec::new();
    while let Some(key) = stream.next().await {
        match key {
            Ok(key) => keys.push(key),
            Err(Error::Stream(StreamError::Decode(error))) => unreadable.push(error),
            Err(error) => return Err(error),
        }
    }
    Ok((keys, unreadable))
}

/// What the checks of a report (`--fail-if-expiring` and the policies) find, key by key, and the
/// exit status they make: keys that could not be read (status 7), whose expiry and policies no
/// check could see, before keys that break a policy (4), before keys that expire (3).
pub(crate) struct Verdict {
    window: Option<std::time::Duration>,
    policies: crate::args::Policies,
    expiring: Vec<String>,
    breaches: Vec<String>,
    unreadable: u64,
}

impl Verdict {
    pub(crate) fn new(report: &Report) -> Self {
        Self {
            window: report.fail_if_expiring,
            policies: report.policies,
            expiring: Vec::new(),
            breaches: Vec::new(),
            unreadable: 0,
        }
    }

    /// A listed key the models could not read: said on stderr at once, and counted for the
    /// exit status.
    pub(crate) fn unreadable(&mut self, error: &ItemError) {
        self.unreadable_in(None, error);
    }

    /// An element of a streamed list: the key, or `None` for a key the models could not read
    /// (said and counted here, [`unreadable`](Self::unreadable)); any other error is the run's
    /// failure, in `failed`'s words.
    pub(crate) fn readable<T>(
        &mut self,
        item: Result<T, Error>,
        failed: impl FnOnce(Error) -> Failure,
    ) -> Result<Option<T>, Failure> {
        match item {
            Ok(key) => Ok(Some(key)),
            Err(Error::Stream(StreamError::Decode(error))) => {
                self.unreadable(&error);
                Ok(None)
            }
            Err(error) => Err(failed(error)),
        }
    }

    /// [`unreadable`](Self::unreadable), for a key of the audit's `target`.
    pub(crate) fn unreadable_in(&mut self, target: Option<&str>, error: &ItemError) {
        self.unreadable += 1;
        to_stderr(unreadable_message(target, error));
    }

    /// Checks one listed key.
    pub(crate) fn judge(&mut self, key: &impl Lifetime, clock: &Clock) {
        self.judge_expiry(key, clock);
        if self.policies.any() {
            self.breaches.extend(self.policies.breaches(key, clock));
        }
    }

    /// A listed key that breaks a policy judged elsewhere (`--max-idle`), as `<id>: <reason>`.
    pub(crate) fn breach(&mut self, breach: String) {
        self.breaches.push(breach);
    }

    /// Checks a key that was not listed (the one a run uses) against `--fail-if-expiring` only:
    /// the policies judge the keys of the report.
    pub(crate) fn judge_expiry(&mut self, key: &impl Lifetime, clock: &Clock) {
        if self
            .window
            .is_some_and(|window| clock.due_within(key, window))
        {
            self.expiring.push(key.id().to_string());
        }
    }

    /// Says on stderr what was found, and gives the exit status.
    pub(crate) fn finish(self) -> ExitCode {
        if let Some(window) = self.window
            && !self.expiring.is_empty()
        {
            let ids: Vec<&str> = self.expiring.iter().map(String::as_str).collect();
            to_stderr(expiring_message(&ids, window));
        }
        for breach in &self.breaches {
            to_stderr(format_args!("policy: {breach}"));
        }
        if self.unreadable > 0 {
            to_stderr(format_args!(
                "{} could not be read; every other key is in the report",
                count(self.unreadable as usize, "API key")
            ));
            ExitCode::from(UNREADABLE)
        } else if !self.breaches.is_empty() {
            ExitCode::from(POLICY_BREACHED)
        } else if !self.expiring.is_empty() {
            ExitCode::from(EXPIRING)
        } else {
            ExitCode::SUCCESS
        }
    }
}

/// What is said of a listed key the models could not read: its target (in an audit), its
/// position, its id when that could be read, and why; never its JSON, which the report's reader
/// did not ask for.
fn unreadable_message(target: Option<&str>, error: &ItemError) -> String {
    let target = target
        .map(|target| format!("{}: ", printable(target)))
        .unwrap_or_default();
    let id = error
        .id()
        .map(|id| format!(" {}", printable(id)))
        .unwrap_or_default();
    format!(
        "error: {target}API key{id} (number {} of the list) could not be read and is not in \
         the report: {}",
        thousands((error.index() + 1) as usize),
        printable(error.reason())
    )
}

/// `2 API keys expire within 7d, or expired already: a, b`, naming the first [`NAMED`] ids and
/// counting the rest, so that thousands of due keys make a line a person can read (the report
/// on stdout lists them all).
pub(crate) fn expiring_message(ids: &[&str], window: std::time::Duration) -> String {
    let named = ids.get(..NAMED).unwrap_or(ids);
    let mut list = named.join(", ");
    if ids.len() > named.len() {
        list.push_str(&format!(" and {} more", thousands(ids.len() - named.len())));
    }
    format!(
        "{} {} within {}, or expired already: {}",
        count(ids.len(), "API key"),
        if ids.len() == 1 { "expires" } else { "expire" },
        compact(window),
        printable(&list)
    )
}

/// `window` as an operator writes it: `7d`, `1d 12h`, `90s`.
fn compact(window: std::time::Duration) -> String {
    let mut seconds = window.as_secs();
    let mut parts = Vec::new();
    for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] {
        if seconds >= size {
            parts.push(format!("{}{unit}", seconds / size));
            seconds %= size;
        }
    }
    if parts.is_empty() {
        parts.push("0s".to_string());
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{compact, expiring_message};

    #[test]
    fn windows_read_as_they_were_written() {
        assert_eq!(compact(Duration::from_secs(7 * 86_400)), "7d");
        assert_eq!(compact(Duration::from_secs(36 * 3600)), "1d 12h");
        assert_eq!(compact(Duration::from_secs(90)), "1m 30s");
        assert_eq!(compact(Duration::from_millis(500)), "0s");
    }

    const WEEK: Duration = Duration::from_secs(7 * 86_400);

    #[test]
    fn a_few_due_keys_are_all_named() {
        assert_eq!(
            expiring_message(&["a"], WEEK),
            "1 API key expires within 7d, or expired already: a"
        );
        let ten: Vec<String> = (1..=10).map(|i| format!("k{i}")).collect();
        let ten: Vec<&str> = ten.iter().map(String::as_str).collect();
        assert_eq!(
            expiring_message(&ten, WEEK),
            "10 API keys expire within 7d, or expired already: \
             k1, k2, k3, k4, k5, k6, k7, k8, k9, k10"
        );
    }

    #[test]
    fn thousands_of_due_keys_name_ten_and_count_the_rest() {
        let ids: Vec<String> = (0..20_000).map(|i| format!("{i:020}")).collect();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let message = expiring_message(&ids, WEEK);
        let first_ten = ids[..10].join(", ");
        assert_eq!(
            message,
            format!(
                "20,000 API keys expire within 7d, or expired already: {first_ten} and 19,990 more"
            )
        );
        assert!(!message.contains(ids[10]));
        assert!(message.len() < 400, "{} bytes", message.len());
    }

    #[test]
    fn ids_in_the_message_are_escaped() {
        assert_eq!(
            expiring_message(&["x\u{1b}[2J"], WEEK),
            "1 API key expires within 7d, or expired already: x\\u{1b}[2J"
        );
    }
}
