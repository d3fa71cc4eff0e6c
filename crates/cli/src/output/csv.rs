//! One row per key for spreadsheets and scripts: times in RFC 3339, absent values empty.

use std::io::{self, Write};

use chrono::SecondsFormat;

use super::{Cell, Rows};

/// Writes `rows` as CSV (RFC 4180) with a header row.
pub(crate) fn write_csv(out: &mut impl Write, rows: &Rows) -> io::Result<()> {
    let mut writer = ::csv::Writer::from_writer(out);
    writer.write_record(rows.headers.iter().map(|h| h.csv))?;
    for row in &rows.rows {
        writer.write_record(row.iter().map(value))?;
    }
    writer.flush()
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

    const ID: Column = Column::new("ID", "id");
    const NAME: Column = Column::new("NAME", "name");
    const THREE: &[Column] = &[ID, NAME, Column::new("EXPIRES (UTC)", "expires")];

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
        let mut out = Vec::new();
        write_csv(&mut out, &rows).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
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
        let mut out = Vec::new();
        write_csv(&mut out, &rows).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "id,name,expires\n,,\nb,日本語,\n"
        );
    }
}
