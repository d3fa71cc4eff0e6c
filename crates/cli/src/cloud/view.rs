//! How an Elastic Cloud key is judged and shown: its lifetime, and its table and CSV row.

use chrono::{DateTime, Utc};
use elastic_apikeys_client::cloud::types::{ApiKeyResponse, RoleAssignments};

use crate::expiry::{Clock, Lifetime};
use crate::output::{Cell, Column, Rows};

impl Lifetime for ApiKeyResponse {
    fn id(&self) -> &str {
        &self.id
    }

    fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.expiration_date
    }

    fn created_at(&self) -> Option<DateTime<Utc>> {
        Some(self.creation_date)
    }

    fn invalidated(&self) -> bool {
        false
    }
}

const HEADERS: &[Column] = &[
    Column::whole("ID", "id"),
    Column::text("DESCRIPTION", "description", 4),
    Column::text("USER", "user_id", 3),
    Column::text("ROLES", "roles", 1),
    Column::time("CREATED (UTC)", "creation_date", Some(5)),
    Column::time("EXPIRES (UTC)", "expiration_date", None),
    Column::whole("STATUS", "status"),
];

pub(super) fn rows(keys: &[ApiKeyResponse], clock: &Clock) -> Rows {
    let row = |key: &ApiKeyResponse| {
        vec![
            Cell::text(key.id.as_str()),
            Cell::text(key.description.as_str()),
            Cell::Text(key.user_id.as_deref().map(String::from)),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_of_scopes_newer_than_the_spec_are_listed() {
        let assignments: RoleAssignments = serde_json::from_str(
            r#"{"platform":[{"role_id":"platform-viewer"}],
                "project":{"elasticsearch":[{"role_id":"elasticsearch-viewer","organization_id":"1"}],
                           "x_test_future_project":[{"role_id":"workplace-ai-viewer","organization_id":"1"}]},
                "x_test_future_scope":[{"role_id":"region-admin","region":"aws-eu-west-1"}],
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
