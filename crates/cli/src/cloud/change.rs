//! `apikeys cloud create` and `apikeys cloud delete`.

use std::borrow::Cow;
use std::process::ExitCode;

use elastic_apikeys_client::cloud::Client;
use elastic_apikeys_client::cloud::types::{
    ApiKeyResponse, CreateApiKeyRequest, DeleteApiKeysRequest, DeleteUsersApiKeysRequest,
};
use serde_json::{Map, Value};

use crate::args::{CloudCreate, CloudDelete, Handover};
use crate::change::{self, Go, Planned};
use crate::connect::Connection;
use crate::expiry::Clock;
use crate::failure::Failure;
use crate::json_flags;
use crate::new_key::{self, NewKey, Ready, Recovery, SecretFile};
use crate::spinner::Progress;
use crate::text::{count, printable};

/// The request `create` asks for, checked against the model before anything else happens.
fn create_request(create: &CloudCreate) -> Result<CreateApiKeyRequest, Failure> {
    let mut body = Map::new();
    body.insert("description".into(), create.description.clone().into());
    if let Some(expiration) = &create.expiration {
        body.insert("expiration".into(), expiration.clone().into());
    }
    if let Some(source) = &create.role_assignments {
        let assignments = json_flags::from_source(source, "--role-assignments")?;
        body.insert("role_assignments".into(), assignments);
    }
    serde_json::from_value(Value::Object(body))
        .map_err(|e| Failure::usage(format!("not a valid API key request: {e}")))
}

pub(crate) async fn create(
    connection: Connection<Client>,
    create: CloudCreate,
    progress: Progress,
) -> Result<ExitCode, Failure> {
    let host = &connection.host;
    let body = create_request(&create)?;
    let lifetime = match &create.expiration {
        Some(expiration) => format!("expiring in {expiration}"),
        None => "never expiring".to_string(),
    };
    let planned = Planned {
        method: "POST",
        path: "/users/auth/keys",
        body: &body,
        summary: format!(
            "create the Elastic Cloud API key \"{}\" on {host}, {lifetime}",
            create.description
        ),
    };
    let secret_file =
        match new_key::get_ready(&create.handover, &create.preview.confirm(), &planned)? {
            Ready::Send(file) => file,
            Ready::Stop(status) => return Ok(status),
        };
    let sent = progress.spin(
        format!("Creating the API key on {host}"),
        connection.client.create_api_key().body(body).send(),
    );
    let (answer, secret_file) = new_key::send(sent, secret_file, &RECOVERY, |error| {
        Failure::cloud(error, host, connection.trust)
    })
    .await?;
    super::key_in_use::heard(
        answer.headers(),
        &connection.credentials_from,
        &Clock::at(None),
    );
    hand_over(&answer.into_inner(), &create.handover, secret_file, None)
}

/// The command that removes a key by id.
const REMOVE_WITH: &str = "apikeys cloud delete";

/// How to find and remove a key whose creation is in doubt: Elastic Cloud lists the caller's
/// keys with their descriptions.
pub(super) const RECOVERY: Recovery = Recovery {
    show_by_id: "apikeys cloud get",
    look_for: Cow::Borrowed("apikeys cloud list"),
    remove_with: REMOVE_WITH,
};

/// Hands over the secret of the new key `key` (see [`new_key::deliver`]); `replaces` is the id
/// of the key a rotation replaces, which is kept when the secret is missing.
pub(super) fn hand_over(
    key: &ApiKeyResponse,
    handover: &Handover,
    file: Option<SecretFile>,
    replaces: Option<&str>,
) -> Result<ExitCode, Failure> {
    let id = printable(&key.id);
    let Some(secret) = key.key.as_ref().map(|key| key.expose_secret().to_string()) else {
        new_key::abandon(file);
        return Err(match replaces {
            None => Failure::partly_done(format!(
                "the API key {id} was created, but the answer carried no secret; remove the \
                 key: apikeys cloud delete {id}"
            )),
            Some(old) => Failure::half_done(format!(
                "the new API key {id} was created, but the answer carried no secret; the old \
                 key {} is kept. Remove the new one: apikeys cloud delete {id}",
                printable(old)
            )),
        });
    };
    let mut shown = Map::new();
    shown.insert("id".into(), key.id.as_str().into());
    shown.insert("description".into(), key.description.as_str().into());
    if let Some(expiration) = &key.expiration_date {
        shown.insert("expiration_date".into(), expiration.to_rfc3339().into());
    }
    if let Some(old) = replaces {
        shown.insert("replaces".into(), old.into());
    }
    new_key::deliver(
        NewKey {
            id: &key.id,
            shown,
            secret: &secret,
            parts: &[("key", &secret)],
            remove_with: REMOVE_WITH,
        },
        handover,
        file,
    )
}

