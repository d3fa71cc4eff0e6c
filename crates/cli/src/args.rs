//! The command line: what `apikeys` accepts, and its help text.

use std::time::Duration;

use chrono::{DateTime, Utc};
use clap::builder::NonEmptyStringValueParser;
use clap::parser::ValueSource;
use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use elastic_apikeys_client::SecretString;
use elastic_apikeys_client::elasticsearch::types as elasticsearch;

/// Audit and manage the API keys of Elastic Cloud and Elasticsearch: which keys exist, who owns
/// them and which expire soon; create and invalidate them.
#[derive(Debug, Parser)]
#[command(
    name = "apikeys",
    version,
    propagate_version = true,
    after_help = "\
Exit status:
    0  success
    1  the request failed (credentials rejected, no such key, network or server error, a
       redirect, --timeout), or the report could not be written
    2  the command line or the credentials are unusable; nothing was sent
    3  --fail-if-expiring: a listed key expires within the window, or has expired
    4  a listed key breaks --require-expiration, --max-lifetime or --max-age (this wins over 3)
    5  a rotation created the new key but could not remove the old one
    6  an audit could not read every target
  130  interrupted (Ctrl-C)

Each command's --help gives the statuses it can end with."
)]
pub(crate) struct Cli {
    /// Report each HTTP request and response on stderr (never credentials).
    #[arg(short, long, global = true, help_heading = "Connection")]
    pub(crate) verbose: bool,

    /// Give up when the whole exchange with the server takes longer than this, such as 30s or
    /// 10m. A server may not stay silent for more than a minute in any case.
    #[arg(
        long,
        value_name = "DURATION",
        default_value = "5m",
        value_parser = parse_timeout,
        global = true,
        help_heading = "Connection"
    )]
    pub(crate) timeout: Duration,

    /// The largest answer read whole, and the most text a table of keys that arrive one by one
    /// (`es list`, `es query`) may hold, such as 512MiB or 2GiB; more is an error rather than
    /// memory running out.
    #[arg(
        long,
        value_name = "SIZE",
        default_value = "256MiB",
        value_parser = parse_size,
        global = true,
        help_heading = "Connection"
    )]
    pub(crate) max_body_size: u64,

    /// Ask for answers uncompressed. By default apikeys offers gzip, which Elasticsearch uses
    /// over plain HTTP (`http.compression`), so that a key list crosses the network in a
    /// fraction of its size; on a link faster than the CPUs compress, uncompressed is quicker.
    #[arg(long, global = true, help_heading = "Connection")]
    pub(crate) no_compression: bool,

    #[command(subcommand)]
    pub(crate) service: Service,
}

// One value per run, made once from the command line: the size of its largest variant costs
// nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub(crate) enum Service {
    /// The API keys of your Elastic Cloud user.
    Cloud(CloudArgs),
    /// The API keys of an Elasticsearch cluster.
    Es(EsArgs),
    /// List the keys of several targets at once (every profile, or those named), in one report
    /// with a target column.
    #[command(after_help = AUDIT_EXIT_STATUS)]
    Audit(Audit),
    /// List the profiles of the config file, with where their credentials come from (never
    /// the credentials).
    #[command(after_help = SIMPLE_EXIT_STATUS)]
    Profiles {
        /// What to print on stdout.
        #[arg(long, short, value_enum, default_value_t = Changed::Text)]
        output: Changed,
    },
    /// Print the completion script of a shell, such as
    /// `apikeys completions bash > ~/.local/share/bash-completion/completions/apikeys`.
    #[command(after_help = SIMPLE_EXIT_STATUS)]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// Where Elastic Cloud is, and the key to call it with.
#[derive(Debug, Args)]
pub(crate) struct CloudArgs {
    /// The Elastic Cloud API key to authenticate with.
    #[arg(
        long,
        env = "EC_API_KEY",
        hide_env_values = true,
        global = true,
        help_heading = "Connection",
        value_parser = secret,
        allow_hyphen_values = true
    )]
    pub(crate) api_key: Option<SecretString>,

    /// The API's base URL, for Elastic Cloud Enterprise or a proxy. Default:
    /// `https://api.elastic-cloud.com/api/v1`.
    // Like every setting that can hold a credential or a URL, its value is never shown in
    // `--help`: a URL may carry a password.
    #[arg(
        long,
        env = "EC_API_URL",
        hide_env_values = true,
        global = true,
        help_heading = "Connection"
    )]
    pub(crate) url: Option<String>,

    /// Trust the CA certificates of this PEM file besides the system's, for an Elastic Cloud
    /// Enterprise installation whose certificate a private CA signed.
    #[arg(
        long,
        value_name = "PATH",
        global = true,
        help_heading = "TLS",
        allow_hyphen_values = true
    )]
    pub(crate) ca_cert: Option<String>,

    /// A profile of the config file to connect with (see `apikeys profiles`): its address,
    /// trust and credentials, which flags typed here override.
    #[arg(
        long,
        value_name = "NAME",
        env = "APIKEYS_PROFILE",
        global = true,
        help_heading = "Connection"
    )]
    pub(crate) profile: Option<String>,

    /// Which settings were typed on the command line; set by [`Cli::parse_args`].
    #[arg(skip)]
    pub(crate) typed: Typed,

    /// Which settings the profile gave; set by `profiles::apply_cloud`.
    #[arg(skip)]
    pub(crate) from_profile: FromProfile,

    #[command(subcommand)]
    pub(crate) command: CloudCommand,
}

