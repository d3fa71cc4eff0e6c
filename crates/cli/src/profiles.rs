//! Named targets in a config file: Elastic Cloud organisations and Elasticsearch clusters, with
//! their addresses, trust and credentials, so that `--profile prod` replaces a line of flags.
//!
//! ```toml
//! [profiles.prod]
//! service = "elasticsearch"
//! url = "https://es.prod.internal:9200"        # or cloud_id = "..."
//! ca_fingerprint = "a1b2..."                     # or ca_cert = "/etc/es/http_ca.crt"
//!                                                # (a relative path is the config file's)
//! api_key = { command = ["pass", "show", "es/prod"] }
//!
//! [profiles.cloud]
//! service = "cloud"
//! api_key = { env = "EC_API_KEY_ORG" }
//! ```
//!
//! Credentials are given by reference: `{ env = "NAME" }` or `{ command = [...] }`, whose
//! standard output's first line is the secret (for `pass`, `op`, `vault`; `pass show` prints
//! notes after it, which are never sent). A plain `{ value = "..." }` is
//! accepted only from a file that only its owner can read. The file is
//! `$APIKEYS_CONFIG`, or `$XDG_CONFIG_HOME/apikeys/config.toml`, or
//! `~/.config/apikeys/config.toml` (`%APPDATA%\apikeys\config.toml` on Windows). A file that
//! another user can change is refused ([`trust`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use elastic_apikeys_client::SecretString;
use serde::{Deserialize, Serialize};
use tokio::process::Command;

use crate::connect::Limits;
use crate::failure::Failure;
use crate::text::printable;

mod trust;

/// The config file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Config {
    #[serde(default)]
    pub(crate) profiles: BTreeMap<String, Profile>,
}

/// Which API a profile reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Service {
    Cloud,
    Elasticsearch,
}

/// One target.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Profile {
    pub(crate) service: Service,
    pub(crate) url: Option<String>,
    pub(crate) cloud_id: Option<String>,
    pub(crate) ca_cert: Option<String>,
    pub(crate) ca_fingerprint: Option<String>,
    pub(crate) api_key: Option<Secret>,
    pub(crate) username: Option<String>,
    pub(crate) password: Option<Secret>,
}

/// Where a credential comes from.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "lowercase", deny_unknown_fields)]
pub(crate) enum Secret {
    /// An environment variable.
    Env(String),
    /// A command, whose standard output's first line (trimmed) is the secret.
    Command(Vec<String>),
    /// The secret itself, in a file only its owner can read.
    Value(SecretString),
}

impl Secret {
    /// Where the secret comes from, without the secret: `env EC_API_KEY`, `command pass`.
    pub(crate) fn source(&self) -> String {
        match self {
            Self::Env(name) => format!("env {}", printable(name)),
            Self::Command(argv) => format!(
                "command {}",
                printable(argv.first().map_or("", String::as_str))
            ),
            Self::Value(_) => "value in the file".to_string(),
        }
    }

    /// The secret of profile `name`'s `field`. A command is stopped at `limits.deadline`
    /// (`--timeout`), and with the run (Ctrl-C).
    pub(crate) async fn resolve(
        &self,
        name: &str,
        field: &str,
        limits: Limits,
    ) -> Result<SecretString, Failure> {
        let context = format!("profile {}: {field}", printable(name));
        match self {
            Self::Env(variable) => std::env::var(variable)
                .map(SecretString::from)
                .map_err(|_| {
                    Failure::usage(format!(
                        "{context}: the environment variable {} is not set",
                        printable(variable)
                    ))
                }),
            Self::Command(argv) => {
                let Some((program, args)) = argv.split_first() else {
                    return Err(Failure::usage(format!("{context}: the command is empty")));
                };
                let shown = printable(program);
                // Its standard input is closed, as `output()` leaves it; a command that asks
                // for a passphrase asks on the terminal, which it opens itself.
                let running = Command::new(program).args(args).kill_on_drop(true).output();
                let output = match tokio::time::timeout_at(limits.deadline, running).await {
                    Ok(output) => output.map_err(|e| {
                        Failure::usage(format!("{context}: cannot run {shown}: {e}"))
                    })?,
                    Err(_) => {
                        return Err(Failure::request(format!(
                            "{context}: {shown} did not finish within {} (--timeout), and was \
                             stopped; nothing was sent",
                            humantime::format_duration(limits.timeout)
                        )));
                    }
                };
                // Neither its output nor its errors are shown: either may hold the secret.
                if !output.status.success() {
                    return Err(Failure::usage(format!(
                        "{context}: {shown} failed ({})",
                        output.status
                    )));
                }
                let text = String::from_utf8(output.stdout)
                    .map_err(|_| Failure::usage(format!("{context}: {shown} printed no text")))?;
                // The first line only: password managers print the secret there and notes (a
                // URL, a user name, other secrets) after it, which must not reach the server.
                let secret = text.lines().next().unwrap_or_default().trim();
                if secret.is_empty() {
                    return Err(Failure::usage(format!(
                        "{context}: {shown} printed nothing on its first line, where the secret \
                         is read from"
                    )));
                }
                Ok(SecretString::from(secret))
            }
            Self::Value(secret) => Ok(secret.clone()),
        }
    }
}

