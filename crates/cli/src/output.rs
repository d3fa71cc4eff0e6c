//! The output formats: aligned table, CSV, JSON and JSON Lines.
//!
//! Table and CSV share one description of the columns ([`Rows`]); each renders a [`Cell`] its own
//! way. JSON needs none: it is the API's models, encoded again. A list that arrives a key at a
//! time is written as it arrives ([`Streamed`]).
//!
//! Where the report goes changes how it is written ([`Target`]): on a terminal the table fits its
//! width and CSV is escaped like the table; JSON is escaped wherever it goes, losslessly.

mod csv;
mod fit;
mod json;
mod table;
mod terminal;

use std::io::{self, Write};

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::args::Output;
use crate::expiry::Clock;

pub(crate) use self::csv::{CsvStream, write_csv};
pub(crate) use self::fit::Give;
pub(crate) use self::json::{JsonList, write_json, write_json_line};
pub(crate) use self::table::{Table, write_table};
pub(crate) use self::terminal::stdout_width;

/// One value of a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Cell {
    /// Text; `None` for a value the key does not have.
    Text(Option<String>),
    /// A time, and what to show when there is none (`never` for an expiry).
    Time(Option<DateTime<Utc>>, &'static str),
}

impl Cell {
    pub(crate) fn text(value: impl Into<String>) -> Self {
        Self::Text(Some(value.into()))
    }
}

/// A column's header in each format, and how it gives up space on a narrow terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Column {
    /// For people: `EXPIRES (UTC)`.
    pub(crate) table: &'static str,
    /// For programs: `expires`.
    pub(crate) csv: &'static str,
    /// On a terminal too narrow for the whole table.
    pub(crate) give: Give,
}

impl Column {
    /// A column never cut nor hidden: an id, the status.
    pub(crate) const fn whole(table: &'static str, csv: &'static str) -> Self {
        Self {
            table,
            csv,
            give: Give::Nothing,
        }
    }

    /// A text column, cut and then hidden on a narrow terminal, a lower `rank` first.
    pub(crate) const fn text(table: &'static str, csv: &'static str, rank: u8) -> Self {
        Self {
            table,
            csv,
            give: Give::Text(rank),
        }
    }

    /// A column of times, which lose their relative form on a narrow terminal, never their
    /// date; hidden in the `hide` rank if one is given.
    pub(crate) const fn time(table: &'static str, csv: &'static str, hide: Option<u8>) -> Self {
        Self {
            table,
            csv,
            give: Give::Time(hide),
        }
    }
}

/// The rows of a table or CSV report, under their headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rows {
    pub(crate) headers: &'static [Column],
    pub(crate) rows: Vec<Vec<Cell>>,
}

/// Where a report goes, as far as its rendering cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Target {
    /// The width of the terminal the report goes to, in columns; `None` when it goes to a pipe
    /// or a file, which get every value whole and exactly as it was sent.
    pub(crate) terminal: Option<usize>,
    /// `--csv-exact`: CSV values as they are, without the guard against spreadsheet formulas.
    pub(crate) csv_exact: bool,
}

/// Writes `rows` as a table or CSV, `model` as JSON, or each of `items` as a line of JSON Lines,
/// for `target`.
pub(crate) fn write<I: Serialize>(
    out: &mut impl Write,
    format: Output,
    target: Target,
    clock: &Clock,
    rows: impl FnOnce() -> Rows,
    model: &impl Serialize,
    items: &[I],
) -> io::Result<()> {
    match format {
        Output::Table => write_table(out, &rows(), clock, target.terminal),
        Output::Csv => write_csv(out, &rows(), target),
        Output::Json => write_json(out, model),
        Output::Jsonl => items.iter().try_for_each(|item| write_json_line(out, item)),
    }
}