#[derive(Debug, Subcommand)]
pub(crate) enum CloudCommand {
    /// List the API keys of the current user (GET /users/auth/keys), or with --all-users or
    /// --user those of other users.
    #[command(after_help = STREAMED_LIST_EXIT_STATUS)]
    List {
        /// Every user's keys (GET /users/auth/keys/_all), for administrators.
        #[arg(long, conflicts_with = "user")]
        all_users: bool,
        /// The keys of this user (GET /users/{user_id}/auth/keys), for administrators.
        #[arg(long, value_name = "USER_ID", value_parser = NonEmptyStringValueParser::new())]
        user: Option<String>,
        #[command(flatten)]
        filters: CommonFilters,
        #[command(flatten)]
        report: Report,
    },
    /// Show one API key (GET /users/auth/keys/{api_key_id}).
    #[command(after_help = LIST_EXIT_STATUS)]
    Get {
        /// The key's id.
        #[arg(value_parser = NonEmptyStringValueParser::new())]
        id: String,
        #[command(flatten)]
        report: Report,
    },
    /// Create an API key for the current user (POST /users/auth/keys), and print its secret
    /// once.
    ///
    /// Creating destroys nothing, so it asks nothing, from a script or on a terminal.
    #[command(after_help = CREATE_EXIT_STATUS)]
    Create(CloudCreate),
    /// Replace an API key of the current user with a new one of the same description, role
    /// assignments and lifetime, then delete the old one.
    #[command(after_help = ROTATE_EXIT_STATUS)]
    Rotate(CloudRotate),
    /// Delete API keys of the current user (DELETE /users/auth/keys), or of another user with
    /// --user.
    #[command(after_help = CHANGE_EXIT_STATUS)]
    Delete(CloudDelete),
}

/// `apikeys cloud create`.
#[derive(Debug, Args)]
pub(crate) struct CloudCreate {
    /// What the key is for, as the console lists it.
    #[arg(long, value_parser = NonEmptyStringValueParser::new())]
    pub(crate) description: String,

    /// How long the key lives, in days or hours, such as 30d or 12h. Without it, the key never
    /// expires.
    #[arg(long, value_name = "DURATION", value_parser = parse_cloud_expiration)]
    pub(crate) expiration: Option<String>,

    /// The key's role assignments, as JSON ({"organization": [...], "deployment": [...], ...}),
    /// from this file or `-` for stdin.
    #[arg(long, value_name = "FILE", allow_hyphen_values = true)]
    pub(crate) role_assignments: Option<String>,

    #[command(flatten)]
    pub(crate) handover: Handover,

    #[command(flatten)]
    pub(crate) preview: Preview,
}

/// `apikeys cloud rotate`.
#[derive(Debug, Args)]
pub(crate) struct CloudRotate {
    /// The id of the key to replace.
    #[arg(value_parser = NonEmptyStringValueParser::new())]
    pub(crate) id: String,

    /// The new key's lifetime, in days or hours, such as 90d. Default: the old key's.
    #[arg(long, value_name = "DURATION", value_parser = parse_cloud_expiration)]
    pub(crate) expiration: Option<String>,

    #[command(flatten)]
    pub(crate) handover: Handover,

    #[command(flatten)]
    pub(crate) confirm: Confirm,
}

/// `apikeys cloud delete`.
#[derive(Debug, Args)]
pub(crate) struct CloudDelete {
    /// The ids of the keys to delete.
    #[arg(required_unless_present = "user", value_parser = NonEmptyStringValueParser::new())]
    pub(crate) ids: Vec<String>,

    /// Another user's keys, for administrators: those given by id, or without ids every key of
    /// the user (DELETE /users/{user_id}/auth/keys).
    #[arg(long, value_name = "USER_ID", value_parser = NonEmptyStringValueParser::new())]
    pub(crate) user: Option<String>,

    /// What to print on stdout.
    #[arg(long, short, value_enum, default_value_t = Changed::Text)]
    pub(crate) output: Changed,

    #[command(flatten)]
    pub(crate) confirm: Confirm,
}

