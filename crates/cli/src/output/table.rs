//! Aligned columns for people: times in UTC and relative to now, control characters escaped.

use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

use super::{Cell, Rows};
use crate::expiry::Clock;
use crate::text::{count, printable};

/// The gap between columns.
const GAP: &str = "  ";

/// Writes `rows` under their headers, each column as wide as its widest value. An empty list
/// prints a line that says so rather than bare headers.
pub(crate) fn write_table(out: &mut impl Write, rows: &Rows, clock: &Clock) -> io::Result<()> {
    if rows.rows.is_empty() {
        return writeln!(out, "No API keys.");
    }
    let header: Vec<String> = rows.headers.iter().map(|h| h.table.to_string()).collect();
    let body: Vec<Vec<String>> = rows
        .rows
        .iter()
        .map(|row| row.iter().map(|cell| render(cell, clock)).collect())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for row in &body {
        for (width, value) in widths.iter_mut().zip(row) {
            *width = (*width).max(value.width());
        }
    }
    for line in std::iter::once(&header).chain(&body) {
        let mut text = String::new();
        for (column, (value, width)) in line.iter().zip(&widths).enumerate() {
            if column > 0 {
                text.push_str(GAP);
            }
            text.push_str(value);
            if column + 1 < line.len() {
                text.extend(std::iter::repeat_n(' ', width - value.width()));
            }
        }
        writeln!(out, "{text}")?;
    }
    writeln!(out, "{}", count(body.len(), "key"))
}

fn render(cell: &Cell, clock: &Clock) -> String {
    match cell {
        Cell::Text(Some(text)) if text.is_empty() => "\"\"".to_string(),
        Cell::Text(Some(text)) => printable(text),
        Cell::Text(None) => "-".to_string(),
        Cell::Time(Some(at), _) => {
            format!("{} ({})", at.format("%Y-%m-%d %H:%M"), clock.relative(*at))
        }
        Cell::Time(None, absent) => absent.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::Column;
    use super::*;

    const ID: Column = Column::new("ID", "id");
    const NAME: Column = Column::new("NAME", "name");
    const THREE: &[Column] = &[ID, NAME, Column::new("EXPIRES (UTC)", "expires")];

    fn clock() -> Clock {
        Clock {
            now: "2026-11-22T12:00:00Z".parse().unwrap(),
        }
    }

    fn table(rows: Rows) -> String {
        let mut out = Vec::new();
        write_table(&mut out, &rows, &clock()).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn columns_align_on_display_width() {
        let text = table(Rows {
            headers: THREE,
            rows: vec![
                vec![
                    Cell::text("a"),
                    Cell::text("日本語"),
                    Cell::Time(Some("2026-11-29T12:00:00Z".parse().unwrap()), "never"),
                ],
                vec![
                    Cell::text("bb"),
                    Cell::Text(None),
                    Cell::Time(None, "never"),
                ],
            ],
        });
        assert_eq!(
            text,
            "ID  NAME    EXPIRES (UTC)\n\
             a   日本語  2026-11-29 12:00 (in 7 days)\n\
             bb  -       never\n\
             2 keys\n"
        );
    }

    #[test]
    fn control_characters_cannot_reach_the_terminal() {
        let text = table(Rows {
            headers: &[NAME],
            rows: vec![
                vec![Cell::text("evil\u{1b}[2J\nname\t")],
                vec![Cell::text("")],
            ],
        });
        assert_eq!(text, "NAME\nevil\\u{1b}[2J\\nname\\t\n\"\"\n2 keys\n");
    }

    #[test]
    fn an_empty_list_says_so() {
        let text = table(Rows {
            headers: &[ID],
            rows: vec![],
        });
        assert_eq!(text, "No API keys.\n");
    }
}
