//! Aligned columns for people: times in UTC and relative to now, control characters escaped,
//! and on a terminal no wider than the terminal.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

use chrono::format::{Item, Numeric, Pad};
use unicode_width::UnicodeWidthStr;

use super::fit::{Measure, cut, display_width, fit};
use super::{Cell, Column, Give, Rows};
use crate::expiry::Clock;
use crate::text::{count, push_printable};

/// The gap between columns.
const GAP: &str = "  ";

/// What separates the cells of a row in a [`Table`]'s text: a control character, which no
/// rendered value holds (every text goes through [`push_printable`], which escapes controls).
const SEPARATOR: char = '\u{1f}';

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
    let mut table = Table::new(rows.headers);
    for row in &rows.rows {
        table.push(row, clock);
    }
    table.write(out, budget)
}

/// A table collected a row at a time, as the keys arrive, and written at the end, when every
/// column's width is known (see [`write_table`]).
///
/// Each row is kept as the text it shows, its cells rendered (escaped, times formatted) and all
/// rows in one string: a list of any length costs the text of its table, a small part of the
/// keys it came from, and never the decoded keys.
pub(crate) struct Table {
    headers: &'static [Column],
    /// The widest value of each column so far, headers included.
    widths: Vec<usize>,
    /// The widest value of each column so far once shortened: a time's date without its
    /// relative form; as `widths` for other columns.
    shortest: Vec<usize>,
    /// Every row's cells, one after the other, the cells of a row separated by [`SEPARATOR`].
    text: String,
    /// Where each row ends in `text`.
    ends: Vec<usize>,
    /// Once rows were written before the end ([`Table::spill`]): the layout they fixed, and how
    /// many were written.
    spilled: Option<(Vec<Option<usize>>, usize)>,
}

impl Table {
    /// A table of no rows yet, under `headers`.
    pub(crate) fn new(headers: &'static [Column]) -> Self {
        let widths: Vec<usize> = headers.iter().map(|h| h.table.width()).collect();
        Self {
            headers,
            shortest: widths.clone(),
            widths,
            text: String::new(),
            ends: Vec::new(),
            spilled: None,
        }
    }

    /// Adds a row, rendered as [`render`] says for `clock`.
    pub(crate) fn push(&mut self, row: &[Cell], clock: &Clock) {
        for (column, cell) in row.iter().enumerate() {
            if column > 0 {
                self.text.push(SEPARATOR);
            }
            let start = self.text.len();
            render(&mut self.text, cell, clock);
            let value = &self.text[start..];
            if let Some(widest) = self.widths.get_mut(column) {
                *widest = (*widest).max(display_width(value));
            }
            if let Some(shortest) = self.shortest.get_mut(column) {
                let value = match self.headers.get(column).map(|c| c.give) {
                    Some(Give::Time(_)) => date_of(value),
                    _ => value,
                };
                *shortest = (*shortest).max(display_width(value));
            }
        }
        self.ends.push(self.text.len());
    }

    /// The memory the rows take, in bytes: what `--max-body-size` bounds.
    pub(crate) fn held(&self) -> usize {
        self.text.len() + self.ends.len() * size_of::<usize>()
    }

    /// The width each column gets within `budget` columns if any (`None`: not shown), from the
    /// rows so far.
    fn layout(&self, budget: Option<usize>) -> Vec<Option<usize>> {
        match budget {
            Some(budget) => {
                let measures: Vec<Measure> = self
                    .headers
                    .iter()
                    .zip(self.widths.iter().zip(&self.shortest))
                    .map(|(column, (&widest, &shortest))| Measure {
                        widest,
                        shortest,
                        give: column.give,
                    })
                    .collect();
                fit(&measures, GAP.width(), budget)
            }
            None => self.widths.iter().copied().map(Some).collect(),
        }
    }

    /// Writes the rows held and lets them go, under a layout fixed from the rows so far (the
    /// headers first, the first time): for a report of more rows than memory should hold. Rows
    /// after it follow that layout: on a terminal a longer value is cut as the fit cuts it; in a
    /// pipe or a file it is written whole, past its column.
    pub(crate) fn spill(&mut self, out: &mut impl Write, budget: Option<usize>) -> io::Result<()> {
        let mut line = String::new();
        let (widths, written) = match self.spilled.take() {
            Some(spilled) => spilled,
            None => (self.start(out, &mut line, budget)?, 0),
        };
        self.write_rows(out, &mut line, &widths, budget.is_none())?;
        self.spilled = Some((widths, written + self.ends.len()));
        self.text.clear();
        self.ends.clear();
        Ok(())
    }