/// Which cluster, and how to authenticate to it.
///
/// Credentials typed on the command line beat those of the environment; among credentials from
/// the same place, an API key beats a username and password.
#[derive(Debug, Args)]
pub(crate) struct EsArgs {
    /// The cluster's URL, such as https://localhost:9200. Or --cloud-id.
    #[arg(
        long,
        env = "ELASTICSEARCH_URL",
        hide_env_values = true,
        global = true,
        help_heading = "Connection"
    )]
    pub(crate) url: Option<String>,

    /// The Elastic Cloud ID of the deployment, as its page of the Elastic Cloud console shows it
    /// (name:base64...): the cluster's address, instead of --url.
    #[arg(
        long,
        value_name = "ID",
        env = "ELASTIC_CLOUD_ID",
        hide_env_values = true,
        global = true,
        help_heading = "Connection",
        allow_hyphen_values = true
    )]
    pub(crate) cloud_id: Option<String>,

    /// Trust the CA certificates of this PEM file besides the system's: for a self-managed
    /// cluster, config/certs/http_ca.crt. Or --ca-fingerprint.
    // Paths, fingerprints and Cloud IDs take values that start with `-`, so that clap never
    // echoes a value it took for a flag: a key pasted where its path belongs starts with `-----`.
    #[arg(
        long,
        value_name = "PATH",
        env = "ELASTICSEARCH_CA_CERT",
        hide_env_values = true,
        global = true,
        help_heading = "TLS",
        allow_hyphen_values = true
    )]
    pub(crate) ca_cert: Option<String>,

    /// Trust the cluster by the SHA-256 fingerprint of its CA's certificate, as Elasticsearch
    /// prints it when it first starts: 64 hex digits, with or without colons. The fingerprint
    /// is then the only trust, whatever host name the certificate holds.
    #[arg(
        long,
        value_name = "HEX",
        env = "ELASTICSEARCH_CA_FINGERPRINT",
        hide_env_values = true,
        global = true,
        help_heading = "TLS",
        allow_hyphen_values = true
    )]
    pub(crate) ca_fingerprint: Option<String>,

    /// A client certificate (PEM) to authenticate with, for PKI authentication; with
    /// --client-key.
    #[arg(
        long,
        value_name = "PATH",
        requires = "client_key",
        global = true,
        help_heading = "TLS",
        allow_hyphen_values = true
    )]
    pub(crate) client_cert: Option<String>,

    /// The private key (PEM, not encrypted) of --client-cert.
    #[arg(
        long,
        value_name = "PATH",
        requires = "client_cert",
        global = true,
        help_heading = "TLS",
        allow_hyphen_values = true
    )]
    pub(crate) client_key: Option<String>,

    /// Do not check the server's certificate at all, for laboratories only: anyone on the way
    /// could read and change the exchange, credentials included. Every run warns.
    #[arg(long, global = true, help_heading = "TLS")]
    pub(crate) insecure: bool,

    /// An API key: its encoded form (the `encoded` value Elasticsearch returns on creation,
    /// base64 of id:api_key), or id:api_key as Beats and Logstash take it.
    #[arg(
        long,
        env = "ELASTIC_API_KEY",
        hide_env_values = true,
        global = true,
        help_heading = "Connection",
        value_parser = secret,
        allow_hyphen_values = true
    )]
    pub(crate) api_key: Option<SecretString>,

    /// A user to authenticate as, with --auth-password.
    #[arg(
        long,
        env = "ELASTIC_USERNAME",
        hide_env_values = true,
        global = true,
        help_heading = "Connection"
    )]
    pub(crate) auth_user: Option<String>,

    /// The password of --auth-user. Prefer ELASTIC_PASSWORD: other users of this machine can
    /// read a process's flags.
    #[arg(
        long,
        env = "ELASTIC_PASSWORD",
        hide_env_values = true,
        global = true,
        help_heading = "Connection",
        value_parser = secret,
        allow_hyphen_values = true
    )]
    pub(crate) auth_password: Option<SecretString>,

    /// A profile of the config file to connect with (see `apikeys profiles`): its address,
    /// trust and credentials, which flags typed here override.
    #[arg(
        long,
        value_name = "NAME",
        env = "APIKEYS_PROFILE",
        global = true,
        help_heading = "Connection"
    )]
    pub(crate) profile: Option<String>,

    /// Which settings were typed on the command line rather than read from the environment;
    /// set by [`Cli::parse_args`].
    #[arg(skip)]
    pub(crate) typed: Typed,

    /// Which settings the profile gave; set by `profiles::apply_es`.
    #[arg(skip)]
    pub(crate) from_profile: FromProfile,

    #[command(subcommand)]
    pub(crate) command: EsCommand,
}

#[derive(Debug, Subcommand)]
pub(crate) enum EsCommand {
    /// List API keys (in pages of POST /_security/_query/api_key, or GET /_security/api_key).
    #[command(after_help = STREAMED_LIST_EXIT_STATUS)]
    List(EsList),
    /// Create an API key for the authenticated user (POST /_security/api_key), and print its
    /// secret once.
    ///
    /// Creating destroys nothing, so it asks nothing, from a script or on a terminal.
    #[command(after_help = CREATE_EXIT_STATUS)]
    Create(EsCreate),
    /// Invalidate API keys (DELETE /_security/api_key): by id, by name, the caller's own, or a
    /// user's or realm's.
    #[command(after_help = CHANGE_EXIT_STATUS)]
    Invalidate(EsInvalidate),
    /// Query API keys (POST /_security/_query/api_key), walking every page: a million keys list
    /// in memory that does not grow with them (but for the table, which aligns every row).
    #[command(after_help = STREAMED_LIST_EXIT_STATUS)]
    Query(EsQuery),
    /// Replace an API key with a new one of the same name, role descriptors and metadata, then
    /// invalidate the old one (or, with --grace, let it expire).
    #[command(after_help = ROTATE_EXIT_STATUS)]
    Rotate(EsRotate),
    /// Change an API key of the authenticated user (PUT /_security/api_key/{id}): its
    /// expiration, metadata or role descriptors. What is not given stays as it is.
    #[command(after_help = CHANGE_EXIT_STATUS)]
    Update(EsUpdate),
}

/// `apikeys es query`.
#[derive(Debug, Args)]
#[command(next_help_heading = "Query (sent to Elasticsearch)")]
pub(crate) struct EsQuery {
    /// The query, in the query DSL the API takes (bool, term, terms, match, prefix, wildcard,
    /// ids, exists, range, simple_query_string): JSON such as `{"prefix": {"name": "ci-"}}`, or
    /// a file holding it, or `-` for stdin. Without it, every key.
    #[arg(long, value_name = "JSON|FILE", allow_hyphen_values = true)]
    pub(crate) query: Option<String>,

    /// Sort by this field, such as `creation` or `expiration:desc`; repeat for more. `_doc` is
    /// added last so that every page continues where the last stopped. Default: creation.
    #[arg(long, value_name = "FIELD[:asc|desc]", value_parser = parse_sort)]
    pub(crate) sort: Vec<(String, Option<String>)>,

    /// How many keys each request asks for (each page), from 1 to 10000.
    #[arg(long, value_name = "N", default_value_t = 1000,
          value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub(crate) size: u32,

