//! `apikeys es query`: every key a query matches, page after page, reported as the keys arrive.

use std::io;
use std::process::ExitCode;

use elastic_apikeys_client::elasticsearch::Client;
use elastic_apikeys_client::elasticsearch::types::QueryApiKeysRequest;
use futures_util::StreamExt;
use serde_json::{Map, Value, json};

use crate::args::{EsQuery, Output};
use crate::connect::{Connection, Limits};
use crate::expiry::Clock;
use crate::failure::Failure;
use crate::json_flags;
use crate::output::{self, Streamed, Target};
use crate::report::Verdict;
use crate::spinner::Progress;

use super::last_use;

/// The body of the first page: the query, the sort (ending with `_doc`, the one unique sort key
/// of API keys, so that `search_after` continues exactly where a page stopped) and the page size.
fn request(query: &EsQuery) -> Result<QueryApiKeysRequest, Failure> {
    let mut body = Map::new();
    if let Some(given) = &query.query {
        body.insert(
            "query".into(),
            json_flags::inline_or_source(given, "--query")?,
        );
    }
    let mut sort: Vec<Value> = query
        .sort
        .iter()
        .map(|(field, order)| match order {
            Some(order) => json!({ field.as_str(): { "order": order } }),
            None => json!(field),
        })
        .collect();
    if sort.is_empty() {
        sort.push(json!("creation"));
    }
    if !query.sort.iter().any(|(field, _)| field == "_doc") {
        sort.push(json!("_doc"));
    }
    body.insert("sort".into(), sort.into());
    body.insert("size".into(), query.size.into());
    serde_json::from_value(Value::Object(body))
        .map_err(|e| Failure::usage(format!("--query: not a query the API takes: {e}")))
}

pub(crate) async fn run(
    connection: Connection<Client>,
    query: EsQuery,
    progress: Progress,
    limits: Limits,
) -> Result<ExitCode, Failure> {
    let host = &connection.host;
    let body = request(&query)?;
    let clock = Clock::at(query.report.as_of);
    let last_uses = last_use::read(
        &query.last_use,
        Some(&connection),
        &clock,
        limits,
        &progress,
    )
    .await?;
    let last_uses = last_uses.as_ref();
    let target = Target {
        terminal: output::stdout_width(),
        csv_exact: query.report.csv_exact,
    };
    let mut request = connection.client.security_query_api_keys().body(body);
    if query.with_limited_by {
        request = request.with_limited_by(true);
    }
    let mut keys = request.send_all_pages();
    // The pages never make one document: `-o json` writes a key per line, as `-o jsonl` does.
    let format = match query.report.output {
        Output::Json => Output::Jsonl,
        format => format,
    };
    let out = output::report_stdout();
    let mut report = Streamed::start(
        out,
        format,
        last_use::headers(last_uses),
        target,
        Some("api_keys"),
    )
    .map_err(written)?;
    let mut verdict = Verdict::new(&query.report);
    loop {
        let next = progress
            .spin(format!("Querying API keys on {host}"), keys.next())
            .await;
        let Some(key) = next else { break };
        let failed = |e| Failure::elasticsearch(e, host, connection.trust);
        let Some(key) = verdict.readable(key, failed)? else {
            continue;
        };
        if query
            .filters
            .expiring_within
            .is_some_and(|window| !clock.due_within(&key, window))
        {
            continue;
        }
        verdict.judge(&key, &clock);
        last_use::judge(last_uses, &key, &clock, &mut verdict);
        if let Err(error) = last_use::push(&mut report, &key, &clock, last_uses) {
            return gone_or(error).map(|()| ExitCode::SUCCESS);
        }
        // The table holds the text of every row until the end.
        if report.held() as u64 > limits.max_body_size {
            return Err(Failure::table_too_large(host, limits.max_body_size));
        }
    }
    if let Err(error) = report.finish() {
        gone_or(error)?;
    }
    Ok(verdict.finish())
}

fn written(error: io::Error) -> Failure {
    Failure::output(&error)
}

/// A reader that went away (`| head`) is no failure; any other write error is.
fn gone_or(error: io::Error) -> Result<(), Failure> {
    if error.kind() == io::ErrorKind::BrokenPipe {
        Ok(())
    } else {
        Err(written(error))
    }
}
