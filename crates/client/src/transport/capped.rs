//! Text of a bounded size: what every error prints goes through it.

use std::fmt;

/// The most any error prints, in `Display` or in `Debug`, whatever the size of the body it came
/// from: an error goes to logs, and a 100 MB body (or a secret in one) must not follow it there.
pub const MAX_ERROR_TEXT: usize = 2048;

/// A writer that passes at most [`MAX_ERROR_TEXT`] bytes to a formatter, then an ellipsis.
pub(crate) struct Capped<'a, 'b> {
    f: &'a mut fmt::Formatter<'b>,
    left: usize,
    cut: bool,
    failed: bool,
}

pub(crate) const ELLIPSIS: &str = "…";

impl<'a, 'b> Capped<'a, 'b> {
    pub(crate) fn new(f: &'a mut fmt::Formatter<'b>) -> Self {
        Self {
            f,
            left: MAX_ERROR_TEXT - ELLIPSIS.len(),
            cut: false,
            failed: false,
        }
    }

    pub(crate) fn finish(self) -> fmt::Result {
        if self.failed {
            return Err(fmt::Error);
        }
        if self.cut {
            self.f.write_str(ELLIPSIS)?;
        }
        Ok(())
    }
}

impl fmt::Write for Capped<'_, '_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if self.cut {
            return Ok(());
        }
        let mut end = s.len().min(self.left);
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        if end < s.len() {
            self.cut = true;
        }
        self.left -= end;
        if self.f.write_str(&s[..end]).is_err() {
            self.failed = true;
        }
        Ok(())
    }
}
