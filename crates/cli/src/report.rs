//! The end of every command: the report on stdout, then the `--fail-if-expiring` check.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use serde::Serialize;

use crate::args::Report;
use crate::expiry::{Clock, Lifetime};
use crate::failure::{EXPIRING, Failure};
use crate::output::{self, Rows};
use crate::text::{count, printable};

/// Writes `keys` in the format asked for (`rows` for a table or CSV, `model` for JSON), then
/// exits with [`EXPIRING`] if `--fail-if-expiring` was given and one of them is due within it.
pub(crate) fn finish<K: Lifetime>(
    keys: &[K],
    report: &Report,
    clock: &Clock,
    rows: impl FnOnce() -> Rows,
    model: &impl Serialize,
) -> Result<ExitCode, Failure> {
    let mut out = BufWriter::new(io::stdout().lock());
    let written =
        output::write(&mut out, report.output, clock, rows, model).and_then(|()| out.flush());
    match written {
        // A reader that stopped early (`apikeys es list | head`) is not a failure.
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => {}
        Err(error) => return Err(Failure::output(&error)),
        Ok(()) => {}
    }
    let Some(window) = report.fail_if_expiring else {
        return Ok(ExitCode::SUCCESS);
    };
    let expiring: Vec<&str> = keys
        .iter()
        .filter(|key| clock.due_within(*key, window))
        .map(Lifetime::id)
        .collect();
    if expiring.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!(
        "{} {} within {}, or expired already: {}",
        count(expiring.len(), "API key"),
        if expiring.len() == 1 {
            "expires"
        } else {
            "expire"
        },
        compact(window),
        printable(&expiring.join(", "))
    );
    Ok(ExitCode::from(EXPIRING))
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

    use super::compact;

    #[test]
    fn windows_read_as_they_were_written() {
        assert_eq!(compact(Duration::from_secs(7 * 86_400)), "7d");
        assert_eq!(compact(Duration::from_secs(36 * 3600)), "1d 12h");
        assert_eq!(compact(Duration::from_secs(90)), "1m 30s");
        assert_eq!(compact(Duration::from_millis(500)), "0s");
    }
}
