//! The three output formats: aligned table, CSV and JSON.
//!
//! Table and CSV share one description of the columns ([`Rows`]); each renders a [`Cell`] its own
//! way. JSON needs none: it is the API's models, encoded again.

mod csv;
mod table;

use std::io::{self, Write};

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::args::Output;
use crate::expiry::Clock;

pub(crate) use self::csv::write_csv;
pub(crate) use self::table::write_table;

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

/// Writes `rows` as a table or CSV, or `model` as JSON.
pub(crate) fn write(
    out: &mut impl Write,
    format: Output,
    clock: &Clock,
    rows: impl FnOnce() -> Rows,
    model: &impl Serialize,
) -> io::Result<()> {
    match format {
        Output::Table => write_table(out, &rows(), clock),
        Output::Csv => write_csv(out, &rows()),
        Output::Json => {
            serde_json::to_writer_pretty(&mut *out, model)?;
            writeln!(out)
        }
    }
}
