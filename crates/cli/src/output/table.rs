//! Aligned columns for people: times in UTC and relative to now, control characters escaped,
//! and on a terminal no wider than the terminal.

use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

use super::fit::{cut, fit};
use super::{Cell, Rows};
use crate::expiry::Clock;
use crate::text::{count, printable};

/// The gap between columns.
const GAP: &str = "  ";

/// Writes `rows` under their headers, each column as wide as its widest value. An empty list
/// prints a line that says so rather than bare headers.
///
/// With a `budget` (a terminal's width), columns are narrowed to fit it as [`fit`] says, and
/// values wider than their column are cut with `…`; without one (a pipe or a file) every value is
/// written whole. Either way each row is one line, and the last column is not padded.
pub(crate) fn write_table(
    out: &mut impl Write,
    rows: &Rows,
    clock: &Clock,
    budget: Option<usize>,
) -> io::Result<()> {
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
    if let Some(budget) = budget {
        widths = fit(&widths, GAP.width(), budget);
    }
    for line in std::iter::once(&header).chain(&body) {
        let mut text = String::new();
        for (column, (value, &width)) in line.iter().zip(&widths).enumerate() {
            if column > 0 {
                text.push_str(GAP);
            }
            // Without a budget every column is as wide as its widest value: nothing is cut.
            let value = cut(value, width);
            text.push_str(&value);
            if column + 1 < line.len() {
                // A cut before a wide character leaves the value a column short of its width.
                text.extend(std::iter::repeat_n(
                    ' ',
                    width.saturating_sub(value.width()),
                ));
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
        fitted(rows, None)
    }

    /// `rows` as a table within `budget` columns, if any.
    fn fitted(rows: Rows, budget: Option<usize>) -> String {
        let mut out = Vec::new();
        write_table(&mut out, &rows, &clock(), budget).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// The widest line of `text`, in display columns.
    fn widest(text: &str) -> usize {
        text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
    }

    /// `n` rows of the columns of `apikeys es list`, with `name` as every key's name.
    fn es_rows(n: usize, name: &str) -> Rows {
        let row = |i: usize| {
            vec![
                Cell::text(format!("VuaCfGcBCdbkQm-e5a{i:02}")),
                Cell::text(name),
                Cell::text("cross_cluster"),
                Cell::text("elastic/fleet-server"),
                Cell::text("_service_account"),
                Cell::Time(Some("2025-11-25T09:30:00Z".parse().unwrap()), ""),
                Cell::Time(Some("2026-11-25T09:30:00Z".parse().unwrap()), "never"),
                Cell::text("invalidated"),
            ]
        };
        Rows {
            headers: crate::es::view::HEADERS,
            rows: (0..n).map(row).collect(),
        }
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
    fn a_table_fits_eighty_columns() {
        let wide = table(es_rows(3, "fleet-server-token"));
        assert!(
            widest(&wide) > 80,
            "the test's table is wider than 80:\n{wide}"
        );
        let text = fitted(es_rows(3, "fleet-server-token"), Some(80));
        assert_eq!(text.lines().count(), 5, "{text}");
        assert!(widest(&text) <= 80, "{text}");
        let first = text.lines().nth(1).unwrap();
        assert!(first.starts_with("VuaCf"), "{text}");
        assert!(first.contains('…'), "{text}");
        assert!(
            !first.ends_with(' '),
            "the last column is not padded: {first:?}"
        );
        assert!(text.ends_with("\n3 keys\n"), "{text}");
    }

    #[test]
    fn a_table_that_fits_is_not_cut() {
        let text = fitted(es_rows(2, "ci-deploy"), Some(400));
        assert_eq!(text, table(es_rows(2, "ci-deploy")));
        assert!(!text.contains('…'));
    }

    #[test]
    fn a_ten_thousand_character_name_is_capped_on_a_terminal_and_whole_elsewhere() {
        let name = "n".repeat(10_000);
        let whole = table(es_rows(1, &name));
        assert!(whole.contains(&name), "no budget, no cut");
        assert!(widest(&whole) > 10_000);
        // A terminal wide enough for everything still caps the name.
        let roomy = fitted(es_rows(1, &name), Some(1000));
        assert!(
            !roomy.contains(&"n".repeat(super::super::fit::CAP)),
            "{roomy}"
        );
        assert!(roomy.contains(&format!("{}…", "n".repeat(super::super::fit::CAP - 1))));
        let narrow = fitted(es_rows(1, &name), Some(80));
        assert!(widest(&narrow) <= 80, "{narrow}");
    }

    #[test]
    fn wide_characters_are_cut_whole_and_columns_stay_aligned() {
        let rows = Rows {
            headers: THREE,
            rows: vec![
                vec![
                    Cell::text("a"),
                    Cell::text("日本語の名前です日本語の名前です"),
                    Cell::Time(None, "never"),
                ],
                vec![
                    Cell::text("b"),
                    Cell::text("ascii-name-that-is-long"),
                    Cell::Time(None, "never"),
                ],
            ],
        };
        // 2 + 32 + 13 and two gaps of 2 make 51 columns; 33 leaves the name 14, and 13 of them
        // take six CJK characters and the `…`, with one column of padding.
        let text = fitted(rows, Some(33));
        assert_eq!(
            text,
            "ID  NAME            EXPIRES (UTC)\n\
             a   日本語の名前…   never\n\
             b   ascii-name-th…  never\n\
             2 keys\n"
        );
    }

    #[test]
    fn a_budget_below_the_minimums_still_writes_one_line_per_row() {
        for budget in [0, 1, 10, 30] {
            let text = fitted(es_rows(4, &"x".repeat(500)), Some(budget));
            assert_eq!(text.lines().count(), 6, "{budget}: {text}");
            // Eight columns of at most MIN, with seven gaps.
            let most = 8 * super::super::fit::MIN + 7 * GAP.len();
            assert!(widest(&text) <= most, "{budget}: {text}");
        }
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
