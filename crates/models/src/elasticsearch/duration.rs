//! [`Duration`]: an API key's `expiration` as Elasticsearch reads it, checked when it is made.
//!
//! The server reads every API-key `expiration` with `TimeValue.parseTimeValue`
//! (`libs/core/src/main/java/org/elasticsearch/core/TimeValue.java` in elastic/elasticsearch): the
//! text is lower-cased and trimmed, then it is `-1`, `0`, or a whole number followed by one of the
//! units `nanos`, `micros`, `ms`, `s`, `m`, `h` and `d` (spaces between them allowed). Fractions
//! (`1.5h`) are refused ("fractional time values are not supported"), and so are negative numbers
//! below -1. Anything else is a 400 after a round trip; this type refuses it before sending.

use std::fmt;
use std::str::FromStr;

use compact_str::CompactString;

/// A duration as Elasticsearch reads it: `30d`, `12h`, `90m`, `3600s`, `-1` (never, where an API
/// takes it).
///
/// Made from its text form (`"30d".parse()`, `Duration::try_from("30d")`, or any builder setter
/// that takes one, such as `.expiration("30d")`), which is checked against the server's grammar,
/// or from a [`chrono::TimeDelta`] or [`std::time::Duration`], written in the largest unit that
/// holds it exactly (`TimeDelta::days(30)` is `30d`). It is written as given: `"30D"` stays
/// `30D`, which the server reads as `30d`.
///
/// ```
/// use elastic_apikeys_models::elasticsearch::{CreateApiKeyRequest, Duration};
///
/// let thirty_days = Duration::try_from(chrono::TimeDelta::days(30))?;
/// assert_eq!(thirty_days.as_str(), "30d");
/// assert_eq!(thirty_days.to_time_delta(), Some(chrono::TimeDelta::days(30)));
///
/// let request = CreateApiKeyRequest::builder().name("ci").expiration(thirty_days).build()?;
/// assert_eq!(serde_json::to_value(&request)?["expiration"], "30d");
///
/// let refused = CreateApiKeyRequest::builder().name("ci").expiration("30x").build();
/// assert!(refused.unwrap_err().to_string().contains("30x"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, serde::Serialize, schemars::JsonSchema)]
#[serde(transparent)]
pub struct Duration(CompactString);

/// Why a text is not a [`Duration`], in the words of the server's refusal.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct InvalidDuration {
    text: CompactString,
    reason: &'static str,
}

impl InvalidDuration {
    /// The text that was refused.
    pub fn text(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for InvalidDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a duration Elasticsearch reads: {}; write a whole number and one of the \
             units nanos, micros, ms, s, m, h or d, such as 30d, 12h or 90m",
            self.text, self.reason
        )
    }
}

impl std::error::Error for InvalidDuration {}

/// The units, in the order `TimeValue.parseTimeValue` tries them (`ms` before `s`).
const UNITS: [(&str, i64); 7] = [
    ("nanos", 1),
    ("micros", 1_000),
    ("ms", 1_000_000),
    ("s", 1_000_000_000),
    ("m", 60_000_000_000),
    ("h", 3_600_000_000_000),
    ("d", 86_400_000_000_000),
];

/// Java's `String.trim()`: every character up to U+0020 goes, not only whitespace.
fn java_trim(text: &str) -> &str {
    text.trim_matches(|c: char| c <= ' ')
}

