//! Fitting a table's columns into a terminal's width, and cutting values to their column.
//!
//! Widths are display widths (unicode-width): a CJK character takes two columns, a combining
//! accent none. On a terminal too narrow for every value whole, columns give up space as their
//! [`Give`] says, the least useful first, as `kubectl get` and `gh` do: an id is never cut (it
//! must paste whole into `es invalidate --id`), a date never loses more than its relative form,
//! and a row that still cannot fit is written whole, for the terminal to wrap.

use std::borrow::Cow;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The widest a column may be on a terminal, in columns: wide enough for a time with its relative
/// form (`2026-11-25 09:30 (in 2 days)`) and for most names, so that one long name does not push
/// every other column off the screen. Columns that give up nothing keep their width.
pub(super) const CAP: usize = 48;

/// The narrowest a text column is made to fit the terminal: the start of a value and `…` still
/// show. A column narrower than this by nature keeps its own width.
pub(super) const MIN: usize = 6;

/// What marks a value cut short.
const ELLIPSIS: &str = "…";

/// How a column gives up space on a terminal too narrow for every value whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Give {
    /// Nothing: never cut, never hidden. Ids, the status, the audit's target.
    Nothing,
    /// Text, cut with `…` down to [`MIN`] columns and, when even that does not fit, hidden; a
    /// column of a lower rank gives first.
    Text(u8),
    /// Times: the relative form (`(in 2 days)`) goes before any text is cut short, the date
    /// itself never. With a rank, the column is hidden as a text column of that rank is.
    Time(Option<u8>),
}

impl Give {
    /// The rank in which the column is hidden, if it ever is.
    fn rank(self) -> Option<u8> {
        match self {
            Self::Nothing | Self::Time(None) => None,
            Self::Text(rank) | Self::Time(Some(rank)) => Some(rank),
        }
    }
}

/// One column, as [`fit`] weighs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Measure {
    /// Its widest value, header included.
    pub(super) widest: usize,
    /// Its widest value once shortened as far as it may be: a time's date alone; for text, the
    /// same as `widest` ([`MIN`] applies).
    pub(super) shortest: usize,
    pub(super) give: Give,
}

impl Measure {
    /// Its width with every value whole, capped at [`CAP`] unless it gives nothing.
    fn natural(&self) -> usize {
        match self.give {
            Give::Nothing => self.widest,
            _ => self.widest.min(CAP),
        }
    }

    /// The least width it can be given.
    fn least(&self) -> usize {
        match self.give {
            Give::Nothing => self.widest,
            Give::Text(_) => self.widest.min(MIN),
            Give::Time(_) => self.shortest.min(self.widest),
        }
    }
}

