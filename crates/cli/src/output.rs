//! The three output formats: aligned table, CSV and JSON.
//!
//! Table and CSV share one description of the columns ([`Rows`]); each renders a [`Cell`] its own
//! way. JSON needs none: it is the API's models, encoded again.
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
pub(crate) use self::json::{write_json, write_json_line};
pub(crate) use self::table::write_table;
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

/// A column's header in each format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Column {
    /// For people: `EXPIRES (UTC)`.
    pub(crate) table: &'static str,
    /// For programs: `expires`.
    pub(crate) csv: &'static str,
}

impl Column {
    pub(crate) const fn new(table: &'static str, csv: &'static str) -> Self {
        Self { table, csv }
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
