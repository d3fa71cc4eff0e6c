//! `apikeys es update`: a key's expiration, metadata or role descriptors.

use std::process::ExitCode;

use elastic_apikeys_client::elasticsearch::Client;
use elastic_apikeys_client::elasticsearch::types::UpdateApiKeyRequest;
use serde_json::{Map, Value};

use crate::args::EsUpdate;
use crate::change::{self, Go, Planned};
use crate::connect::Connection;
use crate::failure::Failure;
use crate::json_flags;
use crate::spinner::Progress;
use crate::text::printable;

/// The body `update` asks for: only what was given, so that the rest stays as it is.
fn request(update: &EsUpdate) -> Result<UpdateApiKeyRequest, Failure> {
    let mut body = Map::new();
    if let Some(expiration) = &update.expiration {
        body.insert("expiration".into(), expiration.clone().into());
    }
    if let Some(metadata) = &update.metadata {
        body.insert(
            "metadata".into(),
            json_flags::object(metadata, "--metadata")?,
        );
    }
    if let Some(source) = &update.role_descriptors {
        let roles = json_flags::from_source(source, "--role-descriptors")?;
        body.insert("role_descriptors".into(), roles);
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
    let line = if answer.updated {
        format!("updated {id}")
    } else {
        format!("unchanged {id} (it already had these values)")
    };
    change::print_done(update.output, &answer, [line])?;
    Ok(ExitCode::SUCCESS)
}