/// The width of each of `columns`, `None` for one hidden, so that a row of them, with `gap`
/// columns between each two shown, fits `budget` where it can:
/// 1. every column at its natural width (capped at [`CAP`]), if that fits;
/// 2. otherwise the columns that hide do so, lowest rank first, until the rest fit at their least
///    widths; then the most useful of them come back where there is room for them;
/// 3. text columns are narrowed, the widest first, down to [`MIN`]; if that is not enough,
///    times lose their relative form; what is left over goes back to the text columns.
///
/// Where even the columns that give nothing do not fit, the row is wider than the budget.
pub(super) fn fit(columns: &[Measure], gap: usize, budget: usize) -> Vec<Option<usize>> {
    let span = |widths: &[Option<usize>]| {
        let shown: Vec<usize> = widths.iter().flatten().copied().collect();
        shown
            .iter()
            .sum::<usize>()
            .saturating_add(gap.saturating_mul(shown.len().saturating_sub(1)))
    };
    let mut widths: Vec<Option<usize>> = columns.iter().map(|c| Some(c.natural())).collect();
    if span(&widths) <= budget {
        return widths;
    }
    // 2. Which columns are shown: hidden by rank while the least widths do not fit.
    let least: Vec<Option<usize>> = columns.iter().map(|c| Some(c.least())).collect();
    let mut shown = least.clone();
    let mut by_rank: Vec<usize> = (0..columns.len())
        .filter(|&i| columns[i].give.rank().is_some())
        .collect();
    by_rank.sort_by_key(|&i| columns[i].give.rank());
    let mut hidden = Vec::new();
    for &column in &by_rank {
        if span(&shown) <= budget {
            break;
        }
        shown[column] = None;
        hidden.push(column);
    }
    for &column in hidden.iter().rev() {
        let mut with = shown.clone();
        with[column] = least[column];
        if span(&with) <= budget {
            shown = with;
        }
    }
    for (width, show) in widths.iter_mut().zip(&shown) {
        if show.is_none() {
            *width = None;
        }
    }
    // 3. The widths of the columns shown.
    let texts: Vec<usize> = (0..columns.len())
        .filter(|&i| widths[i].is_some() && matches!(columns[i].give, Give::Text(_)))
        .collect();
    // Each pass narrows one column by one, and none goes below its least width: the loop ends
    // after at most CAP passes per column.
    while span(&widths) > budget {
        // Of equally wide columns, the rightmost: `max_by_key` returns the last maximum.
        let Some(widest) = texts
            .iter()
            .filter(|&&i| widths[i] > least[i])
            .max_by_key(|&&i| widths[i])
        else {
            break;
        };
        widths[*widest] = widths[*widest].map(|width| width - 1);
    }
    if span(&widths) > budget {
        for (i, column) in columns.iter().enumerate() {
            if widths[i].is_some() && matches!(column.give, Give::Time(_)) {
                widths[i] = least[i];
            }
        }
        // What the dates gave up beyond what was needed goes back to the text, the narrowest
        // (against its natural width) first.
        while span(&widths) < budget {
            let Some(narrowest) = texts
                .iter()
                .filter(|&&i| widths[i] < Some(columns[i].natural()))
                .min_by_key(|&&i| widths[i])
            else {
                break;
            };
            widths[*narrowest] = widths[*narrowest].map(|width| width + 1);
        }
    }
    widths
}

/// The display width of `text`, a rendered value (no controls: they are escaped). Printable
/// ASCII, nearly every value of a table, takes a column a byte, which is much cheaper to count
/// than unicode-width's look-up of each character.
pub(super) fn display_width(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        text.width()
    }
}

