//! JSON given on the command line: inline, in a file, or on stdin (`-`), each checked before
//! anything is sent, with the flag named in the error.

use std::io::{self, Read};

use serde_json::Value;

use crate::failure::Failure;
use crate::text::printable;

/// The text of a file, or of stdin for `-`; `flag` names the option in errors.
pub(crate) fn read_source(source: &str, flag: &str) -> Result<String, Failure> {
    let mut text = String::new();
    if source == "-" {
        io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::usage(format!("{flag} -: cannot read stdin: {e}")))?;
    } else {
        text = std::fs::read_to_string(source)
            .map_err(|e| Failure::usage(format!("{flag} {}: {e}", printable(source))))?;
    }
    Ok(text)
}

/// The JSON of `text`, given to `flag`.
pub(crate) fn parse(text: &str, flag: &str) -> Result<Value, Failure> {
    serde_json::from_str(text).map_err(|e| Failure::usage(format!("{flag}: not JSON: {e}")))
}

/// The JSON object of `text`, given to `flag` (such as `--metadata`).
pub(crate) fn object(text: &str, flag: &str) -> Result<Value, Failure> {
    let value = parse(text, flag)?;
    if value.is_object() {
        Ok(value)
    } else {
        Err(Failure::usage(format!(
            "{flag}: a JSON object, such as {{\"team\": \"ci\"}}"
        )))
    }
}

/// The JSON of the file `source` (or stdin for `-`), given to `flag`.
pub(crate) fn from_source(source: &str, flag: &str) -> Result<Value, Failure> {
    parse(&read_source(source, flag)?, flag)
}

/// The JSON given to `flag` inline (text that starts with `{`), or in the file `given`.
pub(crate) fn inline_or_source(given: &str, flag: &str) -> Result<Value, Failure> {
    if given.trim_start().starts_with('{') {
        parse(given, flag)
    } else {
        from_source(given, flag)
    }
}
