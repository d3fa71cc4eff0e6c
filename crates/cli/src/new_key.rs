//! A new key's secret, handed over once: to stdout, or to a new file only its owner can read.
//! Every command that creates a key (`create`, `rotate`, of both services) goes through here:
//! [`get_ready`] before it sends, [`deliver`] after.

use std::io::{self, Write};
use std::process::ExitCode;

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