    /// Lays the table out from the rows so far, writes the headers, and gives the layout.
    fn start(
        &self,
        out: &mut impl Write,
        line: &mut String,
        budget: Option<usize>,
    ) -> io::Result<Vec<Option<usize>>> {
        let widths = self.layout(budget);
        let header = self.headers.iter().map(|h| h.table);
        write_line(out, line, header, &widths, self.headers, budget.is_none())?;
        Ok(widths)
    }

    fn write_rows(
        &self,
        out: &mut impl Write,
        line: &mut String,
        widths: &[Option<usize>],
        whole: bool,
    ) -> io::Result<()> {
        let mut start = 0;
        for &end in &self.ends {
            write_line(
                out,
                line,
                self.text[start..end].split(SEPARATOR),
                widths,
                self.headers,
                whole,
            )?;
            start = end;
        }
        Ok(())
    }

    /// Writes the headers, the rows and their count, within `budget` columns if any.
    pub(crate) fn write(&self, out: &mut impl Write, budget: Option<usize>) -> io::Result<()> {
        let mut line = String::new();
        let (widths, rows) = match &self.spilled {
            Some((widths, written)) => (widths.clone(), written + self.ends.len()),
            None => {
                if self.ends.is_empty() {
                    return writeln!(out, "No API keys.");
                }
                (self.start(out, &mut line, budget)?, self.ends.len())
            }
        };
        self.write_rows(out, &mut line, &widths, budget.is_none())?;
        let hidden: Vec<&str> = self
            .headers
            .iter()
            .zip(&widths)
            .filter(|(_, width)| width.is_none())
            // `CREATED (UTC)` is `CREATED` here: the line must fit the narrow terminal too.
            .map(|(column, _)| column.table.trim_end_matches(" (UTC)"))
            .collect();
        if hidden.is_empty() {
            writeln!(out, "{}", count(rows, "key"))
        } else {
            // Said, so that a narrow terminal is no surprise: the other formats have them all.
            writeln!(
                out,
                "{}; not shown: {}",
                count(rows, "key"),
                hidden.join(", ")
            )
        }
    }
}

/// The date of a time as the table renders it (`2026-11-25 09:30 (in 2 days)`), without its
/// relative form; any other value as it is.
fn date_of(value: &str) -> &str {
    value.split_once(" (").map_or(value, |(date, _)| date)
}

/// Writes the `values` of one line, each padded to its column's width (the last excepted) or
/// shortened to it, in `line`'s memory; a column without a width is hidden. A time too wide for
/// its column loses its relative form; other text is cut with `…`.
fn write_line<'a>(
    out: &mut impl Write,
    line: &mut String,
    values: impl Iterator<Item = &'a str>,
    widths: &[Option<usize>],
    headers: &[Column],
    whole: bool,
) -> io::Result<()> {
    line.clear();
    let shown: Vec<(&str, usize, Give)> = values
        .zip(widths.iter().zip(headers))
        .filter_map(|(value, (width, column))| width.map(|width| (value, width, column.give)))
        .collect();
    let columns = shown.len();
    for (column, (value, width, give)) in shown.into_iter().enumerate() {
        if column > 0 {
            line.push_str(GAP);
        }
        // Without a budget every column is as wide as its widest value, or the value is wider
        // than the layout of a spilled table: nothing is cut.
        let value = match give {
            _ if whole => Cow::Borrowed(value),
            Give::Time(_) if display_width(value) > width => {
                let date = date_of(value);
                if display_width(date) <= width {
                    Cow::Borrowed(date)
                } else {
                    cut(value, width)
                }
            }
            _ => cut(value, width),
        };
        line.push_str(&value);
        if column + 1 < columns {
            // A cut before a wide character leaves the value a column short of its width.
            line.extend(std::iter::repeat_n(
                ' ',
                width.saturating_sub(display_width(&value)),
            ));
        }
    }
    line.push('\n');
    out.write_all(line.as_bytes())
}

