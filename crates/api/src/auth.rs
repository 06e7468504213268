//! Who is calling: HTTP Basic with `AC…:auth token` (the account, every scope) or `SK…:secret` (an API key, its
//! scopes). Checking a secret is an argon2id verification, tens of milliseconds by design, so verified (and
//! refused) credentials are remembered for a minute under a digest of the secret, and at most two verifications
//! run at a time: a storm of wrong passwords queues instead of taking every core. A revoked key stops working
//! within that minute.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::HeaderMap;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use canvass_accounts::{Account, AccountSid, KeySid, Scope, Scopes, may_act_on};
use canvass_store::Store;
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;

use crate::limits::{Limiter, RateLimit};
use crate::twilio::error::TwilioError;

/// How long a verified credential is trusted without checking its hash again.
const REMEMBER: Duration = Duration::from_secs(60);
/// Remembered credentials at most; past it the memory starts afresh.
const CAPACITY: usize = 10_000;

/// The authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The account the credentials belong to.
    pub account: Account,
    /// The key used, with its scopes; `None` for the account's auth token, which may do everything.
    pub key: Option<(KeySid, Scopes)>,
}

impl Caller {
    /// Whether the credentials carry `scope`.
    pub fn allows(&self, scope: Scope) -> bool {
        self.key
            .as_ref()
            .is_none_or(|(_, scopes)| scopes.allow(scope))
    }
}

/// Remembered outcomes, by user and a digest of the secret: when checked, and the caller (`None`: refused).
type Remembered = HashMap<(String, [u8; 32]), (Instant, Option<Caller>)>;

/// Checks credentials against the store, remembering the outcome briefly.
pub struct Authenticator {
    store: Store,
    remembered: Mutex<Remembered>,
    verifying: Semaphore,
    limiter: Limiter,
}

impl Authenticator {
    /// An authenticator over `store`, holding each credential to `limit`.
    pub fn new(store: Store, limit: RateLimit) -> Self {
        Authenticator {
            store,
            remembered: Mutex::new(HashMap::new()),
            verifying: Semaphore::new(2),
            limiter: Limiter::new(limit),
        }
    }

    /// The caller named by the request's `Authorization` header, within its rate limit.
    pub async fn caller(&self, headers: &HeaderMap) -> Result<Caller, TwilioError> {
        let caller = self.authenticate(headers).await?;
        let who = match &caller.key {
            Some((sid, _)) => sid.to_string(),
            None => caller.account.sid.to_string(),
        };
        self.limiter
            .take(&who, Instant::now())
            .map_err(TwilioError::too_many)?;
        Ok(caller)
    }

    async fn authenticate(&self, headers: &HeaderMap) -> Result<Caller, TwilioError> {
        let (user, secret) = basic_credentials(headers)?;
        let digest: [u8; 32] = Sha256::digest(secret.as_bytes()).into();
        let slot = (user.clone(), digest);
        if let Some((at, outcome)) = self.lock().get(&slot)
            && at.elapsed() < REMEMBER
        {
            return outcome
                .clone()
                .ok_or_else(|| TwilioError::unauthenticated("the credentials are not valid"));
        }
        let outcome = {
            let _turn = self
                .verifying
                .acquire()
                .await
                .map_err(|e| TwilioError::internal("auth", &e))?;
            self.verify(&user, &secret).await?
        };
        let mut remembered = self.lock();
        if remembered.len() >= CAPACITY {
            remembered.clear();
        }
        remembered.insert(slot, (Instant::now(), outcome.clone()));
        outcome.ok_or_else(|| TwilioError::unauthenticated("the credentials are not valid"))
    }

