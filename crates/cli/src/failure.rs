//! Why a run failed, in the words an operator needs, and the exit status that goes with it.

use std::fmt;
use std::process::ExitCode;

use elastic_apikeys_client::elasticsearch::types::Names;
use elastic_apikeys_client::{Error, ErrorBody};

use crate::connect::Trust;

/// The exit status of a request that failed.
const REQUEST_FAILED: u8 = 1;
/// The exit status of a command line or credentials that cannot be used; clap's own for usage
/// errors.
const USAGE: u8 = 2;
/// The exit status of `--fail-if-expiring` when a listed key expires within the window.
pub(crate) const EXPIRING: u8 = 3;
/// The exit status of a listed key that breaks a policy (`--require-expiration`, ...).
pub(crate) const POLICY_BREACHED: u8 = 4;
/// The exit status of a rotation that created the new key but left the old one active.
const HALF_DONE: u8 = 5;
/// The exit status of an audit that could not read every target.
pub(crate) const TARGET_FAILED: u8 = 6;
/// The exit status of a list in which a key could not be read (the others are reported).
pub(crate) const UNREADABLE: u8 = 7;
/// The exit status of a run ended by Ctrl-C: 128 plus SIGINT's number, as shells report it.
const INTERRUPTED: u8 = 130;

/// A failed run: the message for stderr and the exit status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    message: String,
    status: u8,
}

impl Failure {
    /// The command line or the environment cannot be used; nothing was sent.
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            status: USAGE,
        }
    }

    /// The request was sent and failed.
    pub(crate) fn request(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            status: REQUEST_FAILED,
        }
    }

    /// The program could not start its runtime.
    pub(crate) fn setup(error: &std::io::Error) -> Self {
        Self::request(format!("cannot start: {error}"))
    }

    /// A report could not be written to stdout.
    pub(crate) fn output(error: &std::io::Error) -> Self {
        Self::request(format!("cannot write the report: {error}"))
    }

    /// `what` could not be written.
    pub(crate) fn output_of(what: &str, error: &std::io::Error) -> Self {
        Self::request(format!("cannot write {what}: {error}"))
    }

    /// The server did part of what was asked, or none of it; `message` says what.
    pub(crate) fn partly_done(message: impl Into<String>) -> Self {
        Self::request(message)
    }

    /// A change that was done in part: `message` says what was done and what is left.
    pub(crate) fn half_done(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            status: HALF_DONE,
        }
    }

    /// stdout was closed before the run began (`>&-`): the report would be lost.
    pub(crate) fn stdout_closed() -> Self {
        Self::request(
            "stdout is closed, so the report would be lost; redirect it to a file or /dev/null instead",
        )
    }

    /// The table of a list that arrives key by key grew past `--max-body-size`: the table holds
    /// the text of every row until the end, and an answer without end must not exhaust memory.
    pub(crate) fn table_too_large(host: &str, limit: u64) -> Self {
        Self::request(format!(
            "the table of the keys from {host} grew past the limit of {} (--max-body-size); raise \
             the limit, ask for fewer keys, or use -o csv, json or jsonl, which hold no list",
            size(limit)
        ))
    }

    /// The run took longer than `--timeout`.
    pub(crate) fn timed_out(timeout: std::time::Duration) -> Self {
        Self::request(format!(
            "no complete answer within {} (--timeout); raise it for very long key lists or slow links",
            humantime::format_duration(timeout)
        ))
    }

    /// The run was interrupted (Ctrl-C). It says nothing, as shells show the `^C` already.
    pub(crate) fn interrupted() -> Self {
        Self {
            message: String::new(),
            status: INTERRUPTED,
        }
    }

    /// The same failure, with `advice` after its message.
    pub(crate) fn with_advice(mut self, advice: &str) -> Self {
        if self.message.is_empty() {
            self.message = advice.to_string();
        } else {
            self.message = format!("{}; {advice}", self.message);
        }
        self
    }

    pub(crate) fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.status)
    }

    /// The failure of a request to the Elasticsearch cluster at `host`, trusted by `trust`.
    pub(crate) fn elasticsearch(error: Error, host: &str, trust: Trust) -> Self {
        Self::from_client(error, host, trust, "ELASTICSEARCH_URL or --url")
    }

    /// The failure of a request to Elastic Cloud at `host`, trusted by `trust`.
    pub(crate) fn cloud(error: Error, host: &str, trust: Trust) -> Self {
        Self::from_client(error, host, trust, "EC_API_URL or --url")
    }

    /// `url_setting` names where the base URL is set, for a redirect's advice.
    fn from_client(error: Error, host: &str, trust: Trust, url_setting: &str) -> Self {
        if error.status().is_some_and(|status| status == 401) {
            let reason = error
                .api_error()
                .map(|answer| rejection_reason(answer.body()))
                // A proxy's page, or no body at all.
                .unwrap_or_default();
            return rejected(host, &reason);
        }
        match error {
            Error::RequestRule(violation) => Self::usage(violation.to_string()),
            // Advice in the terms of this command line: which flag takes the CA.
            Error::Tls {
                url,
                kind,
                reason,
                advice,
                ..
            } => Self::request(trust.tls_failure(&url, kind, &reason, advice)),
            Error::Redirect {
                status, location, ..
            } => Self::request(format!(
                "{host} answered HTTP {status}, a redirect to {}; apikeys does not follow \
                 redirects, so that credentials never go to another address. If the service has \
                 moved there, set {url_setting} to it",
                location
                    .as_deref()
                    .unwrap_or("nowhere (no Location header)")
            )),
            Error::BodyTooLarge {
                limit, declared, ..
            } => Self::request(format!(
                "the answer from {host} {} the limit of {} (--max-body-size); raise the limit, or \
                 ask for fewer keys",
                match declared {
                    Some(length) => format!("is {}, over", size(length)),
                    None => "grew past".to_string(),
                },
                size(limit)
            )),
            // An error of a streamed body (`send_stream()`) comes without the URL of its
            // request: the host is named here instead of nothing.
            Error::Transport { url, reason } if url.is_empty() => {
                Self::request(format!("the exchange with {host} broke off: {reason}"))
            }
            Error::Timeout { url } if url.is_empty() => {
                Self::request(format!("no answer from {host} within the timeout"))
            }
            // The client's own wording says which host and why, without credentials.
            error => Self::request(error.to_string()),
        }
    }
}