pub(crate) async fn delete(
    connection: Connection<Client>,
    delete: CloudDelete,
    progress: Progress,
) -> Result<ExitCode, Failure> {
    let host = &connection.host;
    let client = &connection.client;
    let shown: Vec<String> = delete.ids.iter().map(|id| printable(id)).collect();
    let how_many = count(delete.ids.len(), "API key");
    let which = shown.join(", ");
    // Three requests, by whose keys go: the caller's, some of another user's, or all of them.
    let sent = match &delete.user {
        None => {
            let body: DeleteApiKeysRequest =
                serde_json::from_value(serde_json::json!({ "keys": delete.ids }))
                    .map_err(|e| Failure::usage(format!("not a valid deletion: {e}")))?;
            let planned = Planned {
                method: "DELETE",
                path: "/users/auth/keys",
                body: &body,
                summary: format!("delete {how_many} on {host}: {which}"),
            };
            if change::decide(&delete.confirm, &planned)? == Go::DryRun {
                return Ok(ExitCode::SUCCESS);
            }
            let request = client.delete_api_keys().body(body).send();
            progress
                .spin(format!("Deleting API keys on {host}"), request)
                .await
        }
        Some(user) if !delete.ids.is_empty() => {
            let pairs: Vec<_> = delete
                .ids
                .iter()
                .map(|id| serde_json::json!({"user_id": user, "api_key_id": id}))
                .collect();
            let body: DeleteUsersApiKeysRequest =
                serde_json::from_value(serde_json::json!({ "user_api_keys": pairs }))
                    .map_err(|e| Failure::usage(format!("not a valid deletion: {e}")))?;
            let planned = Planned {
                method: "DELETE",
                path: "/users/auth/keys/_all",
                body: &body,
                summary: format!(
                    "delete {how_many} of user {} on {host}: {which}",
                    printable(user)
                ),
            };
            if change::decide(&delete.confirm, &planned)? == Go::DryRun {
                return Ok(ExitCode::SUCCESS);
            }
            let request = client.delete_users_api_keys().body(body).send();
            progress
                .spin(format!("Deleting API keys on {host}"), request)
                .await
        }
        Some(user) => {
            let path = format!("/users/{}/auth/keys", printable(user));
            let planned = Planned {
                method: "DELETE",
                path: &path,
                body: &serde_json::Value::Null,
                summary: format!("delete every API key of user {} on {host}", printable(user)),
            };
            if change::decide(&delete.confirm, &planned)? == Go::DryRun {
                return Ok(ExitCode::SUCCESS);
            }
            let request = client.delete_user_api_keys().user_id(user).send();
            progress
                .spin(format!("Deleting API keys on {host}"), request)
                .await
        }
    };
    let answer = sent.map_err(|e| Failure::cloud(e, host, connection.trust))?;
    super::key_in_use::heard(
        answer.headers(),
        &connection.credentials_from,
        &Clock::at(None),
    );
    let answer = answer.into_inner();
    let lines: Vec<String> = match &delete.user {
        Some(user) if delete.ids.is_empty() => {
            vec![format!("deleted every API key of user {user}")]
        }
        _ => delete
            .ids
            .iter()
            .map(|id| format!("deleted {id}"))
            .collect(),
    };
    change::print_done(delete.output, &answer, lines)?;
    Ok(ExitCode::SUCCESS)
}
