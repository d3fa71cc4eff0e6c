//! `apikeys es rotate`: a new key in the old one's place, then the old one gone.
//!
//! The steps, each only after the one before it succeeded:
//! 1. read the old key, and whether the caller owns it;
//! 2. create the new key, with the old one's name, role descriptors and metadata;
//! 3. hand over the new secret (stdout or the secret file);
//! 4. invalidate the old key, or with `--grace` set it to expire.
//!
//! A failure before 2 changes nothing. A failure after 3 leaves two working keys, and the error
//! says which and how to finish, with its own exit status: a rotation never leaves a user with a
//! new key whose secret they cannot see.

use std::process::ExitCode;

use elastic_apikeys_client::Error;
use elastic_apikeys_client::elasticsearch::Client;
use elastic_apikeys_client::elasticsearch::types::{
    ApiKey, CreateApiKeyRequest, InvalidateApiKeyRequest, UpdateApiKeyRequest,
};
use elastic_apikeys_client::models::elasticsearch::ApiKeyType;
use serde_json::{Map, Value, json};

use super::create::Made;
use crate::args::EsRotate;
use crate::change::Planned;
use crate::connect::Connection;
use crate::failure::Failure;
use crate::new_key::{self, Ready};
use crate::spinner::Progress;
use crate::text::printable;

/// The old key, and whether the caller owns it.
async fn old_key(
    connection: &Connection<Client>,
    id: &str,
    progress: &Progress,
) -> Result<(ApiKey, bool), Failure> {
    let host = &connection.host;
    let fail = |e: Error| Failure::elasticsearch(e, host, connection.trust);
    let client = &connection.client;
    let own = progress
        .spin(
            format!("Reading the API key {} on {host}", printable(id)),
            client.security_get_api_key().id(id).owner(true).send(),
        )
        .await;
    match own {
        Ok(found) => {
            let key = found.into_inner().api_keys.into_iter().next();
            key.map(|key| (key, true))
                .ok_or_else(|| Failure::request(format!("no API key with id [{}]", printable(id))))
        }
        // Not among the caller's own keys: another user's, which a manage_api_key caller can
        // read and replace, with a difference in permissions the plan spells out.
        Err(error) if error.is_not_found() => {
            let found = client
                .security_get_api_key()
                .id(id)
                .send()
                .await
                .map_err(fail)?;
            let key = found.into_inner().api_keys.into_iter().next();
            key.map(|key| (key, false))
                .ok_or_else(|| Failure::request(format!("no API key with id [{}]", printable(id))))
        }
        Err(error) => Err(fail(error)),
    }
}

