//! One row per key for spreadsheets and scripts: times in RFC 3339, absent values empty.
//!
//! A value that a spreadsheet would take for a formula gets a leading `'` unless the report is
//! exact (`--csv-exact`), and on a terminal every value is escaped as the table's are.

use std::io::{self, Write};

use chrono::SecondsFormat;

use super::{Cell, Column, Rows, Target};
use crate::text::printable;

/// Writes `rows` as CSV (RFC 4180) with a header row, for `target`.
pub(crate) fn write_csv(out: &mut impl Write, rows: &Rows, target: Target) -> io::Result<()> {
    let mut stream = CsvStream::start(out, rows.headers, target)?;
    for row in &rows.rows {
        stream.row(row)?;
    }
    stream.finish()
}

/// CSV written a row at a time, for a report that is never whole in memory.
pub(crate) struct CsvStream<W: Write> {
    writer: ::csv::Writer<W>,
    target: Target,
}

impl<W: Write> CsvStream<W> {
    /// Writes the header row of `headers`.
    pub(crate) fn start(out: W, headers: &[Column], target: Target) -> io::Result<Self> {
        let mut writer = ::csv::Writer::from_writer(out);
        writer
            .write_record(headers.iter().map(|h| h.csv))
            .map_err(into_io)?;
        Ok(Self { writer, target })
    }

    /// Writes one row.
    pub(crate) fn row(&mut self, row: &[Cell]) -> io::Result<()> {
        let target = self.target;
        let record = row.iter().map(|cell| {
            let value = value(cell);
            let value = if target.csv_exact {
                value
            } else {
                defused(value)
            };
            if target.terminal.is_some() {
                printable(&value)
            } else {
                value
            }
        });
        self.writer.write_record(record).map_err(into_io)
    }

