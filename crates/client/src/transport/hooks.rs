//! What every generated operation does around its request: the runtime hooks.

use progenitor_client::{ClientInfo, OperationInfo};
use reqwest::header::{AUTHORIZATION, LOCATION};
use reqwest::{Request, Response};
use std::time::Instant;

use super::config::ClientConfig;
use super::error::Error;
use super::reading::SecretFields;
use super::retry::RetryPolicy;
use super::status::StatusCode;
use super::urls::{redacted_url_text, without_credentials};
use super::{declarations, rules};

/// The header progenitor adds to every request. Neither Elastic Cloud nor Elasticsearch defines
/// it, so it is not sent.
const PROGENITOR_API_VERSION: &str = "api-version";

/// The hooks the generated operations call: `pre` before sending, `exec` to send, `post` after.
/// The defaults are the client's behaviour; progenitor implements this trait for every `&Client`.
#[allow(
    async_fn_in_trait,
    reason = "called only by the generated code, on concrete types"
)]
pub(crate) trait ClientHooks<Inner: AsRef<ClientConfig> = ClientConfig>:
    ClientInfo<Inner>
{
    /// Checks the request against the API's rules, drops headers the APIs do not define, and
    /// adds the credentials.
    async fn pre(&self, request: &mut Request, info: &OperationInfo) -> Result<(), Error> {
        let operations = self.inner().as_ref().operations;
        let declared = declarations::find(operations, info.operation_id);
        let body = request.body().and_then(reqwest::Body::as_bytes);
        rules::check(&declared, request.url(), body)?;
        let headers = request.headers_mut();
        headers.remove(PROGENITOR_API_VERSION);
        if let Some(credentials) = &self.inner().as_ref().credentials {
            let value = credentials
                .header_value()
                .map_err(|e| Error::InvalidRequest(e.to_string()))?;
            headers.insert(AUTHORIZATION, value);
        }
        Ok(())
    }

    /// Sends the request, and sends it again after a wait while the answer is a retryable status,
    /// the retry policy allows, and the spec declares the operation safe to send twice
    /// (`x-retry: safe`).
    ///
    /// Each attempt is reported as `tracing` events at `DEBUG` level: the method and URL, then
    /// the status and time taken, or the failure. Headers are never reported, so neither are
    /// credentials.
    async fn exec(&self, mut request: Request, info: &OperationInfo) -> reqwest::Result<Response> {
        let config = self.inner().as_ref();
        let policy: &RetryPolicy = &config.retry;
        let declared = declarations::find(config.operations, info.operation_id);
        // Only an operation the spec declares safe to send twice (`x-retry: safe`): a retried
        // create would make a second key.
        let idempotent = declared.retry_safe;
        let mut retry = 0;
        loop {
            let again = (idempotent && retry < policy.max_retries)
                .then(|| request.try_clone())
                .flatten();
            let started = Instant::now();
            tracing::debug!(
                method = %request.method(),
                url = %without_credentials(request.url().as_str()),
                attempt = retry + 1,
                "sending request"
            );
            let mut response = match self.client().execute(request).await {
                Ok(response) => response,
                Err(error) => {
                    tracing::debug!(
                        elapsed_ms = started.elapsed().as_millis(),
                        %error,
                        "request failed"
                    );
                    return Err(error);
                }
            };
            tracing::debug!(
                status = response.status().as_u16(),
                elapsed_ms = started.elapsed().as_millis(),
                "response headers received"
            );
            // For the decoder, which is handed the response and nothing else.
            response.extensions_mut().insert(config.body_limit);
            response
                .extensions_mut()
                .insert(SecretFields(declared.secret_fields));
            let Some(again) = again else {
                return Ok(response);
            };
            if !RetryPolicy::is_transient_status(StatusCode::from_http(response.status())) {
                return Ok(response);
            }
            let Some(delay) = policy.delay(retry, response.headers()) else {
                return Ok(response);
            };
            tracing::debug!(
                status = response.status().as_u16(),
                delay_ms = delay.as_millis(),
                "retrying after a retryable status"
            );
            // Free the connection before waiting.
            drop(response);
            tokio::time::sleep(delay).await;
            request = again;
            retry += 1;
        }
    }

    /// Turns a redirect into [`Error::Redirect`]. The HTTP client does not follow redirects: the
    /// credentials would go wherever the `Location` points.
    async fn post(
        &self,
        result: &reqwest::Result<Response>,
        _info: &OperationInfo,
    ) -> Result<(), Error> {
        let Ok(response) = result else {
            return Ok(());
        };
        if !response.status().is_redirection() {
            return Ok(());
        }
        let location = response.headers().get(LOCATION).map(|value| {
            let text = String::from_utf8_lossy(value.as_bytes());
            match response.url().join(text.trim()) {
                Ok(target) => without_credentials(target.as_str()),
                Err(_) => redacted_url_text(&text),
            }
        });
        tracing::debug!(
            status = response.status().as_u16(),
            location = location.as_deref().unwrap_or("-"),
            "redirect not followed"
        );
        Err(Error::Redirect {
            url: without_credentials(response.url().as_str()),
            status: StatusCode::from_http(response.status()),
            location,
        })
    }
}

#[cfg(test)]
mod tests {
    use elastic_apikeys_tests::raw_server::{RawServer, Step};

    use super::super::declarations::Declared;
    use crate::RetryPolicy;
    use crate::elasticsearch::Client;

    fn overloaded_then_fine() -> Vec<Step> {
        vec![
            Step::Respond {
                status: "503 Service Unavailable",
                headers: vec!["Retry-After: 0".into()],
                body: vec![],
            },
            Step::json("200 OK", &serde_json::json!({"api_keys": []})),
        ]
    }

    async fn attempts(operations: &'static [Declared]) -> (usize, bool) {
        let server = RawServer::start(overloaded_then_fine()).await;
        let mut client = Client::builder()
            .base_url(server.url())
            .retry(RetryPolicy::default().with_max_retries(3))
            .build()
            .unwrap();
        client.inner.operations = operations;
        let ok = client.security_get_api_key().send().await.is_ok();
        (server.count(), ok)
    }

    #[tokio::test]
    async fn only_operations_the_spec_declares_safe_are_sent_twice() {
        // As the spec declares `GET /_security/api_key`: `x-retry: safe`.
        assert_eq!(
            attempts(crate::generated::elasticsearch::OPERATIONS).await,
            (2, true)
        );
        // The same request, were it declared `x-retry: never` (a create, say): sent once.
        static NEVER: [Declared; 1] = [Declared {
            operation_id: "security_get_api_key",
            retry_safe: false,
            rules: &[],
            secret_fields: &[],
        }];
        assert_eq!(attempts(&NEVER).await, (1, false));
        // And were it not declared at all.
        assert_eq!(attempts(&[]).await, (1, false));
    }
}
