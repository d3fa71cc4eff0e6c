//! Why a run failed, in the words an operator needs, and the exit status that goes with it.

use std::fmt;
use std::process::ExitCode;

use elastic_apikeys_client::Error;
use elastic_apikeys_client::models::{cloud::BasicFailedReply, elasticsearch::ErrorResponse};
use elastic_apikeys_client::transport::ErrorBody;

/// The exit status of a request that failed.
const REQUEST_FAILED: u8 = 1;
/// The exit status of a command line or credentials that cannot be used; clap's own for usage
/// errors.
const USAGE: u8 = 2;
/// The exit status of `--fail-if-expiring` when a listed key expires within the window.
pub(crate) const EXPIRING: u8 = 3;

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
    fn request(message: impl Into<String>) -> Self {
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

    pub(crate) fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.status)
    }

    /// The failure of a request to the Elasticsearch cluster at `host`.
    pub(crate) fn elasticsearch(error: Error<ErrorResponse>, host: &str) -> Self {
        if error.status().is_some_and(|status| status == 401) {
            let reason = match &error {
                Error::ErrorResponse(response) => {
                    let cause = &response.error;
                    let reason = cause.reason.as_deref().unwrap_or(&cause.type_);
                    // Why each credential failed, such as "API key: api key is expired": the
                    // part of the answer that tells an operator what to fix.
                    match cause
                        .extra
                        .get("additional_unsuccessful_credentials")
                        .and_then(|value| value.as_str())
                    {
                        Some(detail) => format!("{reason} ({detail})"),
                        None => reason.to_string(),
                    }
                }
                // A proxy's page, or no body at all.
                _ => String::new(),
            };
            return rejected(host, &reason);
        }
        Self::from_client(error)
    }

    /// The failure of a request to Elastic Cloud at `host`. `id` is the key asked for, if one
    /// was.
    pub(crate) fn cloud(error: Error<BasicFailedReply>, host: &str, id: Option<&str>) -> Self {
        let codes = error.codes();
        if error.status().is_some_and(|status| status == 401) {
            let reason = match &error {
                Error::ErrorResponse(reply) => reply
                    .errors
                    .iter()
                    .map(|e| e.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
                _ => codes.join(", "),
            };
            return rejected(host, &reason);
        }
        if let (Some(id), true) = (id, codes.contains(&"api_keys.key_not_found")) {
            return Self::request(format!("no API key with id [{id}]"));
        }
        Self::from_client(error)
    }

    fn from_client<E: ErrorBody>(error: Error<E>) -> Self {
        match error {
            Error::RequestRule(violation) => Self::usage(violation.to_string()),
            // The client's own wording says which host and why, without credentials.
            error => Self::request(error.to_string()),
        }
    }
}

/// "credentials rejected by <host>: <reason>".
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