    /// Writes out what is buffered.
    pub(crate) fn finish(mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

/// The `io::Error` a CSV error holds, with its kind (a reader that went away is a broken pipe,
/// and not a failure); any other CSV error as it is. `csv`'s own conversion makes every error
/// of kind `Other`.
fn into_io(error: ::csv::Error) -> io::Error {
    if !error.is_io_error() {
        return io::Error::other(error);
    }
    match error.into_kind() {
        ::csv::ErrorKind::Io(error) => error,
        // `is_io_error` promised the kind above; should that change, the message still says why.
        kind => io::Error::other(format!("{kind:?}")),
    }
}

/// The characters that make a spreadsheet read a value as a formula when it starts with one
/// (OWASP, "CSV Injection"): `=`, `+`, `-`, `@`, and tab and carriage return, which some
/// spreadsheets skip before looking for those.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `value` with a leading `'` if it starts like a formula, so that a spreadsheet shows it as text
/// instead of running it: a key's name is whatever its creator typed, and an id may start with
/// `-`. Every value is checked, times included: none of RFC 3339's starts like one for years 0
/// to 9999, and a year beyond those starts with a sign.
fn defused(value: String) -> String {
    if value.starts_with(FORMULA_STARTS) {
        format!("'{value}")
    } else {
        value
    }
}

fn value(cell: &Cell) -> String {
    match cell {
        Cell::Text(text) => text.clone().unwrap_or_default(),
        Cell::Time(at, _) => at
            .map(|at| at.to_rfc3339_opts(SecondsFormat::AutoSi, true))
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::Column;
    use super::*;

    const ID: Column = Column::whole("ID", "id");
    const NAME: Column = Column::text("NAME", "name", 1);
    const THREE: &[Column] = &[ID, NAME, Column::time("EXPIRES (UTC)", "expires", None)];

    /// A file or a pipe, with the formula guard.
    const PIPE: Target = Target {
        terminal: None,
        csv_exact: false,
    };

    fn csv(rows: &Rows, target: Target) -> String {
        let mut out = Vec::new();
        write_csv(&mut out, rows, target).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// One row of an id and a name.
    fn named(id: &str, name: &str) -> Rows {
        Rows {
            headers: &[ID, NAME],
            rows: vec![vec![Cell::text(id), Cell::text(name)]],
        }
    }

    #[test]
    fn values_are_quoted_where_needed_and_times_exact() {
        let rows = Rows {
            headers: THREE,
            rows: vec![vec![
                Cell::text("a"),
                Cell::text("with, comma \"and quotes\"\nand a line"),
                Cell::Time(Some("2026-11-29T12:00:00.123Z".parse().unwrap()), "never"),
            ]],
        };
        assert_eq!(
            csv(&rows, PIPE),
            "id,name,expires\n\
             a,\"with, comma \"\"and quotes\"\"\nand a line\",2026-11-29T12:00:00.123Z\n"
        );
    }

    #[test]
    fn empty_and_absent_values_are_both_empty_fields() {
        let rows = Rows {
            headers: THREE,
            rows: vec![
                vec![Cell::text(""), Cell::Text(None), Cell::Time(None, "never")],
                vec![Cell::text("b"), Cell::text("日本語"), Cell::Time(None, "")],
            ],
        };
        assert_eq!(csv(&rows, PIPE), "id,name,expires\n,,\nb,日本語,\n");
    }

    #[test]
    fn values_that_start_like_formulas_are_defused() {
        let cases = [
            (
                "=HYPERLINK(\"http://x\")",
                "\"'=HYPERLINK(\"\"http://x\"\")\"",
            ),
            ("+1+1", "'+1+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "\"'\r=1\""),
            ("a=1", "a=1"),
            ("'quoted", "'quoted"),
            ("日本=", "日本="),
        ];
        for (name, written) in cases {
            assert_eq!(
                csv(&named("-Vua", name), PIPE),
                format!("id,name\n'-Vua,{written}\n"),
                "{name:?}"
            );
        }
    }

    #[test]
    fn exact_csv_keeps_every_value_as_sent() {
        let exact = Target {
            terminal: None,
            csv_exact: true,
        };
        let text = csv(&named("-Vua", "=1+1\u{1b}[2J"), exact);
        assert_eq!(text, "id,name\n-Vua,=1+1\u{1b}[2J\n");
    }

    #[test]
    fn on_a_terminal_values_are_escaped_in_either_mode() {
        let rows = named("x", "x\u{1b}]0;PWNED\u{7}y\u{202e}");
        for csv_exact in [false, true] {
            let target = Target {
                terminal: Some(80),
                csv_exact,
            };
            assert_eq!(
                csv(&rows, target),
                "id,name\nx,x\\u{1b}]0;PWNED\\u{7}y\\u{202e}\n"
            );
        }
        // The guard comes first and the escape shows the character it guarded against.
        let target = Target {
            terminal: Some(80),
            csv_exact: false,
        };
        assert_eq!(csv(&named("x", "\t=1"), target), "id,name\nx,'\\t=1\n");
    }

    #[test]
    fn times_of_years_0_to_9999_never_need_the_guard() {
        for time in ["0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z"] {
            let rows = Rows {
                headers: &[ID],
                rows: vec![vec![Cell::Time(Some(time.parse().unwrap()), "never")]],
            };
            assert_eq!(csv(&rows, PIPE), format!("id\n{time}\n"));
        }
    }

    #[test]
    fn times_beyond_the_calendar_start_with_a_sign_and_are_guarded() {
        let rows = Rows {
            headers: &[ID],
            rows: vec![
                vec![Cell::Time(
                    Some(chrono::DateTime::<chrono::Utc>::MIN_UTC),
                    "",
                )],
                vec![Cell::Time(
                    Some("+10000-01-01T00:00:00Z".parse().unwrap()),
                    "",
                )],
            ],
        };
        assert_eq!(
            csv(&rows, PIPE),
            "id\n'-262143-01-01T00:00:00Z\n'+10000-01-01T00:00:00Z\n"
        );
    }

    /// A reader that went away after `room` bytes.
    struct Closing {
        room: usize,
    }

    impl Write for Closing {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.room == 0 {
                return Err(io::ErrorKind::BrokenPipe.into());
            }
            let n = buf.len().min(self.room);
            self.room -= n;
            Ok(n)
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_reader_that_went_away_is_still_a_broken_pipe() {
        let rows = Rows {
            headers: &[ID, NAME],
            rows: (0..10_000)
                .map(|i| vec![Cell::text(format!("id-{i}")), Cell::text("name")])
                .collect(),
        };
        let error = write_csv(&mut Closing { room: 100 }, &rows, PIPE).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::BrokenPipe, "{error}");
    }
}
