//! A new key's secret, handed over once: to stdout, or to a new file only its owner can read.
//! Every command that creates a key (`create`, `rotate`, of both services) goes through here:
//! [`get_ready`] before it sends, [`send`] to send, [`deliver`] after.

use std::borrow::Cow;
use std::future::Future;
use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::Mutex;

use elastic_apikeys_client::Error;

use serde_json::{Map, Value};

use serde::Serialize;

use crate::args::{Confirm, Created, Handover};
use crate::change::{self, Go, Planned};
use crate::failure::Failure;
use crate::output;
use crate::text::{printable, to_stderr};

pub(crate) use crate::secret_out::SecretFile;

/// A key just created, as it is handed over.
pub(crate) struct NewKey<'a> {
    /// Its id.
    pub(crate) id: &'a str,
    /// What `-o json` shows besides the secret: id, name or description, expiration.
    pub(crate) shown: Map<String, Value>,
    /// The secret as it is used, for stdout or the secret file.
    pub(crate) secret: &'a str,
    /// Every form of the secret, for `-o json`.
    pub(crate) parts: &'a [(&'a str, &'a str)],
    /// The command that removes a key by id, for the advice when its secret is lost.
    pub(crate) remove_with: &'a str,
}

/// What a command that creates a key does after [`get_ready`].
pub(crate) enum Ready {
    /// Send the request; the secret goes to this file, if one was asked for.
    Send(Option<SecretFile>),
    /// Nothing is sent (`--dry-run`): the run ends with this status.
    Stop(ExitCode),
}

/// Reserves the secret file first, so that a path that cannot take the secret stops the run
/// before a key exists, then decides on `planned` (see [`change::decide`]); a file reserved for
/// a run that does not go ahead is removed.
pub(crate) fn get_ready<B: Serialize>(
    handover: &Handover,
    confirm: &Confirm,
    planned: &Planned<'_, B>,
) -> Result<Ready, Failure> {
    let file = match &handover.secret_file {
        Some(path) if !confirm.dry_run => Some(SecretFile::reserve(path)?),
        _ => None,
    };
    match change::decide(confirm, planned) {
        Ok(Go::Send) => Ok(Ready::Send(file)),
        decided => {
            abandon(file);
            decided.map(|_| Ready::Stop(ExitCode::SUCCESS))
        }
    }
}

/// Removes the secret file reserved for a key that was not created.
pub(crate) fn abandon(file: Option<SecretFile>) {
    if let Some(file) = file {
        file.abandon();
    }
}

/// How to find and remove a key whose creation is in doubt, in the commands of its service.
pub(crate) struct Recovery {
    /// The command that shows a key by id, such as `apikeys es list --id`.
    pub(crate) show_by_id: &'static str,
    /// The command that lists the keys the new one is among, such as
    /// `apikeys es list --name ci-deploy`.
    pub(crate) look_for: Cow<'static, str>,
    /// The command that removes a key by id.
    pub(crate) remove_with: &'static str,
}

impl Recovery {
    /// What to tell a user after a create request whose outcome is unknown; `id` is the new
    /// key's, when the answer let it be read.
    fn advice(&self, id: Option<&str>) -> String {
        match id {
            Some(id) => format!(
                "the API key {id} may have been created all the same: check with {} {id}, and \
                 remove it with {} {id}",
                self.show_by_id, self.remove_with
            ),
            None => format!(
                "an API key may have been created all the same: look for it with {}, and \
                 remove it with {} <its id>",
                self.look_for, self.remove_with
            ),
        }
    }
}

/// `text` as one word of a POSIX shell command line: as it is when it holds only characters that
/// no shell reads specially, otherwise in single quotes.
pub(crate) fn shell_word(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.,:/@%+=".contains(c));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// What to tell the user about a create request that was on its way when the run stopped
/// (`--timeout`, Ctrl-C): [`Sending`] leaves it here when it is dropped unfinished, and `main`
/// prints it after the error.
static STOPPED_WHILE_SENDING: Mutex<Option<String>> = Mutex::new(None);

/// The advice left by a create request that the end of the run cut short, if there was one.
pub(crate) fn stopped_while_sending() -> Option<String> {
    STOPPED_WHILE_SENDING
        .lock()
        .map_or(None, |mut advice| advice.take())
}

/// A create request on its way: dropped before its answer is read, it leaves its advice for
/// `main` to print.
struct Sending<'a> {
    recovery: &'a Recovery,
    answered: bool,
}

impl Drop for Sending<'_> {
    fn drop(&mut self) {
        if !self.answered
            && let Ok(mut advice) = STOPPED_WHILE_SENDING.lock()
        {
            *advice = Some(self.recovery.advice(None));
        }
    }
}

/// Sends the create request `request`, whose secret goes to `file`. A failure after which a
/// key may exist all the same (an answer that is not the documented one, a timeout, a broken
/// connection) says so, with the key's id when the answer shows it and how to remove it; the
/// reserved `file` is removed. So it is when the run stops before the answer comes.
pub(crate) async fn send<T>(
    request: impl Future<Output = Result<T, Error>>,
    file: Option<SecretFile>,
    recovery: &Recovery,
    fail: impl FnOnce(Error) -> Failure,
) -> Result<(T, Option<SecretFile>), Failure> {
    let mut sending = Sending {
        recovery,
        answered: false,
    };
    let answer = request.await;
    sending.answered = true;
    match answer {
        Ok(answer) => Ok((answer, file)),
        Err(error) => {
            abandon(file);
            let unsure = may_have_created(&error);
            let id = id_in(&error).map(str::to_string);
            let failure = fail(error);
            Err(if unsure {
                failure.with_advice(&recovery.advice(id.as_deref()))
            } else {
                failure
            })
        }
    }
}

