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
use crate::spinner::Progress;

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

/// The ids of the roles a key is assigned, each once, in the order of the encoded model. The walk
/// goes over the JSON form so that scopes newer than the spec (kept in the models' `extra`) show
/// up too.
fn role_ids(assignments: &RoleAssignments) -> Option<String> {
    fn collect<'a>(value: &'a serde_json::Value, ids: &mut Vec<&'a str>) {
        match value {
            serde_json::Value::Object(object) => {
                if let Some(serde_json::Value::String(id)) = object.get("role_id")
                    && !ids.contains(&id.as_str())
                {
                    ids.push(id);
                }
                object.values().for_each(|value| collect(value, ids));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|item| collect(item, ids)),
            _ => {}
        }
    }
    let tree = serde_json::to_value(assignments).ok()?;
    let mut ids = Vec::new();
    collect(&tree, &mut ids);
    (!ids.is_empty()).then(|| ids.join(", "))
}

/// Only the create response holds a key's secret, but whatever a server sends, none is printed.
fn without_secret(mut key: ApiKeyResponse) -> ApiKeyResponse {
    key.key = None;
    key
}

pub(crate) async fn run(args: CloudArgs, progress: Progress) -> Result<ExitCode, Failure> {
    let connection = connect::cloud(&args)?;
    let host = &connection.host;
    match args.command {
        CloudCommand::List { filters, report } => {
            let clock = Clock::at(report.as_of);
            let request = connection.client.get_api_keys().send();
            let response = progress
                .spin(format!("Listing API keys on {host}"), request)
                .await
                .map_err(|e| Failure::cloud(e, host, None))?;
            let mut list: ApiKeysResponse = response.into_inner();
            list.keys = std::mem::take(&mut list.keys)
                .into_iter()
                .filter(|key| {
                    filters
                        .expiring_within
                        .is_none_or(|window| clock.due_within(key, window))
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
            let response = progress
                .spin(format!("Fetching API key {id} from {host}"), request)
                .await
                .map_err(|e| Failure::cloud(e, host, Some(&id)))?;
            let key = without_secret(response.into_inner());
            let keys = std::slice::from_ref(&key);
            finish(keys, &report, &clock, || rows(keys, &clock), &key)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_of_scopes_newer_than_the_spec_are_listed() {
        let assignments: RoleAssignments = serde_json::from_str(
            r#"{"platform":[{"role_id":"platform-viewer"}],
                "project":{"elasticsearch":[{"role_id":"elasticsearch-viewer","organization_id":"1"}],
                           "workplace_ai":[{"role_id":"workplace-ai-viewer","organization_id":"1"}]},
                "serverless_region":[{"role_id":"region-admin","region":"aws-eu-west-1"}],
                "organization":[{"role_id":"platform-viewer","organization_id":"1"}]}"#,
        )
        .unwrap();
        let ids = role_ids(&assignments).unwrap();
        for id in [
            "platform-viewer",
            "elasticsearch-viewer",
            "workplace-ai-viewer",
            "region-admin",
        ] {
            assert_eq!(ids.matches(id).count(), 1, "{id} once in {ids}");
        }
        assert_eq!(role_ids(&serde_json::from_str("{}").unwrap()), None);
    }
}
