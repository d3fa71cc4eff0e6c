//! `apikeys cloud rotate`: a new key in the old one's place, then the old one deleted.
//!
//! As `es rotate` does: the old key is read, the new one created, its secret handed over, and
//! only then is the old key deleted; a failure after the create exits with its own status and
//! says how to finish. Elastic Cloud cannot change a key's expiration, so there is no grace
//! period: the old key goes at once.

use std::process::ExitCode;

use elastic_apikeys_client::cloud::Client;
use elastic_apikeys_client::cloud::types::{ApiKeyResponse, CreateApiKeyRequest};
use serde_json::{Map, Value, json};

use crate::args::CloudRotate;
use crate::change::Planned;
use crate::connect::Connection;
use crate::expiry::Clock;
use crate::failure::Failure;
use crate::new_key::{self, Ready};
use crate::spinner::Progress;
use crate::text::{printable, to_stderr};

/// The new key's request: the old one's description and role assignments, and its lifetime in
/// whole days (or hours) unless another is given.
fn replacement(
    old: &ApiKeyResponse,
    expiration: Option<&str>,
) -> Result<CreateApiKeyRequest, Failure> {
    let mut body = Map::new();
    body.insert("description".into(), old.description.as_str().into());
    let lifetime = old
        .expiration_date
        .map(|expires| expires - old.creation_date);
    let lifetime = lifetime.filter(|l| l.num_hours() > 0).map(|l| {
        if l.num_hours() % 24 == 0 {
            format!("{}d", l.num_days())
        } else {
            format!("{}h", l.num_hours())
        }
    });
    if let Some(expiration) = expiration.map(String::from).or(lifetime) {
        body.insert("expiration".into(), expiration.into());
    }
    if let Some(assignments) = &old.role_assignments {
        body.insert("role_assignments".into(), json!(assignments));
    }
    serde_json::from_value(Value::Object(body))
        .map_err(|e| Failure::usage(format!("the old key cannot be copied: {e}")))
}

pub(crate) async fn run(
    connection: Connection<Client>,
    rotate: CloudRotate,
    progress: Progress,
) -> Result<ExitCode, Failure> {
    let host = &connection.host;
    let client = &connection.client;
    let old_id = printable(&rotate.id);
    let old = progress
        .spin(
            format!("Reading the API key {old_id} on {host}"),
            client.get_api_key().api_key_id(&rotate.id).send(),
        )
        .await
        .map_err(|e| Failure::cloud(e, host, connection.trust))?;
    super::key_in_use::heard(
        old.headers(),
        &connection.credentials_from,
        &Clock::at(None),
    );
    let old = old.into_inner();
    let body = replacement(&old, rotate.expiration.as_deref())?;
    let planned = Planned {
        method: "POST",
        path: "/users/auth/keys",
        body: &body,
        summary: format!(
            "create a new Elastic Cloud API key \"{}\" on {host} like {old_id}, then delete \
             {old_id}",
            printable(&body.description)
        ),
    };
    let secret_file = match new_key::get_ready(&rotate.handover, &rotate.confirm, &planned)? {
        Ready::Send(file) => file,
        Ready::Stop(status) => return Ok(status),
    };
    let created = progress.spin(
        format!("Creating the new API key on {host}"),
        client.create_api_key().body(body).send(),
    );
    let (answer, secret_file) =
        new_key::send(created, secret_file, &super::change::RECOVERY, |error| {
            Failure::cloud(error, host, connection.trust)
        })
        .await?;
    let new = answer.into_inner();
    // The secret first: should the delete fail, the new key is usable all the same.
    super::change::hand_over(&new, &rotate.handover, secret_file, Some(&old.id))?;
    let new_id = printable(&new.id);
    client
        .delete_api_key()
        .api_key_id(old.id.as_str())
        .send()
        .await
        .map_err(|error| {
            Failure::half_done(format!(
                "the new API key {new_id} was created and its secret handed over, but the old \
                 key {old_id} is still active: {}; finish with: apikeys cloud delete {old_id}",
                Failure::cloud(error, host, connection.trust)
            ))
        })?;
    to_stderr(format_args!("the old API key {old_id} is deleted"));
    Ok(ExitCode::SUCCESS)
}
