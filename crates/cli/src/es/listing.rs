//! How `es list` and `audit` read a cluster's keys: asking for only the members the report
//! needs (`filter_path`), and in pages of the query API where the cluster has it, so that the
//! cluster never builds the whole inventory as one answer and the link carries a fraction of it.
//!
//! The query API with `search_after` came in 8.5. A cluster without it (no query API before
//! 7.15, no `sort` or `search_after` before 8.5) refuses the first page with a 400 (a proxy in
//! front of it may say 404, 405 or 501),
//! and the keys are then read with `GET /_security/api_key`, with the same filters and the same
//! `filter_path`. A lookup by id, and `--owner` (whose meaning is the caller's own identity,
//! which no term of a query can name), are always a GET.

use elastic_apikeys_client::Error;
use elastic_apikeys_client::elasticsearch::Client;
use elastic_apikeys_client::elasticsearch::types::{ApiKey, QueryApiKeysRequest};
use futures_util::stream::{self, BoxStream, StreamExt, TryStreamExt};
use serde_json::{Value, json};

use super::view::HEADERS;

/// Keys a page when the report needs only some members of each (about 200 bytes a key): the
/// largest page the query API gives (`index.max_result_window`'s default), for the fewest round
/// trips.
pub(crate) const FILTERED_PAGE: u32 = 10_000;
/// Keys a page when the report carries whole keys (1.4 KB a key in a typical cluster, 6 KB and
/// more with many roles): a page is read whole, and this bounds what it holds to a few MB.
pub(crate) const WHOLE_PAGE: u32 = 1_000;

/// What the GET's filters ask for, which a query says in its own terms.
#[derive(Debug, Clone, Default)]
pub(crate) struct Selection<'a> {
    pub(crate) id: Option<&'a str>,
    pub(crate) name: Option<&'a str>,
    pub(crate) owner: bool,
    pub(crate) username: Option<&'a str>,
    pub(crate) realm: Option<&'a str>,
    pub(crate) active_only: bool,
    pub(crate) with_limited_by: bool,
    pub(crate) with_profile_uid: bool,
}

/// The members of a key that the table, CSV and every check read: the columns, and what a
/// key's status and the policies judge. `None` for `-o json` and `-o jsonl`, which carry whole
/// keys.
pub(crate) fn filter_path(whole_keys: bool) -> Option<String> {
    if whole_keys {
        return None;
    }
    // The columns that are members of a key (STATUS is worked out from the others), then what
    // the status and policies read that no column shows.
    let members = HEADERS
        .iter()
        .map(|column| column.csv)
        .filter(|member| *member != "status")
        .chain(["invalidated"]);
    let paths: Vec<String> = members.map(|member| format!("api_keys.{member}")).collect();
    Some(paths.join(","))
}

/// The query that selects what `selection` selects with a GET, `size` keys a page, or `None`
/// when only a GET can (a lookup by id, `--owner`) or the GET would refuse the combination (and
/// should say so).
pub(crate) fn query(selection: &Selection<'_>, size: u32) -> Option<QueryApiKeysRequest> {
    if selection.id.is_some()
        || selection.owner
        || (selection.name.is_some() && (selection.username.is_some() || selection.realm.is_some()))
    {
        return None;
    }
    let mut terms: Vec<Value> = Vec::new();
    // `ApiKeyService` of elastic/elasticsearch: `*` is every name, a trailing `*` a prefix.
    match selection.name {
        Some("*") | None => {}
        Some(name) => terms.push(match name.strip_suffix('*') {
            Some(prefix) => json!({"prefix": {"name": prefix}}),
            None => json!({"term": {"name": name}}),
        }),
    }
    if let Some(username) = selection.username {
        terms.push(json!({"term": {"username": username}}));
    }
    if let Some(realm) = selection.realm {
        terms.push(json!({"term": {"realm_name": realm}}));
    }
    if selection.active_only {
        // Active: neither invalidated nor expired, as the cluster's clock reads now.
        terms.push(json!({"term": {"invalidated": false}}));
        terms.push(json!({"bool": {
            "should": [
                {"bool": {"must_not": [{"exists": {"field": "expiration"}}]}},
                {"range": {"expiration": {"gt": "now"}}}
            ],
            "minimum_should_match": 1
        }}));
    }
    let mut body = json!({
        // `_doc` last: the one unique sort key of API keys, so that `search_after` goes on
        // exactly where a page stopped.
        "sort": ["creation", "_doc"],
        "size": size,
    });
    if !terms.is_empty() {
        body["query"] = json!({"bool": {"filter": terms}});
    }
    Some(serde_json::from_value(body).expect("the query API takes this body"))
}

