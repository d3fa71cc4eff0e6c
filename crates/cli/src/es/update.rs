//! `apikeys es update`: a key's expiration, metadata or role descriptors.

use std::io::{self, Write};
use std::process::ExitCode;

use elastic_apikeys_client::elasticsearch::Client;
use elastic_apikeys_client::elasticsearch::types::UpdateApiKeyRequest;
use serde_json::{Map, Value};

use crate::args::{Changed, EsUpdate};
use crate::change::{self, Go, Planned};
use crate::connect::Connection;
use crate::failure::Failure;
use crate::new_key;
use crate::spinner::Progress;
use crate::text::printable;

/// The body `update` asks for: only what was given, so that the rest stays as it is.
fn request(update: &EsUpdate) -> Result<UpdateApiKeyRequest, Failure> {
    let mut body = Map::new();
    if let Some(expiration) = &update.expiration {
        body.insert("expiration".into(), expiration.clone().into());
    }
    if let Some(metadata) = &update.metadata {
        let value: Value = serde_json::from_str(metadata)
            .map_err(|e| Failure::usage(format!("--metadata: not JSON: {e}")))?;
        if !value.is_object() {
            return Err(Failure::usage(
                "--metadata: a JSON object, such as {\"team\": \"ci\"}",
            ));
        }
        body.insert("metadata".into(), value);
    }
    if let Some(source) = &update.role_descriptors {
        let text = new_key::read_source(source, "--role-descriptors")?;
        let value: Value = serde_json::from_str(&text)
            .map_err(|e| Failure::usage(format!("--role-descriptors: not JSON: {e}")))?;
        body.insert("role_descriptors".into(), value);
    }
    serde_json::from_value(Value::Object(body))
        .map_err(|e| Failure::usage(format!("not a valid update: {e}")))
}

pub(crate) async fn run(
    connection: Connection<Client>,
    update: EsUpdate,
    progress: Progress,
) -> Result<ExitCode, Failure> {
    let host = &connection.host;
    let body = request(&update)?;
    let id = printable(&update.id);
    let path = format!("/_security/api_key/{id}");
    let planned = Planned {
        method: "PUT",
        path: &path,
        body: &body,
        summary: format!("update the API key {id} on {host}"),
    };
    if change::decide(&update.confirm, &planned)? == Go::DryRun {
        return Ok(ExitCode::SUCCESS);
    }
    let answer = progress
        .spin(
            format!("Updating the API key {id} on {host}"),
            connection
                .client
                .security_update_api_key()
                .id(&update.id)
                .body(body)
                .send(),
        )
        .await
        .map_err(|e| Failure::elasticsearch(e, host, connection.trust))?
        .into_inner();
    let mut out = io::stdout().lock();
    let written = match update.output {
        Changed::Json => serde_json::to_writer(&mut out, &answer)
            .map_err(io::Error::from)
            .and_then(|()| writeln!(out)),
        Changed::Text if answer.updated => writeln!(out, "updated {id}"),
        Changed::Text => writeln!(out, "unchanged {id} (it already had these values)"),
    };
    match written.and_then(|()| out.flush()) {
        Err(error) if error.kind() != io::ErrorKind::BrokenPipe => Err(Failure::output(&error)),
        _ => Ok(ExitCode::SUCCESS),
    }
}
