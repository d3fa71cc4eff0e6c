//! `apikeys cloud list` and `apikeys cloud get`.

use std::process::ExitCode;

use chrono::{DateTime, Utc};
use elastic_apikeys_client::cloud::types::{ApiKeyResponse, ApiKeysResponse, RoleAssignments};

use crate::args::{CloudArgs, CloudCommand};
use crate::connect;
use crate::expiry::{Clock, Lifetime};
use crate::failure::Failure;
use crate::output::{Cell, Column, Rows};
use crate::report::finish;
use crate::spinner::spin;

impl Lifetime for ApiKeyResponse {
    fn id(&self) -> &str {
        &self.id
    }

    fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.expiration_date
    }

    fn invalidated(&self) -> bool {
        false
    }
}

const HEADERS: &[Column] = &[
    Column::new("ID", "id"),
    Column::new("DESCRIPTION", "description"),
    Column::new("USER", "user_id"),
    Column::new("ROLES", "roles"),
    Column::new("CREATED (UTC)", "creation_date"),
    Column::new("EXPIRES (UTC)", "expiration_date"),
    Column::new("STATUS", "status"),
];

fn rows(keys: &[ApiKeyResponse], clock: &Clock) -> Rows {
    let row = |key: &ApiKeyResponse| {
        vec![
            Cell::text(&key.id),
            Cell::text(&key.description),
            Cell::Text(key.user_id.clone()),
            Cell::Text(key.role_assignments.as_ref().and_then(role_ids)),
            Cell::Time(Some(key.creation_date), ""),
            Cell::Time(key.expiration_date, "never"),
            Cell::text(clock.status(key).as_str()),
        ]
    };
    Rows {
        headers: HEADERS,
        rows: keys.iter().map(row).collect(),
    }
}

/// The ids of the roles a key is assigned, each once, in the order of the response.
fn role_ids(assignments: &RoleAssignments) -> Option<String> {
    let project = assignments.project.as_ref();
    let projects = [
        project.and_then(|p| p.elasticsearch.as_ref()),
        project.and_then(|p| p.observability.as_ref()),
        project.and_then(|p| p.security.as_ref()),
    ];
    let all = (assignments
        .platform
        .iter()
        .flatten()
        .map(|a| a.role_id.as_str()))
    .chain(
        assignments
            .organization
            .iter()
            .flatten()
            .map(|a| a.role_id.as_str()),
    )
    .chain(
        assignments
            .deployment
            .iter()
            .flatten()
            .map(|a| a.role_id.as_str()),
    )
    .chain(
        projects
            .into_iter()
            .flatten()
            .flatten()
            .map(|a| a.role_id.as_str()),
    );
    let mut ids: Vec<&str> = Vec::new();
    for id in all {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    (!ids.is_empty()).then(|| ids.join(", "))
}

/// Only the create response holds a key's secret, but whatever a server sends, none is printed.
fn without_secret(mut key: ApiKeyResponse) -> ApiKeyResponse {
    key.key = None;
    key
}

pub(crate) async fn run(args: CloudArgs) -> Result<ExitCode, Failure> {
    let connection = connect::cloud(&args)?;
    let host = &connection.host;
    match args.command {
        CloudCommand::List { filters, report } => {
            let clock = Clock::at(report.as_of);
            let request = connection.client.get_api_keys().send();
            let response = spin(format!("Listing API keys on {host}"), request)
                .await
                .map_err(|e| Failure::cloud(e, host, None))?;
            let mut list: ApiKeysResponse = response.into_inner();
            list.keys = std::mem::take(&mut list.keys)
                .into_iter()
                .filter(|key| {
                    filters
                        .expiring_within
                        .is_none_or(|window| clock.expires_within(key, window))
                })
                .map(without_secret)
                .collect();
            finish(
                &list.keys,
                &report,
                &clock,
                || rows(&list.keys, &clock),
                &list,
            )
        }
        CloudCommand::Get { id, report } => {
            let clock = Clock::at(report.as_of);
            let request = connection.client.get_api_key().api_key_id(&id).send();
            let response = spin(format!("Fetching API key {id} from {host}"), request)
                .await
                .map_err(|e| Failure::cloud(e, host, Some(&id)))?;
            let key = without_secret(response.into_inner());
            let keys = std::slice::from_ref(&key);
            finish(keys, &report, &clock, || rows(keys, &clock), &key)
        }
    }
}