/// `%Y-%m-%d %H:%M`, as chrono parses it: parsed once here rather than for every time of every
/// row.
const MINUTES: &[Item<'static>] = &[
    Item::Numeric(Numeric::Year, Pad::Zero),
    Item::Literal("-"),
    Item::Numeric(Numeric::Month, Pad::Zero),
    Item::Literal("-"),
    Item::Numeric(Numeric::Day, Pad::Zero),
    Item::Space(" "),
    Item::Numeric(Numeric::Hour, Pad::Zero),
    Item::Literal(":"),
    Item::Numeric(Numeric::Minute, Pad::Zero),
];

/// Appends `cell` as the table shows it to `text`.
fn render(text: &mut String, cell: &Cell, clock: &Clock) {
    match cell {
        Cell::Text(Some(value)) if value.is_empty() => text.push_str("\"\""),
        Cell::Text(Some(value)) => push_printable(text, value),
        Cell::Text(None) => text.push('-'),
        Cell::Time(Some(at), _) => {
            let _ = write!(
                text,
                "{} ({})",
                at.format_with_items(MINUTES.iter()),
                clock.relative(*at)
            );
        }
        Cell::Time(None, absent) => text.push_str(absent),
    }
}

#[cfg(test)]
mod tests {
    use super::super::Column;
    use super::*;