/// `text` cut to `width` display columns, ending in `…` if it was cut. The cut falls between
/// characters: where a wide character does not fit, the result is a column narrower than `width`.
pub(super) fn cut(text: &str, width: usize) -> Cow<'_, str> {
    if display_width(text) <= width {
        return Cow::Borrowed(text);
    }
    let Some(room) = width.checked_sub(ELLIPSIS.width()) else {
        return Cow::Borrowed("");
    };
    let mut out = String::with_capacity(room + ELLIPSIS.len());
    let mut used = 0;
    for c in text.chars() {
        let char_width = c.width().unwrap_or(0);
        if used + char_width > room {
            break;
        }
        out.push(c);
        used += char_width;
    }
    // unicode-width measures some sequences (emoji with modifiers, for one) otherwise than the
    // sum of their characters: shorten until the whole measures as it must.
    while out.width() > room {
        out.pop();
    }
    out.push_str(ELLIPSIS);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(widest: usize, rank: u8) -> Measure {
        Measure {
            widest,
            shortest: widest,
            give: Give::Text(rank),
        }
    }

    fn whole(widest: usize) -> Measure {
        Measure {
            widest,
            shortest: widest,
            give: Give::Nothing,
        }
    }

    fn time(hide: Option<u8>) -> Measure {
        // `2026-11-25 09:30 (in 2 days)`, whose date is 16 columns.
        Measure {
            widest: 28,
            shortest: 16,
            give: Give::Time(hide),
        }
    }

    fn shown(widths: &[Option<usize>]) -> usize {
        let shown: Vec<usize> = widths.iter().flatten().copied().collect();
        shown.iter().sum::<usize>() + 2 * shown.len().saturating_sub(1)
    }

    #[test]
    fn a_row_that_fits_is_left_alone() {
        let columns = [text(20, 1), text(9, 2), whole(4)];
        assert_eq!(fit(&columns, 2, 80), [Some(20), Some(9), Some(4)]);
        assert_eq!(fit(&[], 2, 80), Vec::<Option<usize>>::new());
    }

    #[test]
    fn every_column_but_whole_ones_is_capped_on_a_terminal() {
        assert_eq!(
            fit(&[text(10_000, 1), whole(60), whole(3)], 2, 10_000),
            [Some(CAP), Some(60), Some(3)]
        );
    }

    #[test]
    fn the_widest_text_is_narrowed_first() {
        // 30 + 20 + 10 + 4 of gaps = 64, 14 too many: 10 from the widest until it is no wider
        // than the next, then 4 from those two in turn.
        let columns = [text(30, 3), text(20, 2), text(10, 1)];
        assert_eq!(fit(&columns, 2, 50), [Some(18), Some(18), Some(10)]);
        assert_eq!(fit(&columns, 2, 40), [Some(13), Some(13), Some(10)]);
    }

    #[test]
    fn ids_are_never_cut_and_dates_lose_only_their_relative_form() {
        // The columns of `apikeys es list`: id, name, type, owner, realm, created, expires,
        // status.
        let columns = [
            whole(20),
            text(18, 4),
            text(13, 2),
            text(20, 3),
            text(16, 1),
            time(Some(5)),
            time(None),
            whole(11),
        ];
        for budget in [200, 150, 120, 100, 80, 60, 51, 50, 0] {
            let widths = fit(&columns, 2, budget);
            // 51 columns is what gives nothing: the id, the expiry's date and the status.
            assert!(shown(&widths) <= budget.max(51), "{budget}: {widths:?}");
            assert_eq!(widths[0], Some(20), "{budget}: the id is whole");
            assert_eq!(widths[7], Some(11), "{budget}: the status is whole");
            assert!(
                widths[6] >= Some(16),
                "{budget}: the expiry is a whole date"
            );
            assert!(
                widths[5].is_none_or(|width| width >= 16),
                "{budget}: a creation shown is a whole date: {widths:?}"
            );
            for text in [1, 2, 3, 4] {
                assert!(
                    widths[text].is_none_or(|width| width >= MIN),
                    "{budget}: {widths:?}"
                );
            }
        }
        // At 80 the realm, the type and the owner give way; at 60 the creation too.
        assert_eq!(
            fit(&columns, 2, 80),
            [
                Some(20),
                Some(9),
                None,
                None,
                None,
                Some(16),
                Some(16),
                Some(11)
            ]
        );
        assert_eq!(
            fit(&columns, 2, 60),
            [
                Some(20),
                Some(7),
                None,
                None,
                None,
                None,
                Some(16),
                Some(11)
            ]
        );
        // A terminal wide enough keeps the relative forms and narrows the text instead.
        let roomy = fit(&columns, 2, 150);
        assert_eq!((roomy[5], roomy[6]), (Some(28), Some(28)), "{roomy:?}");
    }

    #[test]
    fn a_budget_below_what_gives_nothing_leaves_the_row_wider() {
        let columns = [whole(20), text(40, 1), time(None), whole(11)];
        let widths = fit(&columns, 2, 10);
        assert_eq!(widths, [Some(20), None, Some(16), Some(11)]);
    }

    #[test]
    fn values_are_cut_on_display_width() {
        assert_eq!(cut("short", 10), "short");
        assert_eq!(cut("exactly10!", 10), "exactly10!");
        assert_eq!(cut("eleven-wide", 10), "eleven-wi…");
        assert_eq!(cut("anything", 1), "…");
        assert_eq!(cut("anything", 0), "");
        // Each CJK character takes two columns: 4 of them fill 8, and the ninth column is left
        // empty rather than half a character shown.
        let cjk = cut("日本語の名前です", 10);
        assert_eq!(cjk, "日本語の…");
        assert_eq!(cjk.width(), 9);
        // A combining accent stays with its letter.
        assert_eq!(
            cut("e\u{301}e\u{301}e\u{301}e\u{301}", 3),
            "e\u{301}e\u{301}…"
        );
    }

    #[test]
    fn printable_ascii_takes_a_column_a_byte_as_unicode_width_says() {
        let ascii: String = (' '..='~').collect();
        assert_eq!(display_width(&ascii), ascii.width());
        assert_eq!(display_width("日本 é"), "日本 é".width());
    }

    #[test]
    fn a_very_long_value_is_cut_to_its_column() {
        let long = "n".repeat(10_000);
        let cut = cut(&long, CAP);
        assert_eq!(cut.width(), CAP);
        assert!(cut.ends_with('…'));
    }
}
