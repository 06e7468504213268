//! Accounts, API keys and sender numbers. Secrets arrive here only to be hashed (argon2id, off the async
//! threads: a hash takes tens of milliseconds by design) and leave only once, in the [`Issued`] of their creation.

use canvass_accounts::{
    Account, AccountSid, ApiKey, Issued, KeySid, Scopes, Secret, TokenKey, hash_secret,
    verify_secret,
};
use canvass_types::TenantId;
use sqlx::Row;

use crate::sql::{Statement, Value};
use crate::{Store, StoreError};

const ACCOUNT_COLUMNS: &str = "t.id, t.sid, t.name, p.sid, t.status, t.created_ms";

fn text(value: &str) -> Value {
    Value::Text(Some(value.to_owned()))
}

async fn hashed(secret: &Secret) -> Result<String, StoreError> {
    let secret = secret.expose().to_owned();
    tokio::task::spawn_blocking(move || hash_secret(&secret))
        .await
        .map_err(|e| StoreError::Corrupt(format!("hashing stopped: {e}")))?
        .map_err(StoreError::from)
}

async fn matches(secret: &str, hash: String) -> Result<bool, StoreError> {
    let secret = secret.to_owned();
    tokio::task::spawn_blocking(move || verify_secret(&secret, &hash))
        .await
        .map_err(|e| StoreError::Corrupt(format!("verifying stopped: {e}")))?
        .map_err(StoreError::from)
}

fn account_from(
    tenant: i64,
    sid: Option<String>,
    name: String,
    parent: Option<String>,
    status: String,
    created_at: Option<i64>,
) -> Result<Account, StoreError> {
    let sid = sid.ok_or_else(|| StoreError::Corrupt(format!("tenant {tenant} has no sid")))?;
    let corrupt = |e: canvass_accounts::AccountError| StoreError::Corrupt(e.to_string());
    Ok(Account {
        tenant: TenantId(tenant),
        sid: AccountSid::parse(&sid).map_err(corrupt)?,
        name,
        parent: parent
            .map(|p| AccountSid::parse(&p))
            .transpose()
            .map_err(corrupt)?,
        status,
        created_at: created_at.unwrap_or(0),
    })
}

impl Store {
    /// Creates an account, under `parent` when given; returns its sid and auth token (derived by `key`, shown
    /// once, stored only as its hash).
    pub async fn create_account(
        &self,
        name: &str,
        parent: Option<&AccountSid>,
        key: &TokenKey,
        now_ms: i64,
    ) -> Result<Issued<AccountSid>, StoreError> {
        let parent_id = match parent {
            Some(sid) => Some(
                self.account(sid)
                    .await?
                    .ok_or_else(|| StoreError::NotFound(format!("parent account {sid}")))?
                    .tenant
                    .0,
            ),
            None => None,
        };
        let sid = AccountSid::generate()?;
        let token = key.auth_token(&sid);
        let hash = hashed(&token).await?;
        let mut s = Statement::new(self.backend());
        s.push("INSERT INTO tenants (name, sid, parent_id, auth_token_hash, status, created_ms) VALUES (")
            .bind(text(name))
            .push(", ")
            .bind(text(sid.as_str()))
            .push(", ")
            .bind(Value::Int(parent_id))
            .push(", ")
            .bind(text(&hash))
            .push(", 'active', ")
            .bind(Value::Int(Some(now_ms)))
            .push(")");
        crate::execute!(self, s)?;
        Ok(Issued { sid, secret: token })
    }