/// `seconds` as a duration Elasticsearch reads: `90d`, `36h`, `90m` or `45s`.
fn duration_text(seconds: u64) -> String {
    match seconds {
        s if s % 86_400 == 0 => format!("{}d", s / 86_400),
        s if s % 3600 == 0 => format!("{}h", s / 3600),
        s if s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

/// The new key's request: the old one's name, role descriptors and metadata, and its lifetime
/// unless another is given.
fn replacement(old: &ApiKey, expiration: Option<&str>) -> Result<CreateApiKeyRequest, Failure> {
    let mut body = Map::new();
    body.insert(
        "name".into(),
        old.name.as_deref().unwrap_or(old.id.as_str()).into(),
    );
    let lifetime = old
        .expiration
        .map(|expires| u64::try_from((expires - old.creation) / 1000).unwrap_or(0))
        .filter(|seconds| *seconds > 0)
        .map(duration_text);
    if let Some(expiration) = expiration.map(String::from).or(lifetime) {
        body.insert("expiration".into(), expiration.into());
    }
    if let Some(roles) = &old.role_descriptors {
        body.insert("role_descriptors".into(), json!(roles));
    }
    if let Some(metadata) = &old.metadata {
        body.insert("metadata".into(), json!(metadata));
    }
    serde_json::from_value(Value::Object(body))
        .map_err(|e| Failure::usage(format!("the old key cannot be copied: {e}")))
}

pub(crate) async fn run(
    connection: Connection<Client>,
    rotate: EsRotate,
    progress: Progress,
) -> Result<ExitCode, Failure> {
    let host = connection.host.clone();
    let old_id = printable(&rotate.id);
    let (old, owned) = old_key(&connection, &rotate.id, &progress).await?;
    if old.invalidated {
        return Err(Failure::usage(format!(
            "the API key {old_id} is invalidated already; create a new one with apikeys es create"
        )));
    }
    if matches!(old.type_, Some(ApiKeyType::CrossCluster)) {
        return Err(Failure::usage(format!(
            "the API key {old_id} is a cross-cluster key, which es rotate does not replace yet"
        )));
    }
    if rotate.grace.is_some() && !owned {
        return Err(Failure::usage(format!(
            "--grace sets the old key's expiration, which Elasticsearch allows only on keys you \
             own, and {old_id} belongs to {}; rotate it without --grace",
            printable(&old.username)
        )));
    }
    let body = replacement(&old, rotate.expiration.as_deref())?;
    let then = match rotate.grace {
        Some(grace) => format!(
            "then let {old_id} expire in {}",
            duration_text(grace.as_secs().max(1))
        ),
        None => format!("then invalidate {old_id}"),
    };
    let mut summary = format!(
        "create a new API key \"{}\" on {host} like {old_id}, {then}",
        printable(&body.name)
    );
    if !owned {
        // The new key is the caller's: limited by the caller's roles, not the old owner's.
        summary.push_str(&format!(
            ". The new key will belong to you, not to {} (realm {}), so its permissions are \
             limited by your roles, not theirs",
            printable(&old.username),
            printable(&old.realm)
        ));
        if !rotate.confirm.yes && !rotate.confirm.dry_run {
            return Err(Failure::usage(format!(
                "not confirmed: this would {summary}; pass --yes to do it"
            )));
        }
    }
    let planned = Planned {
        method: "POST",
        path: "/_security/api_key",
        body: &body,
        summary,
    };
    let secret_file = match new_key::get_ready(&rotate.handover, &rotate.confirm, &planned)? {
        Ready::Send(file) => file,
        Ready::Stop(status) => return Ok(status),
    };
    let recovery = super::create::recovery(&body.name);
    let created = progress.spin(
        format!("Creating the new API key on {host}"),
        connection
            .client
            .security_create_api_key()
            .body(body)
            .send(),
    );
    let (answer, secret_file) = new_key::send(created, secret_file, &recovery, |error| {
        Failure::elasticsearch(error, &host, connection.trust)
    })
    .await?;
    let new = Made::from(answer.into_inner());
    // The secret first: should what follows fail, the new key is usable all the same.
    super::create::hand_over(&new, &rotate.handover, secret_file, Some(&old.id))?;
    let new_id = printable(&new.id);
    let finished = match rotate.grace {
        Some(grace) => {
            let update: UpdateApiKeyRequest = serde_json::from_value(
                json!({"expiration": duration_text(grace.as_secs().max(1))}),
            )
            .map_err(|e| Failure::usage(e.to_string()))?;
            connection
                .client
                .security_update_api_key()
                .id(old.id.as_str())
                .body(update)
                .send()
                .await
                .map(|_| ())
        }
        None => {
            let mut invalidate = json!({"ids": [old.id]});
            if owned {
                invalidate["owner"] = true.into();
            }
            let invalidate: InvalidateApiKeyRequest =
                serde_json::from_value(invalidate).map_err(|e| Failure::usage(e.to_string()))?;
            match connection
                .client
                .security_invalidate_api_key()
                .body(invalidate)
                .send()
                .await
            {
                Ok(answer) if answer.error_count == 0 => Ok(()),
                Ok(answer) => {
                    let reasons: Vec<String> = answer
                        .error_details
                        .iter()
                        .flatten()
                        .map(|cause| cause.reason.as_deref().unwrap_or(&cause.type_).to_string())
                        .collect();
                    return Err(Failure::half_done(format!(
                        "the new API key {new_id} was created and its secret handed over, but \
                         the old key {old_id} is still active: {}; finish with: apikeys es \
                         invalidate --id {old_id}",
                        printable(&reasons.join("; "))
                    )));
                }
                Err(error) => Err(error),
            }
        }
    };
    finished.map_err(|error| {
        Failure::half_done(format!(
            "the new API key {new_id} was created and its secret handed over, but the old key \
             {old_id} is still active: {}; finish with: apikeys es invalidate --id {old_id}",
            Failure::elasticsearch(error, &host, connection.trust)
        ))
    })?;
    crate::text::to_stderr(format_args!(
        "{}",
        match rotate.grace {
            Some(_) => format!("the old API key {old_id} expires after the grace period"),
            None => format!("the old API key {old_id} is invalidated"),
        }
    ));
    Ok(ExitCode::SUCCESS)
}