    /// Include the owner's permissions each key is limited by (JSON output).
    #[arg(long)]
    pub(crate) with_limited_by: bool,

    #[command(flatten)]
    pub(crate) filters: CommonFilters,

    #[command(flatten)]
    pub(crate) report: Report,

    #[command(flatten)]
    pub(crate) last_use: LastUseArgs,
}

/// `FIELD[:asc|desc]`.
fn parse_sort(text: &str) -> Result<(String, Option<String>), String> {
    match text.rsplit_once(':') {
        Some((field, order @ ("asc" | "desc"))) if !field.is_empty() => {
            Ok((field.to_string(), Some(order.to_string())))
        }
        Some((_, order)) if !order.is_empty() && !text.starts_with("metadata.") => Err(format!(
            "`{order}` is no order; write FIELD, FIELD:asc or FIELD:desc"
        )),
        _ if text.is_empty() => Err("name a field, such as creation".to_string()),
        _ => Ok((text.to_string(), None)),
    }
}

/// `apikeys es update`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("change").required(true).multiple(true)
    .args(["expiration", "metadata", "role_descriptors"])))]
pub(crate) struct EsUpdate {
    /// The key's id.
    #[arg(value_parser = NonEmptyStringValueParser::new())]
    pub(crate) id: String,

    /// A new expiration, counted from now, such as 30d (Elasticsearch 8.13 and later).
    #[arg(long, value_name = "DURATION", value_parser = parse_expiration)]
    pub(crate) expiration: Option<String>,

    /// New metadata, replacing the old, as a JSON object.
    #[arg(long, value_name = "JSON")]
    pub(crate) metadata: Option<String>,

    /// New role descriptors, replacing the old, as JSON, from this file or `-` for stdin. `{}`
    /// gives the key the owner's full permissions.
    #[arg(long, value_name = "FILE", allow_hyphen_values = true)]
    pub(crate) role_descriptors: Option<String>,

    /// What to print on stdout.
    #[arg(long, short, value_enum, default_value_t = Changed::Text)]
    pub(crate) output: Changed,

    #[command(flatten)]
    pub(crate) confirm: Confirm,
}

/// The exit statuses that every command that lists keys shares, before its own and Ctrl-C's.
macro_rules! list_exit_statuses {
    () => {
        "\
Exit status:
    0  success
    1  the request failed (credentials rejected, no such key, network or server error, a
       redirect, --timeout), or the report could not be written
    2  the command line, the credentials or the profile are unusable; nothing was sent
    3  --fail-if-expiring: a listed key expires within the window, or has expired
    4  a listed key breaks --require-expiration, --max-lifetime or --max-age (this wins over 3)
"
    };
}

/// The exit statuses of a command that lists keys.
const LIST_EXIT_STATUS: &str = concat!(list_exit_statuses!(), "  130  interrupted (Ctrl-C)");

/// The exit statuses of a command that lists keys read one at a time, so that a key this
/// version cannot read hides none of the others.
const STREAMED_LIST_EXIT_STATUS: &str = concat!(
    list_exit_statuses!(),
    "    7  a key could not be read (a shape newer than this version): each is named on stderr and
       every other key is reported; this wins over 3 and 4, which could not judge it
  130  interrupted (Ctrl-C)"
);

/// The exit statuses of a command that sends nothing.
const SIMPLE_EXIT_STATUS: &str = "\
Exit status:
    0  success
    1  the output could not be written
    2  the command line or the profiles file is unusable";

/// The exit statuses of a command that changes keys.
const CHANGE_EXIT_STATUS: &str = "\
Exit status:
    0  done (or, with --dry-run, nothing sent)
    1  the request failed, or the server did not do all of it (each reason is printed)
    2  the command line or the credentials are unusable, or the change was not confirmed;
       nothing was changed
  130  interrupted (Ctrl-C)";

/// The exit statuses of a command that creates a key: it asks nothing.
const CREATE_EXIT_STATUS: &str = "\
Exit status:
    0  created, and the secret handed over (or, with --dry-run, nothing sent)
    1  the request failed (when a key may have been created all the same, the error says so and
       how to find and remove it), or the secret could not be handed over
    2  the command line or the credentials are unusable; nothing was sent
  130  interrupted (Ctrl-C)";

/// The exit statuses of an audit.
const AUDIT_EXIT_STATUS: &str = "\
Exit status:
    0  every target was read, and no listed key is due or breaks a policy
    2  the command line or the profiles file is unusable; nothing was sent
    3  --fail-if-expiring: a listed key expires within the window, or has expired
    4  a listed key breaks --require-expiration, --max-lifetime or --max-age
    6  a target could not be read (its error is printed; the others are reported); this wins
       over 3, 4 and 7
    7  a key could not be read (a shape newer than this version): each is named on stderr and
       every other key is reported; this wins over 3 and 4, which could not judge it
  130  interrupted (Ctrl-C)";

/// `apikeys audit`.
#[derive(Debug, Args)]
pub(crate) struct Audit {
    /// A profile to read; repeat for more. Default: every profile of the config file.
    #[arg(long = "profile", value_name = "NAME")]
    pub(crate) profiles: Vec<String>,

    #[command(flatten)]
    pub(crate) filters: CommonFilters,

    #[command(flatten)]
    pub(crate) report: Report,

    /// Elasticsearch targets only: each reads its own cluster's audit events, or all read those
    /// of --audit-profile.
    #[command(flatten)]
    pub(crate) last_use: LastUseArgs,
}

