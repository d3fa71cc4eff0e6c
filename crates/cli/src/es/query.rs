//! `apikeys es query`: every key a query matches, page after page, reported as the keys arrive.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use elastic_apikeys_client::elasticsearch::Client;
use elastic_apikeys_client::elasticsearch::types::{ApiKey, QueryApiKeysRequest};
use futures_util::StreamExt;
use serde_json::{Map, Value, json};

use crate::args::{EsQuery, Output};
use crate::connect::Connection;
use crate::expiry::Clock;
use crate::failure::Failure;
use crate::json_flags;
use crate::output::{self, CsvStream, Target};
use crate::report::Verdict;
use crate::spinner::Progress;

use super::view::{HEADERS, rows};

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

/// Where the keys go, one at a time.
enum Sink<W: Write> {
    /// The table aligns every row, so it holds them all.
    Table(Vec<ApiKey>),
    Csv(Box<CsvStream<W>>),
    /// JSON Lines: a key per line.
    Json(W),
}

pub(crate) async fn run(
    connection: Connection<Client>,
    query: EsQuery,
    progress: Progress,
) -> Result<ExitCode, Failure> {
    let host = &connection.host;
    let body = request(&query)?;
    let clock = Clock::at(query.report.as_of);
    let target = Target {
        terminal: output::stdout_width(),
        csv_exact: query.report.csv_exact,
    };
    let mut request = connection.client.security_query_api_keys().body(body);
    if query.with_limited_by {
        request = request.with_limited_by(true);
    }
    let mut keys = request.send_all_pages();
    let out = BufWriter::new(io::stdout().lock());
    let mut sink = match query.report.output {
        Output::Table => Sink::Table(Vec::new()),
        Output::Csv => Sink::Csv(Box::new(
            CsvStream::start(out, HEADERS, target).map_err(written)?,
        )),
        Output::Json | Output::Jsonl => Sink::Json(out),
    };
    let mut verdict = Verdict::new(&query.report);
    loop {
        let next = progress
            .spin(format!("Querying API keys on {host}"), keys.next())
            .await;
        let Some(key) = next else { break };
        let key = key.map_err(|e| Failure::elasticsearch(e, host, connection.trust))?;
        if query
            .filters
            .expiring_within
            .is_some_and(|window| !clock.due_within(&key, window))
        {
            continue;
        }
        verdict.judge(&key, &clock);
        let result = match &mut sink {
            Sink::Table(all) => {
                all.push(key);
                Ok(())
            }
            Sink::Csv(csv) => {
                let row = rows(std::slice::from_ref(&key), &clock);
                csv.row(&row.rows[0])
            }
            Sink::Json(out) => output::write_json_line(out, &key),
        };
        if let Err(error) = result {
            return gone_or(error).map(|()| ExitCode::SUCCESS);
        }
    }
    let finished = match sink {
        Sink::Table(all) => {
            let mut out = BufWriter::new(io::stdout().lock());
            output::write_table(&mut out, &rows(&all, &clock), &clock, target.terminal)
                .and_then(|()| out.flush())
        }
        Sink::Csv(csv) => csv.finish(),
        Sink::Json(mut out) => out.flush(),
    };
    if let Err(error) = finished {
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