    const ID: Column = Column::whole("ID", "id");
    const NAME: Column = Column::text("NAME", "name", 1);
    const THREE: &[Column] = &[ID, NAME, Column::time("EXPIRES (UTC)", "expires", None)];

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
    fn a_table_fits_eighty_and_sixty_columns_with_ids_and_dates_whole() {
        let wide = table(es_rows(3, "fleet-server-token"));
        assert!(
            widest(&wide) > 80,
            "the test's table is wider than 80:\n{wide}"
        );
        let text = fitted(es_rows(3, "fleet-server-token"), Some(80));
        assert_eq!(
            text,
            "ID                    NAME       CREATED (UTC)     EXPIRES (UTC)     STATUS\n\
             VuaCfGcBCdbkQm-e5a00  fleet-se…  2025-11-25 09:30  2026-11-25 09:30  invalidated\n\
             VuaCfGcBCdbkQm-e5a01  fleet-se…  2025-11-25 09:30  2026-11-25 09:30  invalidated\n\
             VuaCfGcBCdbkQm-e5a02  fleet-se…  2025-11-25 09:30  2026-11-25 09:30  invalidated\n\
             3 keys; not shown: TYPE, OWNER, REALM\n"
        );
        let narrow = fitted(es_rows(3, "fleet-server-token"), Some(60));
        assert_eq!(
            narrow,
            "ID                    NAME     EXPIRES (UTC)     STATUS\n\
             VuaCfGcBCdbkQm-e5a00  fleet-…  2026-11-25 09:30  invalidated\n\
             VuaCfGcBCdbkQm-e5a01  fleet-…  2026-11-25 09:30  invalidated\n\
             VuaCfGcBCdbkQm-e5a02  fleet-…  2026-11-25 09:30  invalidated\n\
             3 keys; not shown: TYPE, OWNER, REALM, CREATED\n"
        );
        for line in text.lines().chain(narrow.lines()) {
            assert!(line.width() <= 80, "{line}");
            assert!(
                !line.ends_with(' '),
                "the last column is not padded: {line:?}"
            );
        }
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
        assert!(narrow.contains("VuaCfGcBCdbkQm-e5a00"), "{narrow}");
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
    fn a_budget_below_what_gives_nothing_writes_ids_and_dates_whole_for_the_terminal_to_wrap() {
        for budget in [0, 1, 10, 30] {
            let text = fitted(es_rows(4, &"x".repeat(500)), Some(budget));
            assert_eq!(text.lines().count(), 6, "{budget}: {text}");
            for (i, line) in text.lines().skip(1).take(4).enumerate() {
                assert_eq!(
                    line,
                    format!("VuaCfGcBCdbkQm-e5a{i:02}  2026-11-25 09:30  invalidated"),
                    "{budget}"
                );
            }
        }
    }

    #[test]
    fn a_spilled_table_holds_little_and_writes_every_row_under_the_first_rows_layout() {
        let n = 1_000;
        let rows = es_rows(n, "name");
        let mut whole = Table::new(crate::es::view::HEADERS);
        let mut spilled = Table::new(crate::es::view::HEADERS);
        let mut written = Vec::new();
        let mut most = 0;
        for (i, row) in rows.rows.iter().enumerate() {
            let mut row = row.clone();
            // Wider than the rows before it, once the layout is fixed.
            if i == n - 2 {
                row[1] = Cell::text("a-much-longer-name");
            }
            whole.push(&row, &clock());
            spilled.push(&row, &clock());
            most = most.max(spilled.held());
            if spilled.held() > 4096 {
                spilled.spill(&mut written, None).unwrap();
            }
        }
        spilled.write(&mut written, None).unwrap();
        assert!(most < 4096 + 200, "held {most} bytes at most");
        let mut expected = Vec::new();
        whole.write(&mut expected, None).unwrap();
        let (written, expected) = (
            String::from_utf8(written).unwrap(),
            String::from_utf8(expected).unwrap(),
        );
        let (lines, expected): (Vec<&str>, Vec<&str>) =
            (written.lines().collect(), expected.lines().collect());
        assert_eq!(lines.len(), n + 2, "one header, every row, the count");
        assert_eq!(lines[n + 1], "1,000 keys");
        assert_eq!(lines.iter().filter(|l| l.starts_with("ID")).count(), 1);
        // The name column is as wide as the first rows' names: the longer name is written
        // whole, past its column, and the rows before it as the whole table would have them,
        // but narrower.
        assert!(
            lines[n - 1].contains("a-much-longer-name  cross_cluster"),
            "{}",
            lines[n - 1]
        );
        assert!(lines[1].contains("name  cross_cluster"), "{}", lines[1]);
        assert_ne!(lines[1], expected[1], "the whole table widens every row");
    }

    #[test]
    fn a_table_of_many_rows_collected_one_at_a_time() {
        let n = 5_000;
        let mut table = Table::new(crate::es::view::HEADERS);
        let rows = es_rows(n, "name");
        for (i, row) in rows.rows.iter().enumerate() {
            let mut row = row.clone();
            // A few values wider than the rest, and ones that must be escaped, far down the list.
            if i == n - 7 {
                row[1] = Cell::text("a-much-longer-name\u{1b}[2J");
            }
            if i == n - 3 {
                row[3] = Cell::Text(None);
                row[1] = Cell::text("");
            }
            table.push(&row, &clock());
        }
        assert!(
            table.held() < n * 200,
            "{} bytes for {n} rows",
            table.held()
        );
        let mut out = Vec::new();
        table.write(&mut out, None).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), n + 2);
        assert_eq!(lines[n + 1], "5,000 keys");
        // Every column is as wide as its widest value, wherever in the list that value is: the
        // escaped name, 27 characters, sets the name column.
        let type_column = lines[0].find("TYPE").unwrap();
        assert_eq!(lines[0].find("NAME"), Some(24));
        for line in &lines[1..=n] {
            assert!(line.starts_with("VuaCfGcBCdbkQm-e5a"), "{line}");
            assert_eq!(line.find("cross_cluster"), Some(type_column), "{line}");
            assert!(line.ends_with("invalidated"), "{line}");
            assert!(
                !line.contains('\u{1f}') && !line.contains('\u{1b}'),
                "{line}"
            );
        }
        assert!(lines[n - 6].contains("a-much-longer-name\\u{1b}[2J  cross_cluster"));
        assert!(lines[n - 2].contains(&format!("{:<27}  cross_cluster  -  ", "\"\"")));
        assert_eq!(
            lines[1].find("elastic/fleet-server"),
            Some(type_column + 15)
        );
    }

    #[test]
    fn times_are_written_as_strftime_writes_them() {
        let items: Vec<Item<'_>> = chrono::format::StrftimeItems::new("%Y-%m-%d %H:%M").collect();
        assert_eq!(items, MINUTES);
        for at in [
            "2026-11-25T09:30:00Z".parse().unwrap(),
            chrono::DateTime::<chrono::Utc>::MIN_UTC,
            chrono::DateTime::<chrono::Utc>::MAX_UTC,
            "+10000-01-01T00:00:00Z".parse().unwrap(),
        ] {
            assert_eq!(
                at.format_with_items(MINUTES.iter()).to_string(),
                at.format("%Y-%m-%d %H:%M").to_string()
            );
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