/// The exit statuses of a rotation.
const ROTATE_EXIT_STATUS: &str = "\
Exit status:
    0  done: the new key's secret was printed (or written), the old key is invalidated or
       expires after --grace
    1  the request failed before the new key was created; nothing was changed
    2  the command line or the credentials are unusable, or the rotation was not confirmed;
       nothing was changed
    5  the new key was created and its secret handed over, but the old key is still active;
       the message says how to finish
  130  interrupted (Ctrl-C)";

/// `apikeys es rotate`.
#[derive(Debug, Args)]
pub(crate) struct EsRotate {
    /// The id of the key to replace.
    #[arg(value_parser = NonEmptyStringValueParser::new())]
    pub(crate) id: String,

    /// The new key's lifetime, such as 90d. Default: the old key's (from its creation to its
    /// expiration), or none if it never expired.
    #[arg(long, value_name = "DURATION", value_parser = parse_expiration)]
    pub(crate) expiration: Option<String>,

    /// Instead of invalidating the old key, let it expire this long from now, such as 24h, so
    /// that what uses it can move to the new one (Elasticsearch 8.13 and later; only for keys
    /// you own).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub(crate) grace: Option<Duration>,

    #[command(flatten)]
    pub(crate) handover: Handover,

    #[command(flatten)]
    pub(crate) confirm: Confirm,
}

/// Where a new key's secret goes: what every command that creates a key takes.
#[derive(Debug, Args)]
#[command(next_help_heading = "Secret")]
pub(crate) struct Handover {
    /// Write the new key's secret to this new file, readable by its owner only, instead of
    /// stdout. An existing file is never overwritten.
    #[arg(long, value_name = "PATH", allow_hyphen_values = true)]
    pub(crate) secret_file: Option<std::path::PathBuf>,

    /// What to print on stdout.
    #[arg(long, short, value_enum, default_value_t = Created::Encoded)]
    pub(crate) output: Created,
}

/// What every command that removes, replaces or changes keys takes: how it is confirmed.
#[derive(Debug, Args)]
#[command(next_help_heading = "Safety")]
pub(crate) struct Confirm {
    /// Do it without asking. Without --yes, a terminal is asked first, and a run whose stdin is
    /// not a terminal (a script) is refused.
    #[arg(long, short = 'y')]
    pub(crate) yes: bool,

    /// Print the request that would be sent, and send nothing.
    #[arg(long, conflicts_with = "yes")]
    pub(crate) dry_run: bool,
}

/// What a command that creates a key takes. Creating destroys nothing, so it never asks, as no
/// tool operators use for credentials asks before creating one.
#[derive(Debug, Args)]
#[command(next_help_heading = "Safety")]
pub(crate) struct Preview {
    /// Print the request that would be sent, and send nothing.
    #[arg(long)]
    pub(crate) dry_run: bool,

    /// Accepted, and changes nothing: creating a key never asks (scripts written for versions
    /// that asked pass it).
    #[arg(long, short = 'y', hide = true, conflicts_with = "dry_run")]
    pub(crate) yes: bool,
}

impl Preview {
    /// As a [`Confirm`]: a create goes ahead unless it is a dry run.
    pub(crate) fn confirm(&self) -> Confirm {
        Confirm {
            yes: !self.dry_run,
            dry_run: self.dry_run,
        }
    }
}

/// `apikeys es create`.
#[derive(Debug, Args)]
pub(crate) struct EsCreate {
    /// The key's name: 1 to 1024 characters, no leading or trailing whitespace, not beginning
    /// with `_`.
    #[arg(long, value_parser = NonEmptyStringValueParser::new())]
    pub(crate) name: String,

    /// How long the key lives, such as 30d or 12h. Without it, the key never expires.
    #[arg(long, value_name = "DURATION", value_parser = parse_expiration)]
    pub(crate) expiration: Option<String>,

    /// The key's role descriptors, as JSON (an object of role name to descriptor), from this
    /// file or `-` for stdin. Without them, the key has the authenticated user's permissions.
    #[arg(long, value_name = "FILE", allow_hyphen_values = true)]
    pub(crate) role_descriptors: Option<String>,

    /// Metadata to keep with the key, as a JSON object.
    #[arg(long, value_name = "JSON")]
    pub(crate) metadata: Option<String>,

    /// Create a cross-cluster key, for a remote cluster to connect with (POST
    /// /_security/cross_cluster/api_key), with --access; Elasticsearch 8.10 and later.
    #[arg(long, requires = "access", conflicts_with = "role_descriptors")]
    pub(crate) cross_cluster: bool,

    /// What a cross-cluster key may search and replicate, as JSON ({"search": [...],
    /// "replication": [...]}), from this file or `-` for stdin.
    #[arg(
        long,
        value_name = "FILE",
        allow_hyphen_values = true,
        requires = "cross_cluster"
    )]
    pub(crate) access: Option<String>,

    #[command(flatten)]
    pub(crate) handover: Handover,

    #[command(flatten)]
    pub(crate) preview: Preview,
}

/// `apikeys es invalidate`: which keys.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("which").required(true).multiple(true)
    .args(["id", "name", "owner", "username", "realm"])))]
