//! `apikeys es create`: a new API key, whose secret is printed once.

use std::process::ExitCode;

use base64::Engine as _;
use elastic_apikeys_client::elasticsearch::Client;
use elastic_apikeys_client::elasticsearch::types::{
    CreateApiKeyRequest, CreateApiKeyResponse, CreateCrossClusterApiKeyRequest,
};
use serde_json::{Map, Value};

use crate::args::{EsCreate, Handover};
use crate::change::Planned;
use crate::connect::Connection;
use crate::failure::Failure;
use crate::json_flags;
use crate::new_key::{self, NewKey, Ready, Recovery, SecretFile};
use crate::spinner::Progress;

/// What both kinds of key take: the name, the expiration and the metadata.
fn common(create: &EsCreate) -> Result<Map<String, Value>, Failure> {
    let mut body = Map::new();
    body.insert("name".into(), create.name.clone().into());
    if let Some(expiration) = &create.expiration {
        body.insert("expiration".into(), expiration.clone().into());
    }
    if let Some(metadata) = &create.metadata {
        body.insert(
            "metadata".into(),
            json_flags::object(metadata, "--metadata")?,
        );
    }
    Ok(body)
}

/// The request `create` asks for, checked against the model before anything else happens.
fn request(create: &EsCreate) -> Result<CreateApiKeyRequest, Failure> {
    let mut body = common(create)?;
    if let Some(source) = &create.role_descriptors {
        let roles = json_flags::from_source(source, "--role-descriptors")?;
        body.insert("role_descriptors".into(), roles);
    }
    serde_json::from_value(Value::Object(body))
        .map_err(|e| Failure::usage(format!("not a valid API key request: {e}")))
}

/// The cross-cluster request `create --cross-cluster` asks for.
fn cross_cluster_request(create: &EsCreate) -> Result<CreateCrossClusterApiKeyRequest, Failure> {
    let mut body = common(create)?;
    let source = create.access.as_deref().unwrap_or("-");
    body.insert(
        "access".into(),
        json_flags::from_source(source, "--access")?,
    );
    serde_json::from_value(Value::Object(body))
        .map_err(|e| Failure::usage(format!("not a valid cross-cluster API key request: {e}")))
}

/// A new key, of either kind, as it is handed over.
pub(super) struct Made {
    pub(super) id: String,
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
    let secret_file =
        match new_key::get_ready(&create.handover, &create.preview.confirm(), &planned)? {
            Ready::Send(file) => file,
            Ready::Stop(status) => return Ok(status),
        };
    let client = &connection.client;
    let recovery = recovery(&create.name);
    let sent = progress.spin(format!("Creating the {kind} on {host}"), async {
        match request {
            Request::Rest(body) => client
                .security_create_api_key()
                .body(body)
                .send()
                .await
                .map(|answer| Made::from(answer.into_inner())),
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
                        id: key.id.into(),
                        name: key.name.into(),
                        expiration: key.expiration,
                    }
                }),
        }
    });
    let (key, secret_file) = new_key::send(sent, secret_file, &recovery, |error| {
        Failure::elasticsearch(error, host, connection.trust)
    })
    .await?;
    hand_over(&key, &create.handover, secret_file, None)
}

/// How to find and remove a key named `name` whose creation is in doubt.
pub(super) fn recovery(name: &str) -> Recovery {
    Recovery {
        show_by_id: "apikeys es list --id",
        look_for: format!("apikeys es list --name {}", new_key::shell_word(name)).into(),
        remove_with: REMOVE_WITH,
    }
}

/// The command that removes a key by id.
const REMOVE_WITH: &str = "apikeys es invalidate --id";

impl From<CreateApiKeyResponse> for Made {
    fn from(key: CreateApiKeyResponse) -> Self {
        Self {
            encoded: encoded(&key),
            api_key: key.api_key.expose_secret().to_string(),
            id: key.id.into(),
            name: key.name.into(),
            expiration: key.expiration,
        }
    }
}

/// Hands over the secret of the new key `key` (see [`new_key::deliver`]); `replaces` is the id
/// of the key a rotation replaces.
pub(super) fn hand_over(
    key: &Made,
    handover: &Handover,
    file: Option<SecretFile>,
    replaces: Option<&str>,
) -> Result<ExitCode, Failure> {
    let mut shown = Map::new();
    shown.insert("id".into(), key.id.clone().into());
    shown.insert("name".into(), key.name.clone().into());
    if let Some(expiration) = key.expiration {
        shown.insert("expiration".into(), expiration.into());
    }
    if let Some(old) = replaces {
        shown.insert("replaces".into(), old.into());
    }
    new_key::deliver(
        NewKey {
            id: &key.id,
            shown,
            secret: &key.encoded,
            parts: &[("api_key", &key.api_key), ("encoded", &key.encoded)],
            remove_with: REMOVE_WITH,
        },
        handover,
        file,
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
