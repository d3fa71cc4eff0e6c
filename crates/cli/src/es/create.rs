//! `apikeys es create`: a new API key, whose secret is printed once.

use std::process::ExitCode;

use base64::Engine as _;
use elastic_apikeys_client::elasticsearch::Client;
use elastic_apikeys_client::elasticsearch::types::{
    CreateApiKeyRequest, CreateApiKeyResponse, CreateCrossClusterApiKeyRequest,
};
use serde_json::{Map, Value};

use crate::args::EsCreate;
use crate::change::{self, Go, Planned};
use crate::connect::Connection;
use crate::failure::Failure;
use crate::new_key::{self, NewKey, SecretFile};
use crate::spinner::Progress;

/// The request `create` asks for, checked against the model before anything else happens.
fn request(create: &EsCreate) -> Result<CreateApiKeyRequest, Failure> {
    let mut body = Map::new();
    body.insert("name".into(), create.name.clone().into());
    if let Some(expiration) = &create.expiration {
        body.insert("expiration".into(), expiration.clone().into());
    }
    if let Some(source) = &create.role_descriptors {
        let text = new_key::read_source(source, "--role-descriptors")?;
        let value: Value = serde_json::from_str(&text)
            .map_err(|e| Failure::usage(format!("--role-descriptors: not JSON: {e}")))?;
        body.insert("role_descriptors".into(), value);
    }
    if let Some(metadata) = &create.metadata {
        let value: Value = serde_json::from_str(metadata)
            .map_err(|e| Failure::usage(format!("--metadata: not JSON: {e}")))?;
        if !value.is_object() {
            return Err(Failure::usage(
                "--metadata: a JSON object, such as {\"team\": \"ci\"}",
            ));
        }
        body.insert("metadata".into(), value);
    }
    serde_json::from_value(Value::Object(body))
        .map_err(|e| Failure::usage(format!("not a valid API key request: {e}")))
}

/// The cross-cluster request `create --cross-cluster` asks for.
fn cross_cluster_request(create: &EsCreate) -> Result<CreateCrossClusterApiKeyRequest, Failure> {
    let mut body = Map::new();
    body.insert("name".into(), create.name.clone().into());
    if let Some(expiration) = &create.expiration {
        body.insert("expiration".into(), expiration.clone().into());
    }
    let source = create.access.as_deref().unwrap_or("-");
    let text = new_key::read_source(source, "--access")?;
    let access: Value = serde_json::from_str(&text)
        .map_err(|e| Failure::usage(format!("--access: not JSON: {e}")))?;
    body.insert("access".into(), access);
    if let Some(metadata) = &create.metadata {
        let value: Value = serde_json::from_str(metadata)
            .map_err(|e| Failure::usage(format!("--metadata: not JSON: {e}")))?;
        body.insert("metadata".into(), value);
    }
    serde_json::from_value(Value::Object(body))
        .map_err(|e| Failure::usage(format!("not a valid cross-cluster API key request: {e}")))
}

/// A new key, of either kind, as it is handed over.
struct Made {
    id: String,
    name: String,
    expiration: Option<i64>,
    api_key: String,
    encoded: String,
}

/// What to send: a REST key or a cross-cluster key.
enum Request {
    Rest(CreateApiKeyRequest),
    CrossCluster(CreateCrossClusterApiKeyRequest),
}

pub(crate) async fn run(
    connection: Connection<Client>,
    create: EsCreate,
    progress: Progress,
) -> Result<ExitCode, Failure> {
    let host = &connection.host;
    let (request, path, kind) = if create.cross_cluster {
        let body = cross_cluster_request(&create)?;
        (
            Request::CrossCluster(body),
            "/_security/cross_cluster/api_key",
            "cross-cluster API key",
        )
    } else {
        (
            Request::Rest(request(&create)?),
            "/_security/api_key",
            "API key",
        )
    };
    let shown_body = match &request {
        Request::Rest(body) => serde_json::to_value(body),
        Request::CrossCluster(body) => serde_json::to_value(body),
    }
    .map_err(|e| Failure::usage(format!("cannot show the request: {e}")))?;
    let lifetime = match &create.expiration {
        Some(expiration) => format!("expiring in {expiration}"),
        None => "never expiring".to_string(),
    };
    let planned = Planned {
        method: "POST",
        path,
        body: &shown_body,
        summary: format!(
            "create the {kind} \"{}\" on {host}, {lifetime}",
            create.name
        ),
    };
    // The file is made first, so that a path that cannot take the secret stops the run before
    // a key exists.
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
    let client = &connection.client;
    let sent = progress
        .spin(format!("Creating the {kind} on {host}"), async {
            match request {
                Request::Rest(body) => client
                    .security_create_api_key()
                    .body(body)
                    .send()
                    .await
                    .map(|answer| {
                        let key = answer.into_inner();
                        Made {
                            encoded: encoded(&key),
                            api_key: key.api_key.expose_secret().to_string(),
                            id: key.id,
                            name: key.name,
                            expiration: key.expiration,
                        }
                    }),
                Request::CrossCluster(body) => client
                    .security_create_cross_cluster_api_key()
                    .body(body)
                    .send()
                    .await
                    .map(|answer| {
                        let key = answer.into_inner();
                        Made {
                            encoded: key.encoded.expose_secret().to_string(),
                            api_key: key.api_key.expose_secret().to_string(),
                            id: key.id,
                            name: key.name,
                            expiration: key.expiration,
                        }
                    }),
            }
        })
        .await;
    let key = match sent {
        Ok(key) => key,
        Err(error) => {
            if let Some(file) = secret_file {
                file.abandon();
            }
            return Err(Failure::elasticsearch(error, host, connection.trust));
        }
    };
    let mut shown = Map::new();
    shown.insert("id".into(), key.id.clone().into());
    shown.insert("name".into(), key.name.clone().into());
    if let Some(expiration) = key.expiration {
        shown.insert("expiration".into(), expiration.into());
    }
    new_key::deliver(
        NewKey {
            id: &key.id,
            shown,
            secret: &key.encoded,
            parts: &[("api_key", &key.api_key), ("encoded", &key.encoded)],
            remove_with: "apikeys es invalidate --id",
        },
        create.output,
        secret_file,
    )
}

/// The encoded credentials of `key`: `base64(id:api_key)`, as `Authorization: ApiKey` takes
/// them. Clusters before 7.16 do not send `encoded`.
fn encoded(key: &CreateApiKeyResponse) -> String {
    match &key.encoded {
        Some(encoded) => encoded.expose_secret().to_string(),
        None => base64::engine::general_purpose::STANDARD.encode(format!(
            "{}:{}",
            key.id,
            key.api_key.expose_secret()
        )),
    }
}