pub(crate) struct EsInvalidate {
    // The conflicts are those of `InvalidateApiKeyRequest.validate()`, which the client checks
    // too; clap refuses them before the keys are listed or a question is asked.
    /// The id of a key to invalidate; repeat for more. Not with --name, --username or --realm.
    #[arg(
        long,
        value_parser = NonEmptyStringValueParser::new(),
        conflicts_with_all = ["name", "username", "realm"]
    )]
    pub(crate) id: Vec<String>,

    /// Invalidate the keys with this name; `*` matches any suffix. Not with --id, --username or
    /// --realm.
    #[arg(
        long,
        value_name = "PATTERN",
        value_parser = NonEmptyStringValueParser::new(),
        conflicts_with_all = ["username", "realm"]
    )]
    pub(crate) name: Option<String>,

    /// Only the authenticated user's own keys: the privilege manage_own_api_key is enough.
    #[arg(long, conflicts_with_all = ["username", "realm"])]
    pub(crate) owner: bool,

    /// The keys of this user. Not with --owner.
    #[arg(long, value_parser = NonEmptyStringValueParser::new())]
    pub(crate) username: Option<String>,

    /// The keys of users of this realm. Not with --owner.
    #[arg(long, value_parser = NonEmptyStringValueParser::new())]
    pub(crate) realm: Option<String>,

    /// What to print on stdout.
    #[arg(long, short, value_enum, default_value_t = Changed::Text)]
    pub(crate) output: Changed,

    #[command(flatten)]
    pub(crate) confirm: Confirm,
}

/// What `es create` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Created {
    /// The encoded key alone, what `Authorization: ApiKey` takes (with --secret-file, the id).
    Encoded,
    /// The id, name and expiration, with both forms of the secret (with --secret-file, the
    /// file's path instead).
    Json,
}

/// What a command that changes keys prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Changed {
    /// A line per key: what was done to it.
    Text,
    /// The server's answer, as the models encode it.
    Json,
}

/// `apikeys es list`: the query Elasticsearch runs, then the filters applied here.
#[derive(Debug, Args)]
#[command(next_help_heading = "Query (sent to Elasticsearch)")]
pub(crate) struct EsList {
    /// Only the key with this id. Not with --name, --username or --realm.
    #[arg(long, value_parser = NonEmptyStringValueParser::new())]
    pub(crate) id: Option<String>,

    /// Only keys with this name; `*` matches any suffix, as in `ci-*`. Not with --id,
    /// --username or --realm.
    #[arg(long, value_name = "PATTERN", value_parser = NonEmptyStringValueParser::new())]
    pub(crate) name: Option<String>,

    /// Only the keys of the authenticated user. Not with --username or --realm.
    #[arg(long)]
    pub(crate) owner: bool,

    /// Only the keys of this user.
    #[arg(long, value_parser = NonEmptyStringValueParser::new())]
    pub(crate) username: Option<String>,

    /// Only the keys of users of this realm.
    #[arg(long, value_parser = NonEmptyStringValueParser::new())]
    pub(crate) realm: Option<String>,

    /// Only keys that are neither invalidated nor expired (decided by the cluster).
    #[arg(long)]
    pub(crate) active_only: bool,

    /// Include the owner's permissions each key is limited by (JSON output).
    #[arg(long)]
    pub(crate) with_limited_by: bool,

    /// Include the owner's profile uid, where there is one (JSON output).
    #[arg(long)]
    pub(crate) with_profile_uid: bool,

    /// Only invalidated keys.
    #[arg(long, help_heading = "Filters")]
    pub(crate) invalidated: bool,

    /// Only keys of this type. Keys from clusters older than 8.10 have no type and count as
    /// `rest`.
    #[arg(
        long = "type",
        value_enum,
        value_name = "TYPE",
        help_heading = "Filters"
    )]
    pub(crate) key_type: Option<KeyType>,

    #[command(flatten)]
    pub(crate) filters: CommonFilters,

    #[command(flatten)]
    pub(crate) report: Report,

    #[command(flatten)]
    pub(crate) last_use: LastUseArgs,
}

/// When each key was last used, from the cluster's indexed audit events.
#[derive(Debug, Args)]
#[command(next_help_heading = "Last use (from audit events)")]
pub(crate) struct LastUseArgs {
    /// Add each key's last use (a LAST USED column, a `last_used` field), from the audit events
    /// the cluster indexes (`xpack.security.audit.enabled`, shipped by Elastic Agent or
    /// Filebeat): the latest event of a request the key authenticated, within --last-used-window.
    /// A key without one is "not seen since" the window's start, or the first event's if the
    /// events start later.
    #[arg(long)]
    pub(crate) last_used: bool,

    /// How far back --last-used looks, such as 30d; at least --max-idle.
    #[arg(long, value_name = "DURATION", default_value = "90d", value_parser = parse_duration)]
    pub(crate) last_used_window: Duration,

    /// Policy: no active key older than this may go unused for as long, such as 90d (status
    /// 4). Reads the last use as --last-used does; a run whose audit events cover less time
    /// than this fails rather than calls keys idle.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, help_heading = "Policies")]
    pub(crate) max_idle: Option<Duration>,

    /// Where the audit events are: Elastic Agent's Elasticsearch integration
    /// (logs-elasticsearch.audit-*) or Filebeat's elasticsearch module (filebeat-*).
    #[arg(long, value_enum, value_name = "SHIPPER", default_value_t = AuditShipper::ElasticAgent)]
    pub(crate) audit_shipper: AuditShipper,

    /// Search these indices for the audit events instead of the shipper's, such as
    /// audit-*,remote:audit-*.
    #[arg(long, value_name = "PATTERN", value_parser = NonEmptyStringValueParser::new())]
    pub(crate) audit_index: Option<String>,

    /// The member of the audit events that holds the key's id, instead of the shipper's
    /// (elasticsearch.audit.apikey.id): such as elasticsearch.audit.apikey.id.keyword where the
    /// index maps it as text.
    #[arg(long, value_name = "FIELD", value_parser = NonEmptyStringValueParser::new())]
    pub(crate) audit_id_field: Option<String>,