    /// The account with `sid`.
    pub async fn account(&self, sid: &AccountSid) -> Result<Option<Account>, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM tenants t LEFT JOIN tenants p ON p.id = t.parent_id WHERE t.sid = "
        ))
        .bind(text(sid.as_str()));
        fetch_optional!(self, s, r => account_from(
            r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?, r.try_get(4)?, r.try_get(5)?,
        )?)
    }

    /// The account of `tenant`, if it has a sid.
    pub async fn account_of_tenant(&self, tenant: TenantId) -> Result<Option<Account>, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM tenants t LEFT JOIN tenants p ON p.id = t.parent_id \
             WHERE t.sid IS NOT NULL AND t.id = "
        ))
        .bind(Value::Int(Some(tenant.0)));
        fetch_optional!(self, s, r => account_from(
            r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?, r.try_get(4)?, r.try_get(5)?,
        )?)
    }

    /// Every account with a sid, or only the sub-accounts of `parent`; oldest first.
    pub async fn accounts(&self, parent: Option<&AccountSid>) -> Result<Vec<Account>, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM tenants t LEFT JOIN tenants p ON p.id = t.parent_id WHERE t.sid IS NOT NULL"
        ));
        if let Some(parent) = parent {
            s.push(" AND p.sid = ").bind(text(parent.as_str()));
        }
        s.push(" ORDER BY t.id");
        fetch_all!(self, s, r => account_from(
            r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?, r.try_get(4)?, r.try_get(5)?,
        )?)
    }

    /// The account, when `token` is its auth token and it is active.
    pub async fn authenticate_account(
        &self,
        sid: &AccountSid,
        token: &str,
    ) -> Result<Option<Account>, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push("SELECT auth_token_hash FROM tenants WHERE status = 'active' AND sid = ")
            .bind(text(sid.as_str()));
        let hash: Option<Option<String>> = fetch_optional!(self, s, r => r.try_get(0)?)?;
        match hash.flatten() {
            Some(hash) if matches(token, hash.clone()).await? => self.account(sid).await,
            _ => Ok(None),
        }
    }

    /// Registers `phone` (E.164) as a sender of `account`. A number belongs to one account: registering one
    /// that another account holds is refused; registering it again for the same account changes nothing.
    pub async fn add_number(
        &self,
        account: &Account,
        phone: &str,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        if let Some(owner) = self.number_owner(phone).await? {
            return if owner == account.tenant {
                Ok(())
            } else {
                Err(StoreError::Conflict(format!(
                    "{phone} is registered to another account"
                )))
            };
        }
        let mut s = Statement::new(self.backend());
        s.push("INSERT INTO numbers (tenant_id, phone, created_at) VALUES (")
            .bind(Value::Int(Some(account.tenant.0)))
            .push(", ")
            .bind(text(phone))
            .push(", ")
            .bind(Value::Int(Some(now_ms)))
            .push(")");
        crate::execute!(self, s)?;
        Ok(())
    }

    /// Sets (or clears) where inbound messages to `account`'s number `phone` are posted.
    pub async fn set_number_webhook(
        &self,
        account: &Account,
        phone: &str,
        sms_url: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut s = Statement::new(self.backend());
        s.push("UPDATE numbers SET sms_url = ")
            .bind(Value::Text(sms_url.map(str::to_owned)));
        s.push(" WHERE tenant_id = ")
            .bind(Value::Int(Some(account.tenant.0)));
        s.push(" AND phone = ").bind(text(phone));
        if crate::execute!(self, s)? == 0 {
            return Err(StoreError::NotFound(format!(
                "number {phone} of account {}",
                account.sid
            )));
        }
        Ok(())
    }

    /// The tenant that owns `phone`, if any.
    pub async fn number_owner(&self, phone: &str) -> Result<Option<TenantId>, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push("SELECT tenant_id FROM numbers WHERE phone = ")
            .bind(text(phone));
        fetch_optional!(self, s, r => TenantId(r.try_get(0)?))
    }

    /// The numbers `account` owns, in order.
    pub async fn numbers(&self, account: &Account) -> Result<Vec<String>, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push("SELECT phone FROM numbers WHERE tenant_id = ")
            .bind(Value::Int(Some(account.tenant.0)))
            .push(" ORDER BY phone");
        fetch_all!(self, s, r => r.try_get(0)?)
    }

    /// Creates an API key for `account`; returns its sid and secret (shown once).
    pub async fn create_key(
        &self,
        account: &Account,
        name: &str,
        scopes: &Scopes,
        now_ms: i64,
    ) -> Result<Issued<KeySid>, StoreError> {
        let sid = KeySid::generate()?;
        let secret = Secret::generate()?;
        let hash = hashed(&secret).await?;
        let mut s = Statement::new(self.backend());
        s.push(
            "INSERT INTO api_keys (tenant_id, sid, name, secret_hash, scopes, created_at) VALUES (",
        )
        .bind(Value::Int(Some(account.tenant.0)))
        .push(", ")
        .bind(text(sid.as_str()))
        .push(", ")
        .bind(text(name))
        .push(", ")
        .bind(text(&hash))
        .push(", ")
        .bind(text(&scopes.to_string()))
        .push(", ")
        .bind(Value::Int(Some(now_ms)))
        .push(")");
        crate::execute!(self, s)?;
        Ok(Issued { sid, secret })
    }

    /// The live (unrevoked) keys of `account`, oldest first.
    pub async fn keys(&self, account: &Account) -> Result<Vec<ApiKey>, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push("SELECT sid, name, scopes, created_at FROM api_keys WHERE revoked_at IS NULL AND tenant_id = ")
            .bind(Value::Int(Some(account.tenant.0)))
            .push(" ORDER BY id");
        fetch_all!(self, s, r => {
            let sid: String = r.try_get(0)?;
            let scopes: String = r.try_get(2)?;
            ApiKey {
                sid: KeySid::parse(&sid).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                account: account.sid.clone(),
                name: r.try_get(1)?,
                scopes: Scopes::parse_list(&scopes)
                    .map_err(|e| StoreError::Corrupt(format!("key {sid}: {e}")))?,
                created_at: r.try_get(3)?,
            }
        })
    }

    /// The key and the account it acts for, when `secret` is the secret of live key `sid` of an active account.
    pub async fn authenticate_key(
        &self,
        sid: &KeySid,
        secret: &str,
    ) -> Result<Option<(ApiKey, Account)>, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push(
            "SELECT k.secret_hash, t.sid, k.name, k.scopes, k.created_at FROM api_keys k \
                JOIN tenants t ON t.id = k.tenant_id \
                WHERE k.revoked_at IS NULL AND t.status = 'active' AND k.sid = ",
        )
        .bind(text(sid.as_str()));
        type Found = (String, Option<String>, String, String, i64);
        let found: Option<Found> = fetch_optional!(self, s, r => (
            r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?, r.try_get(4)?,
        ))?;
        let Some((hash, Some(account_sid), name, scopes, created_at)) = found else {
            return Ok(None);
        };
        if !matches(secret, hash).await? {
            return Ok(None);
        }
        let account_sid =
            AccountSid::parse(&account_sid).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let Some(account) = self.account(&account_sid).await? else {
            return Ok(None);
        };
        let key = ApiKey {
            sid: sid.clone(),
            account: account.sid.clone(),
            name,
            scopes: Scopes::parse_list(&scopes)
                .map_err(|e| StoreError::Corrupt(format!("key {sid}: {e}")))?,
            created_at,
        };
        Ok(Some((key, account)))
    }

    /// Revokes key `sid` of `account`; returns whether a live key was revoked.
    pub async fn revoke_key(
        &self,
        account: &Account,
        sid: &KeySid,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push("UPDATE api_keys SET revoked_at = ")
            .bind(Value::Int(Some(now_ms)))
            .push(" WHERE revoked_at IS NULL AND tenant_id = ")
            .bind(Value::Int(Some(account.tenant.0)))
            .push(" AND sid = ")
            .bind(text(sid.as_str()));
        Ok(match self {
            Store::Sqlite(pool) => s.sqlite().execute(pool).await?.rows_affected(),
            Store::Postgres(pool) => s.postgres().execute(pool).await?.rows_affected(),
        } > 0)
    }
}
