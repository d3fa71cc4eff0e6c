//! Fitting a table's columns into a terminal's width, and cutting values to their column.
//!
//! Widths are display widths (unicode-width): a CJK character takes two columns, a combining
//! accent none.

use std::borrow::Cow;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The widest a column may be on a terminal, in columns: wide enough for a time with its relative
/// form (`2026-11-25 09:30 (in 2 days)`) and for most names, so that one long name does not push
/// every other column off the screen.
pub(super) const CAP: usize = 48;

/// The narrowest a column is made to fit the terminal: the start of a value and `…` still show.
/// A column narrower than this by nature keeps its own width.
pub(super) const MIN: usize = 6;

/// What marks a value cut short.
const ELLIPSIS: &str = "…";

/// The widths of columns whose widest values are `natural` wide, so that a row of them, with
/// `gap` columns between each two, fits `budget` where it can: each is capped at [`CAP`], then
/// the widest is narrowed by one column at a time until the row fits or every column is down to
/// [`MIN`]. A budget too small for that leaves the row wider than the budget; the caller still
/// writes each row on one line.
pub(super) fn fit(natural: &[usize], gap: usize, budget: usize) -> Vec<usize> {
    let mut widths: Vec<usize> = natural.iter().map(|&width| width.min(CAP)).collect();
    let gaps = gap.saturating_mul(widths.len().saturating_sub(1));
    // Each pass narrows one column by one, and no column goes below MIN: the loop ends after at
    // most CAP passes per column.
    while widths.iter().sum::<usize>().saturating_add(gaps) > budget {
        // Of equally wide columns, the rightmost: `max_by_key` returns the last maximum.
        let Some(widest) = widths
            .iter_mut()
            .filter(|width| **width > MIN)
            .max_by_key(|width| **width)
        else {
            break;
        };
        *widest -= 1;
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

    #[test]
    fn a_row_that_fits_is_left_alone() {
        assert_eq!(fit(&[20, 9, 4], 2, 80), [20, 9, 4]);
        assert_eq!(fit(&[], 2, 80), Vec::<usize>::new());
    }

    #[test]
    fn every_column_is_capped_on_a_terminal() {
        assert_eq!(fit(&[10_000, 3], 2, 10_000), [CAP, 3]);
    }

    #[test]
    fn the_widest_column_is_narrowed_first() {
        // 30 + 20 + 10 + 4 of gaps = 64, 14 too many: 10 from the widest until it is no wider
        // than the next, then 4 from those two in turn.
        assert_eq!(fit(&[30, 20, 10], 2, 50), [18, 18, 10]);
        // A narrow column keeps its width while wider ones remain.
        assert_eq!(fit(&[30, 20, 10], 2, 40), [13, 13, 10]);
        assert_eq!(fit(&[30, 20, 10], 2, 30), [9, 9, 8]);
    }

    #[test]
    fn the_es_table_fits_eighty_columns() {
        // The natural widths of `apikeys es list` on the README's cluster.
        let natural = [20, 18, 13, 20, 16, 32, 32, 11];
        let widths = fit(&natural, 2, 80);
        assert!(widths.iter().sum::<usize>() + 2 * 7 <= 80, "{widths:?}");
        assert!(widths.iter().all(|&width| width >= MIN), "{widths:?}");
    }

    #[test]
    fn no_column_goes_below_the_minimum_or_below_its_own_width() {
        assert_eq!(fit(&[40, 40, 3], 2, 5), [MIN, MIN, 3]);
        assert_eq!(fit(&[40, 40, 3], 2, 0), [MIN, MIN, 3]);
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
