//! What the spec declares of each operation, as the generator writes it into each client: its
//! request rules and whether it may be sent again. The runtime reads these tables and keeps no
//! per-operation code of its own.

/// The declarations of one operation (`x-retry` and `x-request-rules` in the spec).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct OperationPolicy {
    /// The operation, as the generated client names it (`security_get_api_key`).
    pub(crate) operation_id: &'static str,
    /// Whether sending it twice does no harm, so that it may be retried (`x-retry: safe`).
    pub(crate) retry_safe: bool,
    /// The combinations of parameters the API refuses, in the order the server checks them.
    pub(crate) rules: &'static [RequestRule],
}

/// A combination of parameters the API refuses: given one parameter of every group, the server
/// answers 400 with `message`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RequestRule {
    /// The server's own words.
    pub(crate) message: &'static str,
    /// The groups; the rule is broken when each has a parameter that is given.
    pub(crate) groups: &'static [&'static [Param]],
}

/// A query parameter of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Param {
    /// Its name in the query.
    pub(crate) name: &'static str,
    /// Whether it is a boolean, given only when true (a bare `?owner` is true too).
    pub(crate) boolean: bool,
}

/// The policy of `operation_id` in `table`. An operation the table does not know has no rules
/// and is never retried: the safe reading of a declaration that is missing.
pub(crate) fn find(table: &'static [OperationPolicy], operation_id: &str) -> OperationPolicy {
    table
        .iter()
        .find(|policy| policy.operation_id == operation_id)
        .copied()
        .unwrap_or(OperationPolicy {
            operation_id: "",
            retry_safe: false,
            rules: &[],
        })
}