    /// Read the audit events from the cluster of this profile (its URL, credentials and TLS)
    /// rather than from the cluster whose keys are listed: on Elastic Cloud, the monitoring
    /// deployment the audit logs are shipped to.
    #[arg(long, value_name = "NAME", value_parser = NonEmptyStringValueParser::new())]
    pub(crate) audit_profile: Option<String>,
}

impl LastUseArgs {
    /// Whether the last use is read at all.
    pub(crate) fn wanted(&self) -> bool {
        self.last_used || self.max_idle.is_some()
    }
}

/// What ships a cluster's audit log to an index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum AuditShipper {
    /// Elastic Agent's Elasticsearch integration: logs-elasticsearch.audit-*.
    ElasticAgent,
    /// Filebeat's elasticsearch module: filebeat-*, event.dataset elasticsearch.audit.
    Filebeat,
}

/// The two types of Elasticsearch API key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum KeyType {
    /// A key for the REST API.
    Rest,
    /// A key for cross-cluster search and replication.
    #[value(name = "cross_cluster")]
    CrossCluster,
}

/// The filters every list has.
#[derive(Debug, Args)]
#[command(next_help_heading = "Filters")]
pub(crate) struct CommonFilters {
    /// Only keys that expire within this time from now, such as 7d, 12h or 1w 2d, or that have
    /// expired already. Invalidated keys do not count.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub(crate) expiring_within: Option<Duration>,
}

/// How the result is reported.
#[derive(Debug, Args)]
#[command(next_help_heading = "Report")]
pub(crate) struct Report {
    /// The output format.
    #[arg(long, short, value_enum, default_value_t = Output::Table)]
    pub(crate) output: Output,

    /// Exit with status 3 when a listed key expires within this time from now, such as 7d, or
    /// has expired already (invalidated keys do not count). The keys are printed all the same.
    /// On Elastic Cloud the key in use counts too, with the expiry its answers give.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub(crate) fail_if_expiring: Option<Duration>,

    /// Judge expiry as of this time instead of now, in RFC 3339 (2026-12-01T00:00:00Z): which
    /// keys will have expired by a maintenance window, say.
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub(crate) as_of: Option<DateTime<Utc>>,

    #[command(flatten)]
    pub(crate) policies: Policies,

    /// CSV: write every value exactly as the server sent it, for programs that read the CSV. By
    /// default a value that starts with =, +, -, @, a tab or a carriage return gets a leading '
    /// so that a spreadsheet shows it as text instead of running it as a formula; this applies
    /// to every value, ids included (an id may start with -). On a terminal, control characters
    /// are escaped all the same.
    #[arg(long)]
    pub(crate) csv_exact: bool,
}

/// The rules keys must keep; a listed key that breaks one fails the run with status 4.
#[derive(Debug, Clone, Copy, Args)]
#[command(next_help_heading = "Policies")]
pub(crate) struct Policies {
    /// Every active key must have an expiration.
    #[arg(long)]
    pub(crate) require_expiration: bool,

    /// No active key may live longer than this from its creation to its expiration, such as
    /// 90d; a key that never expires breaks it too.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub(crate) max_lifetime: Option<Duration>,

    /// No active key may be older than this, such as 180d: time to rotate it.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub(crate) max_age: Option<Duration>,
}

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Output {
    /// Aligned columns, times in UTC and relative to now.
    Table,
    /// The API's own JSON, as the models encode it.
    Json,
    /// One row per key, times in RFC 3339.
    Csv,
    /// One key per line (JSON Lines), as the API's models encode it; written as the keys
    /// arrive where the API streams them.
    Jsonl,
}

/// Where a profile's settings came from, for the messages about them: `profile prod: url`,
/// `profile prod: api_key (command pass)`. `None` for a setting the profile did not give.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct FromProfile {
    pub(crate) url: Option<String>,
    pub(crate) ca_cert: Option<String>,
    pub(crate) api_key: Option<String>,
}

/// Which settings came from the command line rather than the environment or a profile.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Typed {
    pub(crate) api_key: bool,
    pub(crate) user_or_password: bool,
    pub(crate) url: bool,
    pub(crate) cloud_id: bool,
    pub(crate) ca_cert: bool,
    pub(crate) ca_fingerprint: bool,
}

impl Cli {
    /// The command line of this process, or clap's own exit with its message.
    pub(crate) fn parse_args() -> Self {
        let matches = Self::command().get_matches();
        let mut cli = Self::from_arg_matches(&matches).unwrap_or_else(|error| error.exit());
        if let (Service::Cloud(cloud), Some(("cloud", cloud_matches))) =
            (&mut cli.service, matches.subcommand())
        {
            cloud.typed = Typed {
                api_key: typed(cloud_matches, "api_key"),
                url: typed(cloud_matches, "url"),
                ca_cert: typed(cloud_matches, "ca_cert"),
                ..Typed::default()
            };
        }
        if let (Service::Es(es), Some(("es", es_matches))) =
            (&mut cli.service, matches.subcommand())
        {
            es.typed = Typed {
                api_key: typed(es_matches, "api_key"),
                user_or_password: typed(es_matches, "auth_user")
                    || typed(es_matches, "auth_password"),
                url: typed(es_matches, "url"),
                cloud_id: typed(es_matches, "cloud_id"),
                ca_cert: typed(es_matches, "ca_cert"),
                ca_fingerprint: typed(es_matches, "ca_fingerprint"),
            };
        }
        cli
    }
}

/// Whether `id` was typed on the command line, at this level or in the subcommand under it
/// (where clap puts global arguments typed after the subcommand's name).
fn typed(matches: &ArgMatches, id: &str) -> bool {
    let here = |m: &ArgMatches| m.value_source(id) == Some(ValueSource::CommandLine);
    here(matches) || matches.subcommand().is_some_and(|(_, leaf)| here(leaf))
}