/// A report written a key at a time, as the keys arrive (`send_stream()`, or page after page).
/// CSV, JSON and JSON Lines go out key by key; the table keeps the text of each row ([`Table`])
/// until the end, when the widths of its columns are known. None holds a decoded key.
pub(crate) enum Streamed<W: Write> {
    Table {
        table: Table,
        out: W,
        /// The terminal's width, if any.
        budget: Option<usize>,
        /// The row text held at most before rows are written under a layout fixed from the
        /// rows so far ([`Table::spill`]); `None` to hold every row to the end.
        spill_at: Option<usize>,
    },
    Csv(Box<CsvStream<W>>),
    /// One JSON document, `{"<field>": [...]}` or `[...]`, byte for byte what [`write_json`]
    /// writes.
    Json(JsonList<W>),
    /// JSON Lines: a key per line.
    Lines(W),
}

impl<W: Write> Streamed<W> {
    /// A report in `format` for `target`, of rows under `headers`; in JSON the list is the member
    /// `field`, or without one the whole document.
    pub(crate) fn start(
        out: W,
        format: Output,
        headers: &'static [Column],
        target: Target,
        field: Option<&'static str>,
    ) -> io::Result<Self> {
        Ok(match format {
            Output::Table => Self::Table {
                table: Table::new(headers),
                out,
                budget: target.terminal,
                spill_at: None,
            },
            Output::Csv => Self::Csv(Box::new(CsvStream::start(out, headers, target)?)),
            Output::Json => Self::Json(JsonList::new(out, field)),
            Output::Jsonl => Self::Lines(out),
        })
    }

    /// Adds `key`, whose row in a table or CSV `row` makes (only when one is wanted).
    pub(crate) fn push(
        &mut self,
        key: &impl Serialize,
        row: impl FnOnce() -> Vec<Cell>,
        clock: &Clock,
    ) -> io::Result<()> {
        match self {
            Self::Table {
                table,
                out,
                budget,
                spill_at,
            } => {
                table.push(&row(), clock);
                match spill_at {
                    Some(limit) if table.held() > *limit => table.spill(out, *budget),
                    _ => Ok(()),
                }
            }
            Self::Csv(csv) => csv.row(&row()),
            Self::Json(list) => list.element(key),
            Self::Lines(out) => write_json_line(out, key),
        }
    }

    /// The same report, whose table (if it is one) holds at most `limit` bytes of rows: past
    /// that, the rows so far fix the layout and are written, and so are the rows after them,
    /// `limit` bytes at a time. For reports of more keys than memory should hold.
    pub(crate) fn spilling_at(mut self, limit: usize) -> Self {
        if let Self::Table { spill_at, .. } = &mut self {
            *spill_at = Some(limit);
        }
        self
    }

    /// The bytes of rows a table holds; none for the formats that hold nothing.
    pub(crate) fn held(&self) -> usize {
        match self {
            Self::Table { table, .. } => table.held(),
            _ => 0,
        }
    }

    /// Writes what is left (the table, the end of the JSON document) and flushes.
    pub(crate) fn finish(self) -> io::Result<()> {
        match self {
            Self::Table {
                table,
                mut out,
                budget,
                ..
            } => table.write(&mut out, budget).and_then(|()| out.flush()),
            Self::Csv(csv) => csv.finish(),
            Self::Json(list) => list.finish(),
            Self::Lines(mut out) => out.flush(),
        }
    }
}

/// The buffer of a [`Streamed`] report's stdout: large writes, so that a report of hundreds of
/// MB takes few system calls.
const OUT_BUFFER: usize = 64 * 1024;

/// Stdout for a [`Streamed`] report of many keys: buffered by [`OUT_BUFFER`], and its pipe, if it
/// is one, widened ([`crate::std_streams::widen_stdout_pipe`]).
pub(crate) fn report_stdout() -> std::io::BufWriter<std::io::StdoutLock<'static>> {
    crate::std_streams::widen_stdout_pipe();
    std::io::BufWriter::with_capacity(OUT_BUFFER, std::io::stdout().lock())
}
