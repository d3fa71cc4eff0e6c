//! A new key's secret, handed over once: to stdout, or to a new file only its owner can read;
//! and the JSON documents a new key is made from.

use std::io::{self, Read, Write};
use std::process::ExitCode;

use serde_json::{Map, Value};

use crate::args::Created;
use crate::failure::Failure;
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

/// Hands over the secret of `key` once: to `file`, or to stdout.
pub(crate) fn deliver(
    key: NewKey<'_>,
    output: Created,
    file: Option<SecretFile>,
) -> Result<ExitCode, Failure> {
    let id = printable(key.id);
    let lost = |what: String| {
        Failure::partly_done(format!(
            "the API key {id} was created, but {what}; its secret is lost, so remove the key: \
             {} {id}",
            key.remove_with
        ))
    };
    let mut shown = key.shown;
    let line = match file {
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
                Created::Json => Value::Object(shown).to_string(),
                Created::Encoded => key.id.to_string(),
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
                    Value::Object(shown).to_string()
                }
                Created::Encoded => key.secret.to_string(),
            }
        }
    };
    let mut out = io::stdout().lock();
    writeln!(out, "{line}")
        .and_then(|()| out.flush())
        .map_err(|error| lost(format!("its secret could not be written ({error})")))?;
    Ok(ExitCode::SUCCESS)
}

/// The text of a file, or of stdin for `-`; `flag` names the option in errors.
pub(crate) fn read_source(source: &str, flag: &str) -> Result<String, Failure> {
    let mut text = String::new();
    if source == "-" {
        io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::usage(format!("{flag} -: cannot read stdin: {e}")))?;
    } else {
        text = std::fs::read_to_string(source)
            .map_err(|e| Failure::usage(format!("{flag} {}: {e}", printable(source))))?;
    }
    Ok(text)
}