/// A credential, kept out of every `Debug` of the arguments.
fn secret(text: &str) -> Result<SecretString, std::convert::Infallible> {
    Ok(SecretString::from(text))
}

/// `7d`, `12h`, `1w 2d`, `90m`: a number and a unit, as many as needed.
fn parse_duration(text: &str) -> Result<Duration, String> {
    humantime::parse_duration(text)
        .map_err(|e| format!("{e}; write a number and a unit, such as 7d, 12h or 30m"))
}

/// An `--expiration`: a duration Elasticsearch reads (`30d`, `12h`, `90m`), checked with the
/// models' own grammar (the server's) and sent as typed. `-1` and zero, which the grammar
/// allows, are refused: a new key's expiration is a length of time from now.
fn parse_expiration(text: &str) -> Result<String, String> {
    let text = text.trim();
    let duration = elasticsearch::Duration::parse(text).map_err(|e| e.to_string())?;
    match duration.to_time_delta() {
        Some(length) if length > chrono::TimeDelta::zero() => Ok(text.to_string()),
        _ => Err(format!(
            "{text:?} is no length of time: write one longer than zero, such as 30d, 12h or 90m"
        )),
    }
}

/// A Cloud `--expiration`: a whole number of days or hours (`30d`, `12h`), as the Elastic Cloud
/// API takes it.
fn parse_cloud_expiration(text: &str) -> Result<String, String> {
    let text = text.trim();
    let digits = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(0);
    if digits == 0 || !matches!(&text[digits..], "d" | "h") {
        return Err("write a whole number of days or hours, such as 30d or 12h".to_string());
    }
    Ok(text.to_string())
}

/// A `--timeout`: a duration as for the filters, and more than zero.
fn parse_timeout(text: &str) -> Result<Duration, String> {
    match parse_duration(text)? {
        Duration::ZERO => Err("a timeout of zero would never let a request finish".to_string()),
        timeout => Ok(timeout),
    }
}

/// `256MiB`, `2GiB`, `500MB`, `1048576`: a number of bytes, with a decimal (kB, MB, GB) or binary
/// (KiB, MiB, GiB) unit if any, in any case.
fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    let unit_size: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1000,
        "kib" => 1 << 10,
        "m" | "mb" => 1000 * 1000,
        "mib" => 1 << 20,
        "g" | "gb" => 1000 * 1000 * 1000,
        "gib" => 1 << 30,
        _ => {
            return Err(format!(
                "unknown unit {unit:?}; write a size such as 512MiB or 2GiB"
            ));
        }
    };
    let number: u64 = number
        .parse()
        .map_err(|_| "write a size such as 512MiB or 2GiB".to_string())?;
    match number.checked_mul(unit_size) {
        Some(0) => Err("a limit of zero would refuse every answer".to_string()),
        Some(size) => Ok(size),
        None => Err("too large a size".to_string()),
    }
}

fn parse_time(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|time| time.with_timezone(&Utc))
        .map_err(|e| format!("{e}; write a time such as 2026-12-01T00:00:00Z"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_operators_write_them() {
        let day = 24 * 3600;
        assert_eq!(parse_duration("7d"), Ok(Duration::from_secs(7 * day)));
        assert_eq!(parse_duration("12h"), Ok(Duration::from_secs(12 * 3600)));
        assert_eq!(parse_duration("1w 2d"), Ok(Duration::from_secs(9 * day)));
        let error = parse_duration("7x").unwrap_err();
        assert!(error.contains("such as 7d"), "{error}");
        assert!(parse_duration("").is_err());
        assert!(parse_duration("-1d").is_err());
    }

    #[test]
    fn expirations_are_read_as_elasticsearch_reads_them_and_last() {
        for text in ["30d", "12h", "90m", "3600s", "30D", " 30d", "1500ms"] {
            assert_eq!(
                parse_expiration(text),
                Ok(text.trim().to_string()),
                "{text}"
            );
        }
        for (text, why) in [
            ("30x", "unit is missing or unrecognized"),
            ("1.5h", "fractional"),
            ("-2d", "negative"),
            ("-1", "no length of time"),
            ("0d", "no length of time"),
        ] {
            let error = parse_expiration(text).unwrap_err();
            assert!(error.contains(why), "{text}: {error}");
        }
    }

    #[test]
    fn timeouts_are_durations_above_zero() {
        assert_eq!(parse_timeout("30s"), Ok(Duration::from_secs(30)));
        assert!(parse_timeout("0s").unwrap_err().contains("zero"));
        assert!(parse_timeout("soon").is_err());
    }

    #[test]
    fn sizes_take_decimal_and_binary_units() {
        assert_eq!(parse_size("256MiB"), Ok(256 << 20));
        assert_eq!(parse_size("2gib"), Ok(2 << 30));
        assert_eq!(parse_size("500MB"), Ok(500_000_000));
        assert_eq!(parse_size("1048576"), Ok(1 << 20));
        assert_eq!(parse_size("10 kB"), Ok(10_000));
        for bad in [
            "",
            "MiB",
            "1.5GiB",
            "12 parsecs",
            "0",
            "99999999999999999999GiB",
            "-1",
        ] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn times_are_rfc_3339_in_any_offset() {
        let time = parse_time("2026-12-01T01:00:00+01:00").unwrap();
        assert_eq!(time.to_rfc3339(), "2026-12-01T00:00:00+00:00");
        assert!(parse_time("2026-12-01").is_err());
    }

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