/// The number of nanoseconds `text` stands for, as the server reads it; `-1` for "never".
fn read(text: &str) -> Result<i128, &'static str> {
    let normalized = java_trim(text).to_lowercase();
    let Some((number, unit)) = UNITS
        .iter()
        .find_map(|(unit, nanos)| Some((normalized.strip_suffix(unit)?, *nanos)))
    else {
        // `-1` and `0` (`-0*1`, `0+`) are the only values without a unit.
        let bare = normalized.as_str();
        let minus_one = bare.strip_prefix('-').is_some_and(|rest| {
            rest.trim_start_matches('0') == "1" && rest.chars().all(|c| c.is_ascii_digit())
        });
        if minus_one {
            return Ok(-1);
        }
        if !bare.is_empty() && bare.chars().all(|c| c == '0') {
            return Ok(0);
        }
        return Err("the unit is missing or unrecognized");
    };
    let number = java_trim(number);
    // Java's `Long.parseLong`: an optional sign, then ASCII digits, within 64 bits.
    let digits = number.strip_prefix(['+', '-']).unwrap_or(number);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        let fractional = number.parse::<f64>().is_ok();
        return Err(if fractional {
            "fractional time values are not supported"
        } else {
            "the number is not a whole number"
        });
    }
    let value: i64 = number
        .parse()
        .map_err(|_| "the number does not fit in 64 bits")?;
    if value < -1 {
        return Err("negative durations are not supported");
    }
    Ok(i128::from(value) * i128::from(unit))
}

impl Duration {
    /// Checks `text` against the server's grammar.
    pub fn parse(text: &str) -> Result<Self, InvalidDuration> {
        match read(text) {
            Ok(_) => Ok(Self(CompactString::from(text))),
            Err(reason) => Err(InvalidDuration {
                text: CompactString::from(text),
                reason,
            }),
        }
    }

    /// The text, as it is sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The length of time it stands for; `None` for `-1` ("never") and for a length beyond
    /// `TimeDelta`'s range.
    pub fn to_time_delta(&self) -> Option<chrono::TimeDelta> {
        let nanos = read(&self.0).ok()?;
        if nanos < 0 {
            return None;
        }
        let seconds = i64::try_from(nanos / 1_000_000_000).ok()?;
        // The remainder is below 10^9, which fits in a u32.
        let nanos = u32::try_from(nanos % 1_000_000_000).ok()?;
        chrono::TimeDelta::new(seconds, nanos)
    }

    /// `nanos` nanoseconds, in the largest unit that holds it exactly.
    fn from_nanos(nanos: i128) -> Result<Self, InvalidDuration> {
        let (unit, size) = UNITS
            .iter()
            .rev()
            .find(|(_, size)| nanos % i128::from(*size) == 0)
            .expect("every whole number of nanoseconds is a whole number of nanos");
        let count = nanos / i128::from(*size);
        if i64::try_from(count).is_err() {
            return Err(InvalidDuration {
                text: CompactString::from(format!("{nanos}nanos")),
                reason: "the number does not fit in 64 bits",
            });
        }
        Ok(Self(CompactString::from(format!("{count}{unit}"))))
    }
}

impl fmt::Debug for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::ops::Deref for Duration {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl FromStr for Duration {
    type Err = InvalidDuration;

    fn from_str(text: &str) -> Result<Self, InvalidDuration> {
        Self::parse(text)
    }
}

impl TryFrom<&str> for Duration {
    type Error = InvalidDuration;

    fn try_from(text: &str) -> Result<Self, InvalidDuration> {
        Self::parse(text)
    }
}

impl TryFrom<&String> for Duration {
    type Error = InvalidDuration;

    fn try_from(text: &String) -> Result<Self, InvalidDuration> {
        Self::parse(text)
    }
}

impl TryFrom<String> for Duration {
    type Error = InvalidDuration;

    fn try_from(text: String) -> Result<Self, InvalidDuration> {
        Self::parse(&text)
    }
}

impl TryFrom<CompactString> for Duration {
    type Error = InvalidDuration;

    fn try_from(text: CompactString) -> Result<Self, InvalidDuration> {
        Self::parse(&text)
    }
}

/// A negative `TimeDelta` is refused: the server takes no negative duration but `-1`, which
/// means "never" rather than a length of time.
impl TryFrom<chrono::TimeDelta> for Duration {
    type Error = InvalidDuration;