/// The path of the config file.
pub(crate) fn path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("APIKEYS_CONFIG") {
        return Some(PathBuf::from(path));
    }
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".config")))
        // Windows: %APPDATA%\apikeys\config.toml.
        .or_else(|| std::env::var_os("APPDATA").map(PathBuf::from))?;
    Some(base.join("apikeys").join("config.toml"))
}

/// Reads the config file at `path`: refused when another user can change it (see [`trust`]),
/// or when it holds a plain secret that others can read.
pub(crate) fn load(path: &Path) -> Result<Config, Failure> {
    use std::io::Read;
    let shown = printable(&path.display().to_string());
    let unreadable = |e: std::io::Error| Failure::usage(format!("the profiles file {shown}: {e}"));
    let mut file = trust::open(path)?;
    let mut text = String::new();
    file.read_to_string(&mut text).map_err(unreadable)?;
    let config: Config = toml::from_str(&text)
        .map_err(|e| Failure::usage(format!("the profiles file {shown}: {e}")))?;
    let plain = config.profiles.iter().find(|(_, profile)| {
        [&profile.api_key, &profile.password]
            .into_iter()
            .flatten()
            .any(|secret| matches!(secret, Secret::Value(_)))
    });
    if let Some((name, _)) = plain
        && readable_by_others(&file.metadata().map_err(unreadable)?)
    {
        return Err(Failure::usage(format!(
            "profile {} holds a plain secret in {shown}, which other users can read; run \
             chmod 600 {shown}, or give the secret as {{ env = \"NAME\" }} or {{ command = [...] }}",
            printable(name)
        )));
    }
    Ok(config)
}

#[cfg(unix)]
fn readable_by_others(metadata: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    metadata.permissions().mode() & 0o077 != 0
}

#[cfg(not(unix))]
fn readable_by_others(_: &std::fs::Metadata) -> bool {
    // Windows files take their owner's ACL from the user's profile directory.
    false
}

/// The profile `name` of the config file, for `service`.
pub(crate) fn select(name: &str, service: Service) -> Result<(Profile, String), Failure> {
    let path = path()
        .ok_or_else(|| Failure::usage("--profile: no config file: set APIKEYS_CONFIG or HOME"))?;
    let mut config = load(&path)?;
    let mut profile = config.profiles.remove(name).ok_or_else(|| {
        let known: Vec<&str> = config.profiles.keys().map(String::as_str).collect();
        Failure::usage(format!(
            "no profile {} in {}; the profiles are: {}",
            printable(name),
            printable(&path.display().to_string()),
            printable(&known.join(", "))
        ))
    })?;
    if profile.service != service {
        return Err(Failure::usage(format!(
            "profile {} is for {}, not this command",
            printable(name),
            match profile.service {
                Service::Cloud => "Elastic Cloud (apikeys cloud ...)",
                Service::Elasticsearch => "Elasticsearch (apikeys es ...)",
            }
        )));
    }
    // A relative path in the file is the file's own: read from the current directory, a CA
    // that happens to be there would decide which server gets the credentials.
    profile.ca_cert = profile.ca_cert.map(|file| beside(&path, file));
    Ok((profile, name.to_string()))
}

/// `file`, a path written in the config file `config`: as it is when absolute, otherwise
/// resolved against the config file's directory.
fn beside(config: &Path, file: String) -> String {
    if Path::new(&file).is_absolute() {
        return file;
    }
    match config.parent() {
        Some(directory) => directory.join(&file).to_string_lossy().into_owned(),
        None => file,
    }
}

