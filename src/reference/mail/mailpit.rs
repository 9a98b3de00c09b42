//! Mailpit-compatible read API over the outbox (test API only), so the suite reads mail the
//! same way from the embedded server and from a real Mailpit on staging.
//!
//! Routes (Mailpit v1 shapes): `GET /_mailpit/api/v1/messages`, `GET /_mailpit/api/v1/search`
//! (`to:`, `from:`, `subject:` with quoted or bare values, and plain words; case-insensitive
//! substring match, all terms must match), `GET /_mailpit/api/v1/message/{ID}` (also `latest`;
//! marks it read), `DELETE /_mailpit/api/v1/messages` (optional `{"IDs": [...]}`; answers
//! `ok` as text/plain like Mailpit). Newest first; `start` and `limit` page the list.
//! A search without `query` is a 422 (`loc: ["query", "query"]`), as the OpenAPI document
//! marks the parameter required (Mailpit itself refuses an empty search with a 400).

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::reference::clock::to_rfc3339;
use crate::reference::error::{ApiError, ValidationItem};
use crate::reference::state::AppState;
use crate::reference::store::outbox::{self, StoredMail};

/// The Mailpit routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/_mailpit/api/v1/messages",
            get(list_messages).delete(delete_messages),
        )
        .route("/_mailpit/api/v1/search", get(search_messages))
        .route("/_mailpit/api/v1/message/{id}", get(get_message))
}

#[derive(Debug, Default, Deserialize)]
struct Page {
    start: Option<usize>,
    limit: Option<usize>,
    query: Option<String>,
}

async fn list_messages(
    State(state): State<AppState>,
    Query(page): Query<Page>,
) -> Result<Response, ApiError> {
    let all = state.store.call(|c| outbox::list(c)).await?;
    Ok(axum::Json(page_body(&all, all.clone(), &page)).into_response())
}

async fn search_messages(
    State(state): State<AppState>,
    Query(page): Query<Page>,
) -> Result<Response, ApiError> {
    let Some(query) = page.query.as_deref() else {
        return Err(ApiError::validation(vec![ValidationItem {
            kind: "missing".to_owned(),
            loc: vec![json!("query"), json!("query")],
            msg: "Field required".to_owned(),
        }]));
    };
    let terms = parse_query(query);
    let all = state.store.call(|c| outbox::list(c)).await?;
    let matching = all
        .iter()
        .filter(|m| terms.iter().all(|t| t.matches(m)))
        .cloned()
        .collect();
    Ok(axum::Json(page_body(&all, matching, &page)).into_response())
}

async fn get_message(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    match state.store.call(move |c| outbox::open(c, &id)).await? {
        Some(mail) => Ok(axum::Json(message_body(&mail)).into_response()),
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "Message not found",
        )),
    }
}

#[derive(Debug, Default, Deserialize)]
struct DeleteRequest {
    #[serde(rename = "IDs", default)]
    ids: Vec<String>,
}

async fn delete_messages(State(state): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
    let request: DeleteRequest = if body.iter().all(u8::is_ascii_whitespace) {
        DeleteRequest::default()
    } else {
        serde_json::from_slice(&body).map_err(|_| {
            ApiError::bad_request("malformed_json", "Request body is not valid JSON")
        })?
    };
    state
        .store
        .call(move |c| outbox::delete(c, &request.ids))
        .await?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "ok").into_response())
}

fn page_body(all: &[StoredMail], matching: Vec<StoredMail>, page: &Page) -> Value {
    let start = page.start.unwrap_or(0);
    let limit = page.limit.filter(|&l| l > 0).unwrap_or(50);
    let messages_count = matching.len();
    let shown: Vec<Value> = matching
        .iter()
        .skip(start)
        .take(limit)
        .map(summary_body)
        .collect();
    json!({
        "total": all.len(),
        "unread": all.iter().filter(|m| !m.read).count(),
        "count": shown.len(),
        "messages_count": messages_count,
        "messages_unread": matching.iter().filter(|m| !m.read).count(),
        "start": start,
        "tags": [],
        "messages": shown,
    })
}

