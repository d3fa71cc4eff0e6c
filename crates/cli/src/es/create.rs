//! `apikeys es create`: a new API key, whose secret is printed once.

use std::io::{self, Read, Write};
use std::process::ExitCode;

use base64::Engine as _;
use elastic_apikeys_client::elasticsearch::Client;
use elastic_apikeys_client::elasticsearch::types::{CreateApiKeyRequest, CreateApiKeyResponse};
use serde_json::{Map, Value};

use crate::args::{Created, EsCreate};
use crate::change::{self, Go, Planned};
use crate::connect::Connection;
use crate::failure::Failure;
use crate::secret_out::SecretFile;
use crate::spinner::Progress;
use crate::text::{printable, to_stderr};

/// The request `create` asks for, checked against the model before anything else happens.
fn request(create: &EsCreate) -> Result<CreateApiKeyRequest, Failure> {
    let mut body = Map::new();
    body.insert("name".into(), create.name.clone().into());
    if let Some(expiration) = &create.expiration {
        body.insert("expiration".into(), expiration.clone().into());
    }
    if let Some(source) = &create.role_descriptors {
        let text = read_source(source, "--role-descriptors")?;
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

/// The text of a file, or of stdin for `-`.
fn read_source(source: &str, flag: &str) -> Result<String, Failure> {
    let shown = printable(source);
    let mut text = String::new();
    if source == "-" {
        io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::usage(format!("{flag} -: cannot read stdin: {e}")))?;
    } else {
        text = std::fs::read_to_string(source)
            .map_err(|e| Failure::usage(format!("{flag} {shown}: {e}")))?;
    }
    Ok(text)
}

pub(crate) async fn run(
    connection: Connection<Client>,
    create: EsCreate,
    progress: Progress,
) -> Result<ExitCode, Failure> {
    let host = &connection.host;
    let body = request(&create)?;
    let lifetime = match &create.expiration {
        Some(expiration) => format!("expiring in {expiration}"),
        None => "never expiring".to_string(),
    };
    let planned = Planned {
        method: "POST",
        path: "/_security/api_key",
        body: &body,
        summary: format!(
            "create the API key \"{}\" on {host}, {lifetime}",
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
    let sent = progress
        .spin(
            format!("Creating the API key on {host}"),
            connection
                .client
                .security_create_api_key()
                .body(body)
                .send(),
        )
        .await;
    let key = match sent {
        Ok(answer) => answer.into_inner(),
        Err(error) => {
            if let Some(file) = secret_file {
                file.abandon();
            }
            return Err(Failure::elasticsearch(error, host, connection.trust));
        }
    };
    deliver(&key, create.output, secret_file)
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

/// Hands over the secret of `key`, once: to `file`, or to stdout.
fn deliver(
    key: &CreateApiKeyResponse,
    output: Created,
    file: Option<SecretFile>,
) -> Result<ExitCode, Failure> {
    let id = printable(&key.id);
    let mut shown = Map::new();
    shown.insert("id".into(), key.id.clone().into());
    shown.insert("name".into(), key.name.clone().into());
    if let Some(expiration) = key.expiration {
        shown.insert("expiration".into(), expiration.into());
    }
    let line = match file {
        Some(file) => {
            let path = file.write(&encoded(key)).map_err(|failure| {
                Failure::partly_done(format!(
                    "the API key {id} was created, but {failure}; its secret is lost, so \
                     invalidate it: apikeys es invalidate --id {id}"
                ))
            })?;
            to_stderr(format_args!(
                "created the API key {id}; its secret is in {}",
                printable(&path.display().to_string())
            ));
            shown.insert("secret_file".into(), path.display().to_string().into());
            match output {
                Created::Json => Value::Object(shown).to_string(),
                Created::Encoded => key.id.clone(),
            }
        }
        None => {
            to_stderr(format_args!(
                "created the API key {id}; its secret follows, once: keep it now"
            ));
            match output {
                Created::Json => {
                    shown.insert("api_key".into(), key.api_key.expose_secret().into());
                    shown.insert("encoded".into(), encoded(key).into());
                    Value::Object(shown).to_string()
                }
                Created::Encoded => encoded(key),
            }
        }
    };
    let mut out = io::stdout().lock();
    match writeln!(out, "{line}").and_then(|()| out.flush()) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(error) => Err(Failure::partly_done(format!(
            "the API key {id} was created, but its secret could not be written ({error}); \
             invalidate it: apikeys es invalidate --id {id}"
        ))),
    }
}
