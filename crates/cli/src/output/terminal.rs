//! Whether stdout is a terminal, and how wide.

use std::ffi::OsStr;
use std::io::{self, IsTerminal};

/// The width assumed for a terminal that does not tell its own, as most programs assume.
const FALLBACK: usize = 80;

/// The width of the terminal stdout is, in columns; `None` when stdout is a pipe or a file.
///
/// `COLUMNS`, when it holds a positive number, wins over what the terminal says, as for `ls`: a
/// user can ask for a narrower table, or a wider one to scroll. It changes nothing when stdout is
/// not a terminal, which gets every value whole.
pub(crate) fn stdout_width() -> Option<usize> {
    let stdout = io::stdout();
    if !stdout.is_terminal() {
        return None;
    }
    let measured = terminal_size::terminal_size_of(&stdout).map(|(width, _)| width.0);
    Some(width(std::env::var_os("COLUMNS").as_deref(), measured))
}

/// The width of a terminal from `COLUMNS` (if a positive number) or else from what the terminal
/// `measured`, or else [`FALLBACK`].
fn width(columns: Option<&OsStr>, measured: Option<u16>) -> usize {
    columns
        .and_then(OsStr::to_str)
        .and_then(|text| text.trim().parse::<usize>().ok())
        .filter(|&columns| columns > 0)
        .or(measured.map(usize::from).filter(|&columns| columns > 0))
        .unwrap_or(FALLBACK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_wins_when_it_is_a_positive_number() {
        let columns = |text: &str| width(Some(OsStr::new(text)), Some(120));
        assert_eq!(columns("60"), 60);
        assert_eq!(columns("200"), 200);
        assert_eq!(columns(" 60\n"), 60);
        assert_eq!(columns("0"), 120);
        assert_eq!(columns("-5"), 120);
        assert_eq!(columns("wide"), 120);
        assert_eq!(columns(""), 120);
        assert_eq!(columns("99999999999999999999999"), 120);
    }

    #[test]
    fn the_terminal_s_own_width_or_eighty() {
        assert_eq!(width(None, Some(132)), 132);
        assert_eq!(width(None, Some(0)), FALLBACK);
        assert_eq!(width(None, None), FALLBACK);
    }
}