fn size(mail: &StoredMail) -> usize {
    mail.text.len() + mail.html.len() + mail.subject.len() + 400
}

fn snippet(mail: &StoredMail) -> String {
    let collapsed = mail.text.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed.chars().take(250).collect()
}

fn summary_body(mail: &StoredMail) -> Value {
    json!({
        "ID": mail.id,
        "MessageID": mail.message_id,
        "InReplyTo": "",
        "Read": mail.read,
        "From": {"Name": mail.from_name, "Address": mail.from_address},
        "To": [{"Name": "", "Address": mail.to_address}],
        "Cc": [],
        "Bcc": [],
        "ReplyTo": [],
        "Subject": mail.subject,
        "Created": to_rfc3339(mail.created_at_ms),
        "Username": "",
        "Tags": [],
        "Size": size(mail),
        "Attachments": 0,
        "Snippet": snippet(mail),
    })
}

fn message_body(mail: &StoredMail) -> Value {
    json!({
        "ID": mail.id,
        "MessageID": mail.message_id,
        "From": {"Name": mail.from_name, "Address": mail.from_address},
        "To": [{"Name": "", "Address": mail.to_address}],
        "Cc": [],
        "Bcc": [],
        "ReplyTo": [],
        "ReturnPath": mail.from_address,
        "Subject": mail.subject,
        "ListUnsubscribe": {"Header": "", "Errors": "", "Links": [], "HeaderPost": ""},
        "Date": to_rfc3339(mail.created_at_ms),
        "Tags": [],
        "Username": "",
        "Text": mail.text,
        "HTML": mail.html,
        "Size": size(mail),
        "Inline": [],
        "Attachments": [],
    })
}

/// One search term.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Term {
    To(String),
    From(String),
    Subject(String),
    Text(String),
}

impl Term {
    fn matches(&self, mail: &StoredMail) -> bool {
        let has = |haystack: &str, needle: &str| haystack.to_lowercase().contains(needle);
        match self {
            Self::To(v) => has(&mail.to_address, v),
            Self::From(v) => has(&mail.from_address, v) || has(&mail.from_name, v),
            Self::Subject(v) => has(&mail.subject, v),
            Self::Text(v) => {
                has(&mail.subject, v)
                    || has(&mail.text, v)
                    || has(&mail.to_address, v)
                    || has(&mail.from_address, v)
            }
        }
    }
}

/// Splits a Mailpit query into terms; values are lower-cased, quotes removed.
fn parse_query(query: &str) -> Vec<Term> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for ch in query.chars() {
        match ch {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !current.is_empty() {
                    words.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
        .into_iter()
        .map(|word| {
            let lowered = word.to_lowercase();
            let (key, value) = lowered.split_once(':').unwrap_or(("", &lowered));
            match key {
                "to" => Term::To(value.to_owned()),
                "from" => Term::From(value.to_owned()),
                "subject" => Term::Subject(value.to_owned()),
                _ => Term::Text(lowered.clone()),
            }
        })
        .filter(|term| !matches!(term, Term::Text(v) | Term::To(v) | Term::From(v) | Term::Subject(v) if v.is_empty()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_term_accepts_quoted_and_bare_values_case_insensitively() {
        assert_eq!(
            parse_query("to:A@x.io"),
            vec![Term::To("a@x.io".to_owned())]
        );
        assert_eq!(
            parse_query("to:\"A@x.io\""),
            vec![Term::To("a@x.io".to_owned())]
        );
    }

    #[test]
    fn plain_words_become_text_terms() {
        assert_eq!(
            parse_query("reset  subject:\"your password\""),
            vec![
                Term::Text("reset".to_owned()),
                Term::Subject("your password".to_owned())
            ]
        );
    }
}
