//! What every command that changes keys does before it changes anything: show the request and
//! stop (`--dry-run`), go (`--yes`), ask a terminal, or refuse.

use std::io::{self, BufRead, IsTerminal, Write};

use serde::Serialize;

use crate::args::{Changed, Confirm};
use crate::failure::Failure;
use crate::output;
use crate::text::{printable, to_stderr};

/// What to do after [`decide`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Go {
    /// Send the request.
    Send,
    /// `--dry-run`: the request was printed; send nothing.
    DryRun,
}

/// A request about to change keys, as `--dry-run` prints it.
pub(crate) struct Planned<'a, B: Serialize> {
    /// `POST`, `DELETE`, ...
    pub(crate) method: &'static str,
    /// The path and query, such as `/_security/api_key`.
    pub(crate) path: &'a str,
    /// The JSON body. Its models hold no secret: a body that would (a grant's password) has to
    /// be redacted before it gets here.
    pub(crate) body: &'a B,
    /// What the request does, in a sentence: `invalidate 3 API keys on https://es:9200`.
    pub(crate) summary: String,
}

/// Decides whether `planned` goes ahead: `--dry-run` prints it on stdout and sends nothing,
/// `--yes` goes, a terminal is asked, and anything else is refused (a script must say `--yes`).
pub(crate) fn decide<B: Serialize>(
    confirm: &Confirm,
    planned: &Planned<'_, B>,
) -> Result<Go, Failure> {
    if confirm.dry_run {
        let body = serde_json::to_value(planned.body)
            .map_err(|e| Failure::usage(format!("cannot show the request: {e}")))?;
        let mut out = io::stdout().lock();
        // The body is written as every JSON report of `apikeys` is: text from a server (an old
        // key's name) cannot drive the terminal.
        writeln!(out, "{} {}", planned.method, printable(planned.path))
            .and_then(|()| match &body {
                // A request without a body.
                serde_json::Value::Null => Ok(()),
                body => output::write_json(&mut out, body),
            })
            .and_then(|()| out.flush())
            .map_err(|e| Failure::output(&e))?;
        to_stderr(format_args!(
            "dry run: would {}; nothing was sent",
            printable(&planned.summary)
        ));
        return Ok(Go::DryRun);
    }
    if confirm.yes {
        return Ok(Go::Send);
    }
    if !io::stdin().is_terminal() || !io::stderr().is_terminal() {
        return Err(Failure::usage(format!(
            "not confirmed: this would {}; pass --yes to do it from a script, or run it on a \
             terminal to be asked (--dry-run shows the request)",
            printable(&planned.summary)
        )));
    }
    to_stderr(format_args!("This will {}.", printable(&planned.summary)));
    eprint!("Proceed? [y/N] ");
    let mut answer = String::new();
    io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Failure::usage(format!("no answer: {e}")))?;
    if matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
        Ok(Go::Send)
    } else {
        Err(Failure::usage("not confirmed; nothing was changed"))
    }
}

/// Prints on stdout what a change did: the server's `answer` as JSON (escaped as every JSON
/// report of `apikeys` is), or `lines` of text, each escaped for a terminal. A reader that went
/// away (`| head`) is no failure.
pub(crate) fn print_done(
    output: Changed,
    answer: &impl Serialize,
    lines: impl IntoIterator<Item = String>,
) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    let written = match output {
        Changed::Json => output::write_json(&mut out, answer),
        Changed::Text => lines
            .into_iter()
            .try_for_each(|line| writeln!(out, "{}", printable(&line))),
    };
    match written.and_then(|()| out.flush()) {
        Err(error) if error.kind() != io::ErrorKind::BrokenPipe => Err(Failure::output(&error)),
        _ => Ok(()),
    }
}
