//! `apikeys cloud create` and `apikeys cloud delete`.

use std::io::{self, Write};
use std::process::ExitCode;

use elastic_apikeys_client::cloud::Client;
use elastic_apikeys_client::cloud::types::{
    CreateApiKeyRequest, DeleteApiKeysRequest, DeleteUsersApiKeysRequest,
};
use serde_json::{Map, Value};

use crate::args::{Changed, CloudCreate, CloudDelete};
use crate::change::{self, Go, Planned};
use crate::connect::Connection;
use crate::failure::Failure;
use crate::new_key::{self, NewKey, SecretFile};
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
        let text = new_key::read_source(source, "--role-assignments")?;
        let value: Value = serde_json::from_str(&text)
            .map_err(|e| Failure::usage(format!("--role-assignments: not JSON: {e}")))?;
        body.insert("role_assignments".into(), value);
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
    let secret_file = match &create.secret_file {
        Some(path) if !create.confirm.dry_run => Some(SecretFile::reserve(path)?),
        _ => None,
    };
    let go = change::decide(&create.confirm, &planned);
    if !matches!(go, Ok(Go::Send)) {
        if let Some(file) = secret_file {
            file.abandon();
        }
        return go.map(|_| ExitCode::SUCCESS);
    }
    let sent = progress
        .spin(
            format!("Creating the API key on {host}"),
            connection.client.create_api_key().body(body).send(),
        )
        .await;
    let key = match sent {
        Ok(answer) => answer.into_inner(),
        Err(error) => {
            if let Some(file) = secret_file {
                file.abandon();
            }
            return Err(Failure::cloud(error, host, connection.trust));
        }
    };
    let Some(secret) = key.key.as_ref().map(|key| key.expose_secret().to_string()) else {
        return Err(Failure::partly_done(format!(
            "the API key {} was created, but the answer carried no secret; remove the key: \
             apikeys cloud delete {}",
            printable(&key.id),
            printable(&key.id)
        )));
    };
    let mut shown = Map::new();
    shown.insert("id".into(), key.id.clone().into());
    shown.insert("description".into(), key.description.clone().into());
    if let Some(expiration) = &key.expiration_date {
        shown.insert("expiration_date".into(), expiration.to_rfc3339().into());
    }
    new_key::deliver(
        NewKey {
            id: &key.id,
            shown,
            secret: &secret,
            parts: &[("key", &secret)],
            remove_with: "apikeys cloud delete",
        },
        create.output,
        secret_file,
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
    let answer = sent
        .map_err(|e| Failure::cloud(e, host, connection.trust))?
        .into_inner();
    let mut out = io::stdout().lock();
    let written = match delete.output {
        Changed::Json => serde_json::to_writer(&mut out, &answer)
            .map_err(io::Error::from)
            .and_then(|()| writeln!(out)),
        Changed::Text if shown.is_empty() => writeln!(
            out,
            "deleted every API key of user {}",
            printable(delete.user.as_deref().unwrap_or_default())
        ),
        Changed::Text => shown
            .iter()
            .try_for_each(|id| writeln!(out, "deleted {id}")),
    };
    match written.and_then(|()| out.flush()) {
        Err(error) if error.kind() != io::ErrorKind::BrokenPipe => Err(Failure::output(&error)),
        _ => Ok(ExitCode::SUCCESS),
    }
}
