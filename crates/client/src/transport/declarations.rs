//! What the spec declares of each operation, as the generator writes it into each client: its
//! request rules, whether it may be sent again and which fields of its answers are secrets. The
//! runtime reads these tables and keeps no per-operation code of its own. ("Declarations", not
//! "policy": `RetryPolicy` is how a client retries, whatever the operation.)

/// The declarations of one operation (`x-retry`, `x-request-rules` and `format: password` in the
/// spec).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Declared {
    /// The operation, as the generated client names it (`security_get_api_key`).
    pub(crate) operation_id: &'static str,
    /// Whether sending it twice does no harm, so that it may be retried (`x-retry: safe`).
    pub(crate) retry_safe: bool,
    /// The requests the API refuses, in the order the server checks them.
    pub(crate) rules: &'static [RequestRule],
    /// The fields of its answers that hold secrets (`format: password` in the spec): their
    /// values are redacted wherever an error quotes an answer.
    pub(crate) secret_fields: &'static [&'static str],
}

/// A request the API refuses with a 400 and `message`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RequestRule {
    /// The server's own words. `{positions}` (of [`RuleCheck::NoBlank`]) stands for where the
    /// request's list has blank items.
    pub(crate) message: &'static str,
    /// The words when several items break a [`RuleCheck::NoBlank`] rule; empty otherwise.
    pub(crate) message_many: &'static str,
    /// When the rule is broken.
    pub(crate) check: RuleCheck,
    /// The rule applies only when this text parameter is sent with exactly this value
    /// (`when` in the spec): the server checks it only then.
    pub(crate) when: Option<(Param, &'static str)>,
    /// What counts as a given parameter for this rule (`given` in the spec).
    pub(crate) given: Given,
    /// The server refuses at this rule and checks none after it (`stop` in the spec): it throws
    /// as it reads the request rather than collecting the rule's message.
    pub(crate) stop: bool,
}

/// When a [`RequestRule`] is broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RuleCheck {
    /// Every group has a parameter that is given (`groups` in the spec): the groups exclude one
    /// another.
    Together(&'static [&'static [Param]]),
    /// None of the parameters is given (`one_of`).
    NoneOf(&'static [Param]),
    /// One of the lists is given without an item (`non_empty`).
    Empty(&'static [Param]),
    /// One of the lists has an item that is not text: null, empty or whitespace (`no_blank`).
    NoBlank(&'static [Param]),
}

/// What counts as a given parameter, for the rules that ask whether one is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Given {
    /// Text that is not all whitespace, a true flag, any other value but `null`: what
    /// Elasticsearch's `Strings.hasText` and `textOrNull` read (`given: has_text`, the default).
    HasText,
    /// A string that is not empty (whitespace counts), a true flag, any other value but `null`:
    /// a check of `length() == 0` (`given: non_empty`).
    NonEmpty,
    /// Sent at all, even as `null` or an empty string: a check of the field's presence
    /// (`given: present`).
    Present,
}

/// A parameter of a rule: a query parameter or a top-level field of the JSON body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Param {
    /// Its name in the query or the body.
    pub(crate) name: &'static str,
    /// Where the request carries it.
    pub(crate) place: Place,
    /// What counts as given.
    pub(crate) kind: ParamKind,
}

/// Where a [`Param`] is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    /// In the URL's query.
    Query,
    /// A field of the JSON object that is the body.
    Body,
}

/// What counts as a given [`Param`], as Elasticsearch reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParamKind {
    /// A string, given when it has text (`Strings.hasText`).
    Text,
    /// A boolean, given only when true (in a query, a bare `?owner` is true too).
    Flag,
    /// Anything else (a list, an object, a number), given when present and not `null`.
    Value,
}

/// The policy of `operation_id` in `table`. An operation the table does not know has no rules
/// and is never retried: the safe reading of a declaration that is missing.
pub(crate) fn find(table: &'static [Declared], operation_id: &str) -> Declared {
    table
        .iter()
        .find(|policy| policy.operation_id == operation_id)
        .copied()
        .unwrap_or(Declared {
            operation_id: "",
            retry_safe: false,
            rules: &[],
            secret_fields: &[],
        })
}