/// `args` with what profile `--profile` names filled in: the profile beats the environment,
/// and a flag typed on the command line beats the profile. What the profile gave is recorded in
/// `from_profile`, so that a message about a value names the profile, not a variable.
pub(crate) async fn apply_es(
    mut args: crate::args::EsArgs,
    limits: Limits,
) -> Result<crate::args::EsArgs, Failure> {
    let Some(name) = args.profile.clone() else {
        return Ok(args);
    };
    let (profile, name) = select(&name, Service::Elasticsearch)?;
    let shown = printable(&name);
    let typed = args.typed;
    if !typed.url && !typed.cloud_id && (profile.url.is_some() || profile.cloud_id.is_some()) {
        if profile.url.is_some() {
            args.from_profile.url = Some(format!("profile {shown}: url"));
        }
        args.url = profile.url;
        args.cloud_id = profile.cloud_id;
    }
    if !typed.ca_cert
        && !typed.ca_fingerprint
        && (profile.ca_cert.is_some() || profile.ca_fingerprint.is_some())
    {
        if profile.ca_cert.is_some() {
            args.from_profile.ca_cert = Some(format!("profile {shown}: ca_cert"));
        }
        args.ca_cert = profile.ca_cert;
        args.ca_fingerprint = profile.ca_fingerprint;
    }
    if !typed.api_key && !typed.user_or_password {
        if let Some(key) = &profile.api_key {
            args.api_key = Some(key.resolve(&name, "api_key", limits).await?);
            args.from_profile.api_key =
                Some(format!("profile {shown}: api_key ({})", key.source()));
            args.auth_user = None;
            args.auth_password = None;
        } else if profile.username.is_some() || profile.password.is_some() {
            args.api_key = None;
            args.auth_user = profile.username;
            args.auth_password = match &profile.password {
                Some(password) => Some(password.resolve(&name, "password", limits).await?),
                None => None,
            };
        }
    }
    Ok(args)
}

/// `args` with what profile `--profile` names filled in, as for [`apply_es`].
pub(crate) async fn apply_cloud(
    mut args: crate::args::CloudArgs,
    limits: Limits,
) -> Result<crate::args::CloudArgs, Failure> {
    let Some(name) = args.profile.clone() else {
        return Ok(args);
    };
    let (profile, name) = select(&name, Service::Cloud)?;
    let shown = printable(&name);
    let typed = args.typed;
    if !typed.url && profile.url.is_some() {
        args.url = profile.url;
        args.from_profile.url = Some(format!("profile {shown}: url"));
    }
    if !typed.ca_cert && profile.ca_cert.is_some() {
        args.ca_cert = profile.ca_cert;
        args.from_profile.ca_cert = Some(format!("profile {shown}: ca_cert"));
    }
    if !typed.api_key
        && let Some(key) = &profile.api_key
    {
        args.api_key = Some(key.resolve(&name, "api_key", limits).await?);
        args.from_profile.api_key = Some(format!("profile {shown}: api_key ({})", key.source()));
    }
    Ok(args)
}

/// `apikeys profiles`: every profile, and where its credentials come from.
pub(crate) fn list(output: crate::args::Changed) -> Result<std::process::ExitCode, Failure> {
    use std::io::Write;
    let path =
        path().ok_or_else(|| Failure::usage("no config file: set APIKEYS_CONFIG or HOME"))?;
    let config = load(&path)?;
    let rows: Vec<serde_json::Value> = config
        .profiles
        .iter()
        .map(|(name, profile)| {
            serde_json::json!({
                "name": name,
                "service": profile.service,
                // A password written into the URL is shown as every other URL is: redacted.
                "address": profile.url.as_deref().map(elastic_apikeys_client::transport::redacted_url)
                    .or(profile.cloud_id.as_ref().map(|_| "cloud id".to_string())),
                "trust": if profile.ca_fingerprint.is_some() { Some("ca fingerprint") }
                         else if profile.ca_cert.is_some() { Some("ca cert") } else { None },
                "credentials": profile.api_key.as_ref().map(|key| format!("api key from {}", key.source()))
                    .or_else(|| profile.password.as_ref().map(|p| format!("password from {}", p.source()))),
            })
        })
        .collect();
    let mut out = std::io::stdout().lock();
    let written = match output {
        crate::args::Changed::Json => crate::output::write_json(&mut out, &rows),
        crate::args::Changed::Text => rows.iter().try_for_each(|row| {
            let text = |key: &str| row[key].as_str().unwrap_or("-").to_string();
            writeln!(
                out,
                "{}\t{}\t{}\t{}",
                printable(&text("name")),
                text("service"),
                printable(&text("address")),
                printable(&text("credentials"))
            )
        }),
    };
    match written.and_then(|()| out.flush()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure::output(&error))
        }
        _ => Ok(std::process::ExitCode::SUCCESS),
    }
}
