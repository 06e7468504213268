//! Messaging Services: an account's named sender pools (`MG…`), each drawing only on numbers the account owns.

use canvass_accounts::ServiceSid;
use canvass_types::TenantId;
use serde::Serialize;
use sqlx::Row;

use crate::sql::{Statement, Value};
use crate::{Store, StoreError};

/// A Messaging Service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MessagingService {
    /// Its account.
    #[serde(skip)]
    pub tenant: TenantId,
    /// `MG…`.
    pub sid: ServiceSid,
    /// A friendly name.
    pub friendly_name: String,
    /// Keep each recipient on one sender.
    pub sticky_sender: bool,
    /// Prefer a sender in the recipient's area code.
    pub area_code_geomatch: bool,
    /// Default status callback of its messages.
    pub status_callback: Option<String>,
    /// Where inbound messages to its numbers are posted.
    pub inbound_request_url: Option<String>,
    /// The sender pool, E.164, sorted.
    pub numbers: Vec<String>,
    /// Created, ms.
    pub created_ms: i64,
}

/// What a new service is made with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewService {
    /// A friendly name.
    pub friendly_name: String,
    /// Keep each recipient on one sender.
    pub sticky_sender: bool,
    /// Prefer a sender in the recipient's area code.
    pub area_code_geomatch: bool,
    /// Default status callback.
    pub status_callback: Option<String>,
    /// Inbound webhook.
    pub inbound_request_url: Option<String>,
}

fn int(value: i64) -> Value {
    Value::Int(Some(value))
}

fn text(value: &str) -> Value {
    Value::Text(Some(value.to_owned()))
}

impl Store {
    /// Creates a service for `tenant`.
    pub async fn create_service(
        &self,
        tenant: TenantId,
        new: &NewService,
        now_ms: i64,
    ) -> Result<MessagingService, StoreError> {
        let sid = ServiceSid::generate()?;
        let mut s = Statement::new(self.backend());
        s.push(
            "INSERT INTO messaging_services (tenant_id, sid, friendly_name, sticky_sender, area_code_geomatch, \
             status_callback, inbound_request_url, created_ms) VALUES (",
        );
        s.bind(int(tenant.0)).push(", ").bind(text(sid.as_str()));
        s.push(", ").bind(text(&new.friendly_name)).push(", ");
        s.bind(Value::Bool(new.sticky_sender))
            .push(", ")
            .bind(Value::Bool(new.area_code_geomatch));
        s.push(", ")
            .bind(Value::Text(new.status_callback.clone()))
            .push(", ");
        s.bind(Value::Text(new.inbound_request_url.clone()))
            .push(", ")
            .bind(int(now_ms))
            .push(")");
        crate::execute!(self, s)?;
        self.service(tenant, &sid)
            .await?
            .ok_or_else(|| StoreError::Corrupt("a new service vanished".into()))
    }

    /// `tenant`'s service `sid`, with its numbers; another account's is not found.
    pub async fn service(
        &self,
        tenant: TenantId,
        sid: &ServiceSid,
    ) -> Result<Option<MessagingService>, StoreError> {
        Ok(self
            .services_where(tenant, Some(sid))
            .await?
            .into_iter()
            .next())
    }

    /// `tenant`'s services, oldest first.
    pub async fn services(&self, tenant: TenantId) -> Result<Vec<MessagingService>, StoreError> {
        self.services_where(tenant, None).await
    }

    async fn services_where(
        &self,
        tenant: TenantId,
        sid: Option<&ServiceSid>,
    ) -> Result<Vec<MessagingService>, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push(
            "SELECT s.id, s.sid, s.friendly_name, s.sticky_sender, s.area_code_geomatch, s.status_callback, \
             s.inbound_request_url, s.created_ms, n.phone FROM messaging_services s \
             LEFT JOIN messaging_service_numbers n ON n.service_id = s.id WHERE s.tenant_id = ",
        )
        .bind(int(tenant.0));
        if let Some(sid) = sid {
            s.push(" AND s.sid = ").bind(text(sid.as_str()));
        }
        s.push(" ORDER BY s.id, n.phone");
        let rows: Vec<(i64, MessagingService, Option<String>)> = fetch_all!(self, s, r => {
            let sid: String = r.try_get(1)?;
            (
                r.try_get(0)?,
                MessagingService {
                    tenant,
                    sid: ServiceSid::parse(&sid).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    friendly_name: r.try_get(2)?,
                    sticky_sender: r.try_get(3)?,
                    area_code_geomatch: r.try_get(4)?,
                    status_callback: r.try_get(5)?,
                    inbound_request_url: r.try_get(6)?,
                    numbers: Vec::new(),
                    created_ms: r.try_get(7)?,
                },
                r.try_get(8)?,
            )
        })?;
        let mut out: Vec<(i64, MessagingService)> = Vec::new();
        for (id, service, phone) in rows {
            if out.last().is_none_or(|(last, _)| *last != id) {
                out.push((id, service));
            }
            if let (Some(phone), Some((_, last))) = (phone, out.last_mut()) {
                last.numbers.push(phone);
            }
        }
        Ok(out.into_iter().map(|(_, s)| s).collect())
    }

    /// Adds `phone` to the pool of `tenant`'s service `sid`. The number must be one the account owns.
    pub async fn add_service_number(
        &self,
        tenant: TenantId,
        sid: &ServiceSid,
        phone: &str,
    ) -> Result<(), StoreError> {
        if self.number_owner(phone).await? != Some(tenant) {
            return Err(StoreError::Conflict(format!(
                "{phone} is not a number of this account"
            )));
        }
        let mut s = Statement::new(self.backend());
        s.push("INSERT INTO messaging_service_numbers (service_id, phone) SELECT id, ")
            .bind(text(phone));
        s.push(" FROM messaging_services WHERE tenant_id = ")
            .bind(int(tenant.0));
        s.push(" AND sid = ")
            .bind(text(sid.as_str()))
            .push(" ON CONFLICT (service_id, phone) DO NOTHING");
        if crate::execute!(self, s)? == 0 && self.service(tenant, sid).await?.is_none() {
            return Err(StoreError::NotFound(format!("messaging service {sid}")));
        }
        Ok(())
    }
}