/// Whether a create request that failed with `error` may have created a key all the same: the
/// server took the request but its answer was not the documented one (a `201` for a `200`, a
/// body that does not decode, a gateway's `5xx` page), or the answer never came whole. A
/// documented error answer, or a request that never left, created nothing.
fn may_have_created(error: &Error) -> bool {
    match error {
        Error::UnexpectedStatus { status, .. } | Error::UnexpectedBody { status, .. } => {
            status.is_success() || status.is_server_error()
        }
        Error::Timeout { .. } | Error::Transport { .. } | Error::BodyTooLarge { .. } => true,
        _ => false,
    }
}

/// The new key's id in the answer that `error` quotes, when it shows one: the first `"id"`
/// member whose value looks like a key id (letters, digits, `-` and `_`).
fn id_in(error: &Error) -> Option<&str> {
    let (Error::UnexpectedStatus { excerpt, .. } | Error::UnexpectedBody { excerpt, .. }) = error
    else {
        return None;
    };
    let mut rest = excerpt.as_str();
    while let Some(at) = rest.find("\"id\"") {
        rest = &rest[at + 4..];
        let Some(value) = rest.trim_start().strip_prefix(':') else {
            continue;
        };
        let Some(value) = value.trim_start().strip_prefix('"') else {
            continue;
        };
        let end = value
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(value.len());
        if (1..=128).contains(&end) && value[end..].starts_with('"') {
            return Some(&value[..end]);
        }
    }
    None
}

/// Hands over the secret of `key` once: to `file`, or to stdout, as `handover` says.
pub(crate) fn deliver(
    key: NewKey<'_>,
    handover: &Handover,
    file: Option<SecretFile>,
) -> Result<ExitCode, Failure> {
    let output = handover.output;
    let id = printable(key.id);
    let lost = |what: String| {
        Failure::partly_done(format!(
            "the API key {id} was created, but {what}; its secret is lost, so remove the key: \
             {} {id}",
            key.remove_with
        ))
    };
    // What stdout gets: a JSON document, or one line of text.
    enum Printed {
        Json(Value),
        Line(String),
    }
    let mut shown = key.shown;
    let printed = match file {
        Some(file) => {
            let path = file
                .write(key.secret)
                .map_err(|failure| lost(failure.to_string()))?;
            to_stderr(format_args!(
                "created the API key {id}; its secret is in {}",
                printable(&path.display().to_string())
            ));
            shown.insert("secret_file".into(), path.display().to_string().into());
            match output {
                Created::Json => Printed::Json(Value::Object(shown)),
                Created::Encoded => Printed::Line(key.id.to_string()),
            }
        }
        None => {
            to_stderr(format_args!(
                "created the API key {id}; its secret follows, once: keep it now"
            ));
            match output {
                Created::Json => {
                    for (name, value) in key.parts {
                        shown.insert((*name).into(), (*value).into());
                    }
                    Printed::Json(Value::Object(shown))
                }
                Created::Encoded => Printed::Line(key.secret.to_string()),
            }
        }
    };
    let mut out = io::stdout().lock();
    // Escaped like every report: a server could put anything in an id, or in a secret.
    let written = match &printed {
        Printed::Json(value) => output::write_json(&mut out, value),
        Printed::Line(line) => writeln!(out, "{}", printable(line)),
    };
    written
        .and_then(|()| out.flush())
        .map_err(|error| lost(format!("its secret could not be written ({error})")))?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use elastic_apikeys_client::Error;
    use elastic_apikeys_client::transport::StatusCode;

    use super::{id_in, may_have_created, shell_word};

    fn unexpected(status: u16, excerpt: &str) -> Error {
        Error::UnexpectedStatus {
            url: "http://localhost:9200/_security/api_key".into(),
            status: StatusCode::from_u16(status).unwrap(),
            content_type: None,
            excerpt: excerpt.into(),
        }
    }

    #[test]
    fn the_id_is_read_from_the_answer_only_when_it_looks_like_one() {
        let answer = r#"{"id" : "Yb2kF5sBq0PtYh3cE9xZ","name":"x","api_key":"[REDACTED]"}"#;
        assert_eq!(
            id_in(&unexpected(201, answer)),
            Some("Yb2kF5sBq0PtYh3cE9xZ")
        );
        for excerpt in [
            r#"{"name":"id","id":"a b"}"#,
            r#"{"id":"\u001b[2J"}"#,
            r#"{"id":12}"#,
            r#"{"id":"cut-sh"#,
            "<html>id</html>",
        ] {
            assert_eq!(id_in(&unexpected(201, excerpt)), None, "{excerpt}");
        }
    }

    #[test]
    fn only_answers_that_are_not_the_documented_ones_leave_a_key_in_doubt() {
        assert!(may_have_created(&unexpected(201, "")));
        assert!(may_have_created(&unexpected(504, "")));
        assert!(!may_have_created(&unexpected(404, "")));
        assert!(may_have_created(&Error::Timeout { url: String::new() }));
        assert!(!may_have_created(&Error::Connect {
            url: String::new(),
            reason: "refused".into()
        }));
    }

    #[test]
    fn names_are_quoted_for_the_shell_when_they_need_it() {
        assert_eq!(shell_word("ci-deploy"), "ci-deploy");
        assert_eq!(shell_word("ops key"), "'ops key'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word("$(rm -rf ~)"), "'$(rm -rf ~)'");
        assert_eq!(shell_word(""), "''");
    }
}