/// Why the service rejected the credentials, in the words of its answer.
fn rejection_reason(body: &ErrorBody) -> String {
    match body {
        ErrorBody::Elasticsearch(answer) => {
            let cause = &answer.error;
            let reason = cause.reason.as_deref().unwrap_or(&cause.type_);
            // Why each credential failed, such as "API key: api key is expired": the part of
            // the answer that tells an operator what to fix.
            match &cause.additional_unsuccessful_credentials {
                Some(Names::One(detail)) => format!("{reason} ({detail})"),
                Some(Names::Many(details)) if !details.is_empty() => {
                    format!("{reason} ({})", details.join("; "))
                }
                _ => reason.to_string(),
            }
        }
        ErrorBody::Cloud(reply) => reply
            .errors
            .iter()
            .map(|e| e.message.as_str())
            .collect::<Vec<_>>()
            .join("; "),
        other => other.codes().join(", "),
    }
}

/// `bytes` in the largest binary unit that holds it exactly (`256 MiB`), or in bytes.
fn size(bytes: u64) -> String {
    for (unit, shift) in [("GiB", 30), ("MiB", 20), ("KiB", 10)] {
        if bytes >= 1 << shift && bytes.is_multiple_of(1 << shift) {
            return format!("{} {unit}", bytes >> shift);
        }
    }
    format!("{bytes} bytes")
}

/// `credentials rejected by <host>: <reason>`.
fn rejected(host: &str, reason: &str) -> Failure {
    let reason = if reason.is_empty() {
        "the server gave no reason"
    } else {
        reason
    };
    Failure::request(format!("credentials rejected by {host}: {reason}"))
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::size;

    #[test]
    fn sizes_read_as_they_are_written() {
        assert_eq!(size(256 << 20), "256 MiB");
        assert_eq!(size(2 << 30), "2 GiB");
        assert_eq!(size(10_737_418_240), "10 GiB");
        assert_eq!(size(1000), "1000 bytes");
        assert_eq!(size(1536), "1536 bytes");
    }
}
