//! The route's health check: can we reach the MMSC, and does it take our credentials? MM7 has no ping, so
//! this is an HTTP GET of the endpoint with our Basic auth: any answer but 401/403 means the MMSC is there
//! and lets us in (most answer a GET with 405 or a SOAP fault).

use futures::FutureExt;
use reqwest::StatusCode;

use super::Mm7Config;
use crate::{ConnectorError, Healthcheck};

pub(crate) fn healthcheck(config: &Mm7Config, client: reqwest::Client) -> Healthcheck {
    let url = config.url.clone();
    let credentials = config
        .username
        .clone()
        .map(|user| (user, config.password.clone()));
    Healthcheck::new(move || {
        let (url, client, credentials) = (url.clone(), client.clone(), credentials.clone());
        async move {
            let mut request = client.get(&url);
            if let Some((user, password)) = &credentials {
                request = request.basic_auth(user, password.as_ref());
            }
            let response = request
                .send()
                .await
                .map_err(|error| ConnectorError::Unreachable {
                    peer: url.clone(),
                    reason: crate::tls::error_chain(&error),
                })?;
            match response.status() {
                StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => Err(ConnectorError::Refused {
                    peer: url,
                    reason: format!("HTTP {}", response.status()),
                }),
                _ => Ok(()),
            }
        }
        .boxed()
    })
}
