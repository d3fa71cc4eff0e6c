//! `apikeys es invalidate`: keys by id, by name, the caller's own, or a user's or realm's.

use std::process::ExitCode;

use elastic_apikeys_client::elasticsearch::Client;
use elastic_apikeys_client::elasticsearch::types::{
    InvalidateApiKeyRequest, InvalidateApiKeyResponse,
};
use serde_json::{Map, Value};

use crate::args::{Changed, EsInvalidate};
use crate::change::{self, Go, Planned};
use crate::connect::Connection;
use crate::failure::Failure;
use crate::spinner::Progress;
use crate::text::{count, printable, to_stderr};

/// How many ids a plan names before it counts the rest.
const NAMED: usize = 10;

/// The body `invalidate` asks for.
fn request(invalidate: &EsInvalidate) -> Result<InvalidateApiKeyRequest, Failure> {
    let mut body = Map::new();
    if !invalidate.id.is_empty() {
        body.insert("ids".into(), invalidate.id.clone().into());
    }
    if let Some(name) = &invalidate.name {
        body.insert("name".into(), name.clone().into());
    }
    // The caller's own keys, which `manage_own_api_key` is enough for
    // (elastic/terraform-provider-elasticstack#4351).
    if invalidate.owner {
        body.insert("owner".into(), true.into());
    }
    if let Some(username) = &invalidate.username {
        body.insert("username".into(), username.clone().into());
    }
    if let Some(realm) = &invalidate.realm {
        body.insert("realm_name".into(), realm.clone().into());
    }
    serde_json::from_value(Value::Object(body))
        .map_err(|e| Failure::usage(format!("not a valid invalidation: {e}")))
}

/// `a, b, c and 7 more`.
fn named(ids: &[String]) -> String {
    let shown: Vec<String> = ids.iter().take(NAMED).map(|id| printable(id)).collect();
    match ids.len().saturating_sub(NAMED) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

/// The active keys a selection by name, owner, user or realm matches, listed before they go.
async fn matching(
    connection: &Connection<Client>,
    invalidate: &EsInvalidate,
    progress: &Progress,
) -> Result<Vec<String>, Failure> {
    let mut request = connection.client.security_get_api_key().active_only(true);
    if let Some(name) = &invalidate.name {
        request = request.name(name);
    }
    if invalidate.owner {
        request = request.owner(true);
    }
    if let Some(username) = &invalidate.username {
        request = request.username(username);
    }
    if let Some(realm) = &invalidate.realm {
        request = request.realm_name(realm);
    }
    let host = &connection.host;
    let keys = progress
        .spin(
            format!("Listing the matching API keys on {host}"),
            request.send(),
        )
        .await
        .map_err(|e| Failure::elasticsearch(e, host, connection.trust))?;
    Ok(keys
        .into_inner()
        .api_keys
        .into_iter()
        .map(|key| key.id.into())
        .collect())
}

pub(crate) async fn run(
    connection: Connection<Client>,
    invalidate: EsInvalidate,
    progress: Progress,
) -> Result<ExitCode, Failure> {
    let host = connection.host.clone();
    let body = request(&invalidate)?;
    let ids = if invalidate.id.is_empty() {
        matching(&connection, &invalidate, &progress).await?
    } else {
        invalidate.id.clone()
    };
    if ids.is_empty() && !invalidate.confirm.dry_run {
        to_stderr("no active API key matches; nothing was invalidated");
        return Ok(ExitCode::SUCCESS);
    }
    let planned = Planned {
        method: "DELETE",
        path: "/_security/api_key",
        body: &body,
        summary: format!(
            "invalidate {} on {host}: {}",
            count(ids.len(), "API key"),
            named(&ids)
        ),
    };
    if change::decide(&invalidate.confirm, &planned)? == Go::DryRun {
        return Ok(ExitCode::SUCCESS);
    }
    let answer = progress
        .spin(
            format!("Invalidating API keys on {host}"),
            connection
                .client
                .security_invalidate_api_key()
                .body(body)
                .send(),
        )
        .await
        .map_err(|e| Failure::elasticsearch(e, &host, connection.trust))?
        .into_inner();
    report(&answer, invalidate.output)?;
    checked(&answer)
}

/// What was done, on stdout.
fn report(answer: &InvalidateApiKeyResponse, output: Changed) -> Result<(), Failure> {
    let done = answer
        .invalidated_api_keys
        .iter()
        .map(|id| format!("invalidated {id}"));
    let before = answer
        .previously_invalidated_api_keys
        .iter()
        .map(|id| format!("already invalidated {id}"));
    change::print_done(output, answer, done.chain(before))
}

/// A failure when the cluster did not invalidate every key it was asked to: each reason, so
/// that a key left active is never reported as done.
fn checked(answer: &InvalidateApiKeyResponse) -> Result<ExitCode, Failure> {
    if answer.error_count == 0 {
        return Ok(ExitCode::SUCCESS);
    }
    let reasons: Vec<String> = answer
        .error_details
        .iter()
        .flatten()
        .map(|cause| {
            printable(&format!(
                "{}: {}",
                cause.type_,
                cause.reason.as_deref().unwrap_or("no reason given")
            ))
        })
        .collect();
    Err(Failure::partly_done(format!(
        "{} could not be invalidated: {}",
        count(
            usize::try_from(answer.error_count).unwrap_or(usize::MAX),
            "API key"
        ),
        if reasons.is_empty() {
            "the cluster gave no reason".to_string()
        } else {
            reasons.join("; ")
        }
    )))
}
