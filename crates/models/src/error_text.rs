//! serde_json's error messages without the values they quote. A message such as `invalid type:
//! string "…", expected i64` quotes the server's data, which may be a secret (a new key's
//! `api_key` sent as a number) or simply none of the reader's business: the shape of what failed
//! is the reason. The models' [`ItemError`](crate::stream::ItemError) and the client's errors
//! about answers that hold secrets both use it.

/// serde_json's `message` with every value it quotes left out: `string "..."`, ``integer `1` ``,
/// ``floating point `1.5` ``, ``boolean `true` `` and ``unknown variant `...` `` become `a string`,
/// `an integer`, `a number`, `a boolean` and `an unknown variant`. Field names stay: they are the
/// schema's, and say what failed.
///
/// For this workspace's crates (the client's errors about answers that hold secrets), not an API
/// of the models.
#[doc(hidden)]
pub fn without_values(message: &str) -> String {
    const QUOTED: [(&str, char, &str); 6] = [
        ("string \"", '"', "a string"),
        ("character `", '`', "a character"),
        ("integer `", '`', "an integer"),
        ("floating point `", '`', "a number"),
        ("boolean `", '`', "a boolean"),
        ("unknown variant `", '`', "an unknown variant"),
    ];
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    loop {
        let next = QUOTED
            .iter()
            .filter_map(|(opening, close, word)| {
                rest.find(opening).map(|at| (at, *opening, *close, *word))
            })
            .min_by_key(|(at, ..)| *at);
        let Some((at, opening, close, word)) = next else {
            break;
        };
        out.push_str(&rest[..at]);
        out.push_str(word);
        let quoted = &rest[at + opening.len()..];
        // The value is written as Rust's `Debug` writes it: `\"` and `\\` are escapes.
        let mut end = quoted.len();
        let mut escaped = false;
        for (index, c) in quoted.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' if close == '"' => escaped = true,
                c if c == close => {
                    end = index + 1;
                    break;
                }
                _ => {}
            }
        }
        rest = &quoted[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::without_values;

    #[test]
    fn reasons_quote_no_value() {
        assert_eq!(
            without_values(
                "invalid type: string \"2026-\\\"12\", expected i64 at line 1 column 40"
            ),
            "invalid type: a string, expected i64 at line 1 column 40"
        );
        assert_eq!(
            without_values("invalid type: integer `123456`, expected a string"),
            "invalid type: an integer, expected a string"
        );
        assert_eq!(
            without_values("unknown variant `s3cret`, expected `rest` or `cross_cluster`"),
            "an unknown variant, expected `rest` or `cross_cluster`"
        );
        assert_eq!(
            without_values("missing field `api_key` at line 1 column 9"),
            "missing field `api_key` at line 1 column 9"
        );
    }
}
