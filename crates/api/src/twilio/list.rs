//! `GET Messages.json`: newest first, with the `To`, `From` and `DateSent` filters and Twilio's paging envelope.
//! Pages are keyset pages: `PageToken=PA<id>` names the last message of the page before, so a page never skips
//! or repeats a message while new ones arrive. `next_page_uri` is relative and carries every filter, because the
//! SDKs append it to the base URL they were given and add nothing of their own.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use canvass_accounts::Scope;
use canvass_store::MessageQuery;
use jiff::civil::Date;
use jiff::{Timestamp, tz::TimeZone};
use serde_json::{Value, json};

use super::error::TwilioError;
use super::form::Params;
use super::resource::{message_json, messages_path};
use crate::ApiState;
use crate::send;

/// Twilio's default and largest page sizes.
const DEFAULT_PAGE_SIZE: i64 = 50;
const MAX_PAGE_SIZE: i64 = 1000;
const FILTERS: [&str; 5] = ["To", "From", "DateSent", "DateSent<", "DateSent>"];

/// The handler.
pub async fn list(
    State(state): State<ApiState>,
    Path(account): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Json<Value>, TwilioError> {
    let caller = state.auth.caller(&headers).await?;
    let account = state.auth.target(&caller, &account, Scope::Read).await?;
    let params = Params::parse(query.unwrap_or_default().as_bytes());
    let known: Vec<&str> = FILTERS
        .iter()
        .chain(&["PageSize", "Page", "PageToken"])
        .copied()
        .collect();
    params.only(&known)?;
    let page_size = match params.one("PageSize")? {
        None => DEFAULT_PAGE_SIZE,
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=MAX_PAGE_SIZE).contains(n))
            .ok_or_else(|| {
                TwilioError::bad(
                    20001,
                    format!("PageSize must be 1 to {MAX_PAGE_SIZE}, not {v:?}"),
                )
            })?,
    };
    let page =
        match params.one("Page")? {
            None => 0,
            Some(v) => v.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| {
                TwilioError::bad(20001, format!("Page must be a number, not {v:?}"))
            })?,
        };
    let before_id = match params.one("PageToken")? {
        None => None,
        Some(token) => Some(
            token
                .strip_prefix("PA")
                .and_then(|id| id.parse::<i64>().ok())
                .ok_or_else(|| {
                    TwilioError::bad(20001, format!("PageToken {token:?} is not one of ours"))
                })?,
        ),
    };
    if page > 0 && before_id.is_none() {
        return Err(TwilioError::bad(
            20001,
            "Page needs the PageToken of the previous page: follow next_page_uri",
        ));
    }
    let mut query = MessageQuery {
        to: params.one("To")?.map(send::filter_number),
        from: params.one("From")?.map(send::filter_number),
        before_id,
        limit: page_size + 1,
        ..MessageQuery::default()
    };
    // A day is taken whole by every filter (`DateSent>=2026-03-11` arrives as key `DateSent>`, value
    // `2026-03-11`, and means from that day on); an instant, as the SDKs send for date_sent_before/after, is a
    // strict bound.
    if let Some(v) = params.one("DateSent")? {
        let (start, end) = day_or_instant(v, "DateSent")?;
        query.sent_after = Some(start);
        query.sent_before = Some(end);
    }
    if let Some(v) = params.one("DateSent<")? {
        let v = v.trim_start_matches('=');
        let (start, end) = day_or_instant(v, "DateSent<")?;
        query.sent_before = Some(if is_day(v) { end } else { start });
    }
    if let Some(v) = params.one("DateSent>")? {
        let v = v.trim_start_matches('=');
        let (start, end) = day_or_instant(v, "DateSent>")?;
        query.sent_after = Some(if is_day(v) { start } else { end });
    }
    let mut rows = state.store.api_messages(account.tenant, &query).await?;
    let more = rows.len() as i64 > page_size;
    rows.truncate(page_size as usize);
    let now = state.now_ms();
    let messages: Vec<Value> = rows
        .iter()
        .map(|m| message_json(&account.sid, m, now))
        .collect();

    let path = messages_path(&account.sid);
    let filters: Vec<(&str, &str)> = FILTERS
        .iter()
        .filter_map(|k| params.one(k).ok().flatten().map(|v| (*k, v)))
        .collect();
    let uri_with = |page: i64, token: Option<String>| {
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &filters {
            q.append_pair(k, v);
        }
        q.append_pair("PageSize", &page_size.to_string());
        q.append_pair("Page", &page.to_string());
        if let Some(token) = token {
            q.append_pair("PageToken", &token);
        }
        format!("{path}?{}", q.finish())
    };
    let next = (more && !rows.is_empty())
        .then(|| {
            rows.last()
                .map(|m| uri_with(page + 1, Some(format!("PA{}", m.id))))
        })
        .flatten();
    let start = page * page_size;
    let count = messages.len() as i64;
    Ok(Json(json!({
        "end": if count == 0 { start } else { start + count - 1 },
        "first_page_uri": uri_with(0, None),
        "messages": messages,
        "next_page_uri": next,
        "page": page,
        "page_size": page_size,
        "previous_page_uri": Value::Null,
        "start": start,
        "uri": uri_with(page, before_id.map(|id| format!("PA{id}"))),
    })))
}

fn is_day(raw: &str) -> bool {
    raw.parse::<Date>().is_ok()
}

/// `YYYY-MM-DD` as that UTC day `[start, end)`, or an ISO 8601 instant as `[t, t + 1 ms)`.
fn day_or_instant(raw: &str, key: &str) -> Result<(i64, i64), TwilioError> {
    if let Ok(day) = raw.parse::<Date>() {
        let start = day
            .to_zoned_datetime(TimeZone::UTC)
            .map_err(|e| TwilioError::bad(20001, format!("{key}: {e}")))?;
        let end = start
            .tomorrow()
            .map_err(|e| TwilioError::bad(20001, format!("{key}: {e}")))?;
        return Ok((
            start.timestamp().as_millisecond(),
            end.timestamp().as_millisecond(),
        ));
    }
    let at: Timestamp = raw.parse().map_err(|_| {
        TwilioError::bad(
            20001,
            format!("{key} must be a date (YYYY-MM-DD) or an ISO 8601 time, not {raw:?}"),
        )
    })?;
    Ok((at.as_millisecond(), at.as_millisecond() + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_is_its_whole_utc_day_and_an_instant_is_itself() {
        let (start, end) = day_or_instant("2026-07-31", "DateSent").expect("a day");
        assert_eq!(end - start, 86_400_000);
        assert_eq!(
            Timestamp::from_millisecond(start).expect("ts").to_string(),
            "2026-07-31T00:00:00Z"
        );
        let (at, after) = day_or_instant("2026-07-31T12:00:00Z", "DateSent<").expect("an instant");
        assert_eq!(after - at, 1);
        assert!(day_or_instant("yesterday", "DateSent").is_err());
    }
}