    fn try_from(delta: chrono::TimeDelta) -> Result<Self, InvalidDuration> {
        let nanos =
            i128::from(delta.num_seconds()) * 1_000_000_000 + i128::from(delta.subsec_nanos());
        if nanos < 0 {
            return Err(InvalidDuration {
                text: CompactString::from(format!("{delta}")),
                reason: "negative durations are not supported",
            });
        }
        Self::from_nanos(nanos)
    }
}

impl TryFrom<std::time::Duration> for Duration {
    type Error = InvalidDuration;

    fn try_from(duration: std::time::Duration) -> Result<Self, InvalidDuration> {
        Self::from_nanos(
            i128::from(duration.as_secs()) * 1_000_000_000 + i128::from(duration.subsec_nanos()),
        )
    }
}

impl From<Duration> for CompactString {
    fn from(duration: Duration) -> Self {
        duration.0
    }
}

/// A stored request is read as strictly as one is built: a text the server would refuse is an
/// error that names it.
impl<'de> serde::Deserialize<'de> for Duration {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = CompactString::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_the_server_reads() {
        for text in [
            "30d", "12h", "90m", "3600s", "500ms", "10micros", "7nanos", "30D", " 30d ", "30 d",
            "-1", "-001", "0", "000", "0d", "+5m", "-1d",
        ] {
            assert!(Duration::parse(text).is_ok(), "{text}");
        }
        for (text, why) in [
            ("30x", "unit is missing"),
            ("", "unit is missing"),
            ("d", "not a whole number"),
            ("1.5h", "fractional"),
            ("-2d", "negative"),
            ("99999999999999999999d", "64 bits"),
            ("1e3s", "fractional"),
            ("5", "unit is missing"),
            ("-2", "unit is missing"),
        ] {
            let error = Duration::parse(text).unwrap_err();
            assert!(error.to_string().contains(why), "{text}: {error}");
            assert_eq!(error.text(), text);
        }
    }

    #[test]
    fn a_typed_duration_is_written_in_its_largest_exact_unit() {
        let cases = [
            (chrono::TimeDelta::days(30), "30d"),
            (chrono::TimeDelta::hours(36), "36h"),
            (chrono::TimeDelta::minutes(90), "90m"),
            (chrono::TimeDelta::seconds(61), "61s"),
            (chrono::TimeDelta::milliseconds(1500), "1500ms"),
            (chrono::TimeDelta::microseconds(3), "3micros"),
            (chrono::TimeDelta::nanoseconds(7), "7nanos"),
            (chrono::TimeDelta::zero(), "0d"),
        ];
        for (delta, text) in cases {
            let duration = Duration::try_from(delta).unwrap();
            assert_eq!(duration.as_str(), text);
            assert_eq!(duration.to_time_delta(), Some(delta), "{text}");
        }
        assert!(Duration::try_from(chrono::TimeDelta::seconds(-1)).is_err());
        let std = Duration::try_from(std::time::Duration::from_secs(7200)).unwrap();
        assert_eq!(std.as_str(), "2h");
        let too_long = Duration::try_from(std::time::Duration::MAX).unwrap_err();
        assert!(too_long.to_string().contains("64 bits"), "{too_long}");
        let longest = Duration::try_from(std::time::Duration::from_secs(i64::MAX as u64)).unwrap();
        assert!(Duration::parse(longest.as_str()).is_ok(), "{longest}");
        assert_eq!(Duration::parse("-1").unwrap().to_time_delta(), None);
    }

    #[test]
    fn decoding_checks_and_encoding_keeps_the_text() {
        let duration: Duration = serde_json::from_str("\"30D\"").unwrap();
        assert_eq!(serde_json::to_string(&duration).unwrap(), "\"30D\"");
        let error = serde_json::from_str::<Duration>("\"30x\"").unwrap_err();
        assert!(
            error.to_string().contains("\"30x\" is not a duration"),
            "{error}"
        );
        assert!(serde_json::from_str::<Duration>("30").is_err());
    }
}