/// The keys `selection` selects, cut down by `filter`, as they arrive: page after page of the
/// query API, or one GET on clusters without it or where only a GET selects them. Keys from
/// the query API lose the `_sort` the pages carry, so both ways give the same keys.
pub(crate) async fn keys<'a>(
    client: &'a Client,
    selection: &Selection<'_>,
    filter: Option<&str>,
) -> Result<BoxStream<'a, Result<ApiKey, Error>>, Error> {
    if let Some(filter) = filter {
        tracing::debug!(filter_path = %filter, "asking only for the members the report needs");
    }
    let size = if filter.is_some() {
        FILTERED_PAGE
    } else {
        WHOLE_PAGE
    };
    if let Some(body) = query(selection, size) {
        let mut request = client.security_query_api_keys().body(body);
        if selection.with_limited_by {
            request = request.with_limited_by(true);
        }
        if selection.with_profile_uid {
            request = request.with_profile_uid(true);
        }
        if let Some(filter) = filter {
            request = request.filter_path(filter);
        }
        let mut pages = request.send_all_pages();
        match pages.next().await {
            Some(Err(error)) if no_paged_queries(&error) => {
                tracing::debug!(
                    status = error.status().map(|s| s.as_u16()),
                    "the cluster has no query API with search_after: reading the keys with GET"
                );
            }
            first => {
                if matches!(first, Some(Ok(_)) | None) {
                    tracing::debug!("reading the keys in pages of the query API");
                }
                let keys = stream::iter(first).chain(pages).map_ok(|mut key| {
                    key.sort = None;
                    key
                });
                return Ok(keys.boxed());
            }
        }
    }
    let mut request = client.security_get_api_key();
    if let Some(id) = selection.id {
        request = request.id(id);
    }
    if let Some(name) = selection.name {
        request = request.name(name);
    }
    if let Some(username) = selection.username {
        request = request.username(username);
    }
    if let Some(realm) = selection.realm {
        request = request.realm_name(realm);
    }
    // Flags left off are not sent, so that the cluster's own defaults apply.
    if selection.owner {
        request = request.owner(true);
    }
    if selection.active_only {
        request = request.active_only(true);
    }
    if selection.with_limited_by {
        request = request.with_limited_by(true);
    }
    if selection.with_profile_uid {
        request = request.with_profile_uid(true);
    }
    if let Some(filter) = filter {
        request = request.filter_path(filter);
    }
    Ok(request.send_stream().await?.into_inner().boxed())
}

/// Whether `error`, the answer to a first page, says the cluster cannot page a query: no
/// handler for the path (400 before 7.15; 404, 405 or 501 from proxies that pass no `POST` on),
/// or a body whose `sort` or `search_after` it does not know (400, 7.15 to 8.4).
fn no_paged_queries(error: &Error) -> bool {
    error
        .status()
        .is_some_and(|status| matches!(status.as_u16(), 400 | 404 | 405 | 501))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filter_names_every_column_and_what_the_checks_read() {
        assert_eq!(
            filter_path(false).unwrap(),
            "api_keys.id,api_keys.name,api_keys.type,api_keys.username,api_keys.realm,\
             api_keys.creation,api_keys.expiration,api_keys.invalidated"
        );
        assert_eq!(filter_path(true), None);
    }

    #[test]
    fn get_filters_become_terms_and_lookups_stay_gets() {
        let body = |selection: Selection<'_>| {
            query(&selection, FILTERED_PAGE).map(|body| serde_json::to_value(body).unwrap())
        };
        assert_eq!(
            body(Selection::default()).unwrap(),
            json!({"sort": ["creation", "_doc"], "size": 10_000})
        );
        let named = body(Selection {
            name: Some("ci-*"),
            ..Selection::default()
        })
        .unwrap();
        assert_eq!(
            named["query"],
            json!({"bool": {"filter": [{"prefix": {"name": "ci-"}}]}})
        );
        let owned = body(Selection {
            username: Some("elastic"),
            realm: Some("reserved"),
            active_only: true,
            ..Selection::default()
        })
        .unwrap();
        let filters = owned["query"]["bool"]["filter"].as_array().unwrap();
        assert_eq!(filters[0], json!({"term": {"username": "elastic"}}));
        assert_eq!(filters[1], json!({"term": {"realm_name": "reserved"}}));
        assert_eq!(filters[2], json!({"term": {"invalidated": false}}));
        for gets in [
            Selection {
                id: Some("x"),
                ..Selection::default()
            },
            Selection {
                owner: true,
                ..Selection::default()
            },
            Selection {
                name: Some("a"),
                username: Some("b"),
                ..Selection::default()
            },
        ] {
            assert!(body(gets).is_none());
        }
    }
}