    async fn verify(&self, user: &str, secret: &str) -> Result<Option<Caller>, TwilioError> {
        if user.starts_with(AccountSid::PREFIX) {
            let Ok(sid) = AccountSid::parse(user) else {
                return Ok(None);
            };
            let account = self.store.authenticate_account(&sid, secret).await?;
            return Ok(account.map(|account| Caller { account, key: None }));
        }
        if user.starts_with(KeySid::PREFIX) {
            let Ok(sid) = KeySid::parse(user) else {
                return Ok(None);
            };
            let Some((key, account)) = self.store.authenticate_key(&sid, secret).await? else {
                return Ok(None);
            };
            return Ok(Some(Caller {
                account,
                key: Some((key.sid, key.scopes)),
            }));
        }
        Ok(None)
    }

    /// Forgets every remembered credential (after a key is revoked on this node).
    pub fn forget(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Remembered> {
        self.remembered.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The account `sid` of the path, when `caller` may act on it with `scope`: itself or one of its
    /// sub-accounts. Any other account, existing or not, gets the same refusal.
    pub async fn target(
        &self,
        caller: &Caller,
        sid: &str,
        scope: Scope,
    ) -> Result<Account, TwilioError> {
        let refused = || {
            TwilioError::forbidden(format!(
                "The credentials do not grant access to account {sid}"
            ))
        };
        let sid = AccountSid::parse(sid).map_err(|_| refused())?;
        let account = if sid == caller.account.sid {
            caller.account.clone()
        } else {
            self.store.account(&sid).await?.ok_or_else(refused)?
        };
        if !may_act_on(&caller.account, &account) || account.status != "active" {
            return Err(refused());
        }
        if !caller.allows(scope) {
            return Err(TwilioError::forbidden(format!(
                "The API key lacks the {} scope",
                scope.name()
            )));
        }
        Ok(account)
    }
}

/// `(user, password)` of a Basic `Authorization` header.
fn basic_credentials(headers: &HeaderMap) -> Result<(String, String), TwilioError> {
    let header = headers
        .get(axum::http::header::AUTHORIZATION)
        .ok_or_else(|| TwilioError::unauthenticated("no credentials provided"))?;
    let value = header
        .to_str()
        .map_err(|_| TwilioError::unauthenticated("the Authorization header is not text"))?;
    let encoded = value
        .strip_prefix("Basic ")
        .or_else(|| value.strip_prefix("basic "))
        .ok_or_else(|| TwilioError::unauthenticated("use HTTP Basic authentication"))?;
    // A Basic header has no business being long; refuse before decoding an attacker's megabyte.
    if encoded.len() > 512 {
        return Err(TwilioError::unauthenticated(
            "the Authorization header is too long",
        ));
    }
    let decoded = STANDARD
        .decode(encoded.trim())
        .map_err(|_| TwilioError::unauthenticated("the Basic credentials are not base64"))?;
    let text = String::from_utf8(decoded)
        .map_err(|_| TwilioError::unauthenticated("the Basic credentials are not UTF-8"))?;
    let (user, password) = text
        .split_once(':')
        .ok_or_else(|| TwilioError::unauthenticated("the Basic credentials lack a ':'"))?;
    Ok((user.to_owned(), password.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            axum::http::header::AUTHORIZATION,
            value.parse().expect("header"),
        );
        h
    }

    #[test]
    fn basic_credentials_are_read_and_malformed_ones_refused_with_a_reason() {
        let good = format!("Basic {}", STANDARD.encode("ACabc:tok:en"));
        assert_eq!(
            basic_credentials(&headers(&good)),
            Ok(("ACabc".into(), "tok:en".into()))
        );
        for (value, why) in [
            ("Bearer xyz", "use HTTP Basic"),
            ("Basic !!!", "not base64"),
            (
                &format!("Basic {}", STANDARD.encode("nocolon")),
                "lack a ':'",
            ),
            (&format!("Basic {}", "A".repeat(600)), "too long"),
        ] {
            let error = basic_credentials(&headers(value)).expect_err(value);
            assert_eq!(error.code, 20003);
            assert!(error.message.contains(why), "{value}: {}", error.message);
        }
        let error = basic_credentials(&HeaderMap::new()).expect_err("none");
        assert!(error.message.contains("no credentials"));
    }
}
