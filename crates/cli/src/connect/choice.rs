//! Two settings that say the same thing in two ways (`--url` and `--cloud-id`, `--ca-cert` and
//! `--ca-fingerprint`), each a flag with a variable: which one a run uses.

use crate::failure::Failure;

/// A setting's flag and variable.
pub(crate) struct Setting {
    pub(crate) flag: &'static str,
    pub(crate) variable: &'static str,
}

pub(crate) const URL: Setting = Setting {
    flag: "--url",
    variable: "ELASTICSEARCH_URL",
};
pub(crate) const CLOUD_ID: Setting = Setting {
    flag: "--cloud-id",
    variable: "ELASTIC_CLOUD_ID",
};
pub(crate) const CA_CERT: Setting = Setting {
    flag: "--ca-cert",
    variable: "ELASTICSEARCH_CA_CERT",
};
pub(crate) const CA_FINGERPRINT: Setting = Setting {
    flag: "--ca-fingerprint",
    variable: "ELASTICSEARCH_CA_FINGERPRINT",
};

impl Setting {
    /// Where its value came from, for a message: the flag when typed, the variable otherwise.
    pub(crate) fn source(&self, typed: bool) -> &'static str {
        if typed { self.flag } else { self.variable }
    }

    /// Its value on this run, and whether it was typed.
    pub(crate) fn given<'a>(&'static self, value: Option<&'a str>, typed: bool) -> Given<'a> {
        Given {
            setting: self,
            value,
            typed,
        }
    }
}

/// A setting's value on a run.
pub(crate) struct Given<'a> {
    setting: &'static Setting,
    value: Option<&'a str>,
    typed: bool,
}

/// Which of `first` and `second` holds: the one given, or the one typed when the other came from
/// the environment. Both typed, or both from the environment, is a usage error: nothing says
/// which was meant. `why` says why they cannot go together.
pub(crate) fn either<'a>(
    first: Given<'a>,
    second: Given<'a>,
    why: &str,
) -> Result<(Option<&'a str>, Option<&'a str>), Failure> {
    let (one, other) = (first.setting, second.setting);
    match (first.value, second.value) {
        (Some(_), Some(_)) if first.typed && second.typed => Err(Failure::usage(format!(
            "{} and {} cannot be used together: {why}",
            one.flag, other.flag
        ))),
        (Some(value), Some(_)) if first.typed => Ok((Some(value), None)),
        (Some(_), Some(value)) if second.typed => Ok((None, Some(value))),
        (Some(_), Some(_)) => Err(Failure::usage(format!(
            "{} and {} are both set ({why}): unset one, or choose with {} or {}",
            one.variable, other.variable, one.flag, other.flag
        ))),
        (first, second) => Ok((first, second)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_beats_the_environment_and_ties_are_errors() {
        let pick = |a: (Option<&'static str>, bool), b: (Option<&'static str>, bool)| {
            either(URL.given(a.0, a.1), CLOUD_ID.given(b.0, b.1), "why")
        };
        assert_eq!(
            pick((Some("a"), true), (Some("b"), false)),
            Ok((Some("a"), None))
        );
        assert_eq!(
            pick((Some("a"), false), (Some("b"), true)),
            Ok((None, Some("b")))
        );
        assert_eq!(
            pick((Some("a"), false), (None, false)),
            Ok((Some("a"), None))
        );
        assert_eq!(
            pick((Some("a"), true), (Some("b"), true)),
            Err(Failure::usage(
                "--url and --cloud-id cannot be used together: why"
            ))
        );
        assert_eq!(
            pick((Some("a"), false), (Some("b"), false)),
            Err(Failure::usage(
                "ELASTICSEARCH_URL and ELASTIC_CLOUD_ID are both set (why): unset one, or choose \
                 with --url or --cloud-id"
            ))
        );
    }
}
