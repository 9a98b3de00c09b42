//! Wire faults: defects visible only in what goes over the wire (status codes, body shapes,
//! cookie attributes, headers). [`inject`] is the outermost layer of the app, added only when
//! one of these faults is on ([`Fault::is_wire`]); it rewrites the correct server's answer.

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::Fault;
use crate::reference::app::BODY_LIMIT;

const AUTH: &str = "/api/v1/auth";

/// Adds [`inject`] as the outermost layer when `fault` is a wire fault; otherwise the router is
/// returned untouched (no layer, no cost).
pub fn wrap(router: Router, fault: Option<Fault>) -> Router {
    match fault.filter(|f| f.is_wire()) {
        Some(fault) => router.layer(axum::middleware::from_fn_with_state(fault, inject)),
        None => router,
    }
}

/// What a wire fault needs to know of the request.
#[derive(Clone, Debug, Default)]
pub struct RequestFacts {
    /// Whether an `X-API-KEY` header was sent.
    pub has_api_key: bool,
    /// The `password` of a JSON body (read only under [`Fault::UserEchoesPassword`]).
    pub password: Option<String>,
}

/// The middleware: runs the request, then applies `fault` to the answer.
pub async fn inject(State(fault): State<Fault>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let mut facts = RequestFacts {
        has_api_key: req.headers().contains_key("x-api-key"),
        password: None,
    };
    let req = if fault == Fault::UserEchoesPassword {
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, BODY_LIMIT)
            .await
            .unwrap_or_default();
        facts.password = serde_json::from_slice::<Value>(&bytes)
            .ok()
            .and_then(|v| v.get("password")?.as_str().map(str::to_owned));
        Request::from_parts(parts, Body::from(bytes))
    } else {
        req
    };
    let response = next.run(req).await;
    rewrite(fault, &path, &facts, response).await
}

/// Applies a wire fault to the answer of a request to `path`.
pub async fn rewrite(
    fault: Fault,
    path: &str,
    facts: &RequestFacts,
    response: Response,
) -> Response {
    let status = response.status().as_u16();
    let route = path.strip_prefix(AUTH).unwrap_or(path);
    let session = matches!(route, "/login" | "/refresh") && status == 200;
    match fault {
        Fault::ResetPasswordNotGone if route == "/reset-password" && status == 410 => {
            with_status(response, StatusCode::NOT_FOUND)
        }
        Fault::RegisterAnswers200 if route == "/register" && status == 201 => {
            with_status(response, StatusCode::OK)
        }
        Fault::UnauthenticatedAnswers403 if status == 401 => {
            with_status(response, StatusCode::FORBIDDEN)
        }
        Fault::UserEmailVerifiedSnakeCase | Fault::UserIdRemoved => {
            let user_at = match route {
                "/me" if status == 200 => "",
                "/register" if status == 201 => "",
                "/login" | "/refresh" if status == 200 => "/user",
                _ => return response,
            };
            map_json(response, |body| {
                if let Some(Value::Object(user)) = body.pointer_mut(user_at) {
                    if fault == Fault::UserIdRemoved {
                        user.remove("id");
                    } else if let Some(flag) = user.remove("emailVerified") {
                        user.insert("email_verified".to_owned(), flag);
                    }
                }
            })
            .await
        }
        Fault::LoginAccessTokenRenamed if session => {
            map_json(response, |body| rename(body, "access_token", "accessToken")).await
        }
        Fault::LoginExpiresInString if session => {
            map_json(response, |body| {
                if let Some(seconds) = body.get("expires_in").cloned() {
                    body["expires_in"] = json!(seconds.to_string());
                }
            })
            .await
        }
        Fault::ErrorDetailRenamed if status >= 400 => {
            map_json(response, |body| {
                if body.get("detail").is_some_and(Value::is_string) {
                    rename(body, "detail", "message");
                }
            })
            .await
        }
        Fault::ValidationDetailNotList if status == 422 => {
            map_json(response, |body| {
                body["detail"] = json!("Request body does not match the schema");
            })
            .await
        }
        Fault::MessageNotObject if route == "/forgot-password" && status == 200 => {
            map_json(response, |body| {
                *body = body.get("message").cloned().unwrap_or(Value::Null);
            })
            .await
        }
        Fault::FeatureFlagsNotObject if route == "/feature-flags" && status == 200 => {
            map_json(response, |body| {
                let on: Vec<Value> = body
                    .as_object()
                    .map(|flags| {
                        flags
                            .iter()
                            .filter(|(_, v)| v.as_bool() == Some(true))
                            .map(|(k, _)| json!(k))
                            .collect()
                    })
                    .unwrap_or_default();
                *body = Value::Array(on);
            })
            .await
        }
        Fault::ApiKeyPrefixRemoved if path == "/api/v1/account/api-keys" && status == 201 => {
            map_json(response, |body| {
                if let Some(Value::Object(key)) = body.get_mut("api_key") {
                    key.remove("key_prefix");
                }
            })
            .await
        }
        Fault::CookiesNotHttpOnly if session => map_cookies(response, |c| drop_attr(c, "HttpOnly")),
        Fault::CookiesNotSecure if session => map_cookies(response, |c| drop_attr(c, "Secure")),
        Fault::LoginSetsNoCookies if route == "/login" => map_cookies(response, |_| None),
        Fault::LogoutKeepsCookies if route == "/logout" => {
            let mut response = map_cookies(response, |_| None);
            response
                .headers_mut()
                .remove(HeaderName::from_static("clear-site-data"));
            response
        }
        Fault::RateLimitWithoutRetryAfter if status == 429 => {
            let mut response = response;
            response.headers_mut().remove(header::RETRY_AFTER);
            response
        }
        Fault::ApiKeyCheckSkipped if route == "/test-api-key" && status == 401 => {
            let mut fresh =
                axum::Json(json!({"message": "API key authentication successful"})).into_response();
            copy_header(&response, &mut fresh, header::X_CONTENT_TYPE_OPTIONS);
            copy_header(&response, &mut fresh, header::CACHE_CONTROL);
            fresh
        }
        Fault::NotFoundNotJson if status == 404 => {
            let (mut parts, body) = response.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default();
            let value: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            if value.get("error_code") != Some(&json!("not_found")) {
                return Response::from_parts(parts, Body::from(bytes));
            }
            parts.headers.remove(header::CONTENT_LENGTH);
            parts.headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            );
            Response::from_parts(parts, Body::from("404 page not found"))
        }
        Fault::PasswordResetAliasDiffers if route == "/password-reset" && status == 200 => {
            map_json(response, |body| {
                body["message"] = json!("Password reset email sent.");
            })
            .await
        }
        Fault::HealthNotJson if route == "/health" && status == 200 => {
            let (mut parts, _) = response.into_parts();
            parts.headers.remove(header::CONTENT_LENGTH);
            parts.headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            );
            Response::from_parts(parts, Body::from("OK"))
        }
        Fault::ApiKeyErrorsDiffer
            if route == "/test-api-key" && status == 401 && !facts.has_api_key =>
        {
            map_json(response, |body| {
                *body = json!({
                    "detail": "The X-API-KEY header is required",
                    "error_code": "missing_api_key"
                });
            })
            .await
        }
        Fault::WrongMethodAnswers404 if status == 405 => {
            let mut response = with_status(response, StatusCode::NOT_FOUND);
            response.headers_mut().remove(header::ALLOW);
            map_json(response, |body| {
                *body = json!({"detail": "Not found", "error_code": "not_found"});
            })
            .await
        }
        Fault::NoBearerChallenge if status == 401 => {
            let mut response = response;
            response.headers_mut().remove(header::WWW_AUTHENTICATE);
            response
        }
        Fault::TokensCacheable if session => {
            let mut response = response;
            response.headers_mut().remove(header::CACHE_CONTROL);
            response
        }
        Fault::ErrorsNotJson if status >= 400 => {
            let mut response = response;
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            );
            response
        }
        Fault::UserEchoesPassword => {
            let Some(password) = facts.password.clone() else {
                return response;
            };
            let user_at = match route {
                "/login" if status == 200 => "/user",
                "/register" if status == 201 => "",
                _ => return response,
            };
            map_json(response, |body| {
                if let Some(Value::Object(user)) = body.pointer_mut(user_at) {
                    user.insert("password".to_owned(), json!(password));
                }
            })
            .await
        }
        Fault::RegisterNotDeprecated | Fault::ResetPasswordNotDeprecated
            if route
                == if fault == Fault::RegisterNotDeprecated {
                    "/register"
                } else {
                    "/reset-password"
                } =>
        {
            let mut response = response;
            let headers = response.headers_mut();
            headers.remove(HeaderName::from_static("deprecation"));
            headers.remove(HeaderName::from_static("sunset"));
            headers.remove(header::LINK);
            response
        }
        _ => response,
    }
}

fn with_status(mut response: Response, status: StatusCode) -> Response {
    *response.status_mut() = status;
    response
}

fn rename(body: &mut Value, from: &str, to: &str) {
    if let Some(object) = body.as_object_mut()
        && let Some(value) = object.remove(from)
    {
        object.insert(to.to_owned(), value);
    }
}

fn copy_header(from: &Response, to: &mut Response, name: HeaderName) {
    if let Some(value) = from.headers().get(&name) {
        to.headers_mut().insert(name, value.clone());
    }
}

/// Rewrites a JSON body in place (other bodies pass unchanged).
async fn map_json(response: Response, edit: impl FnOnce(&mut Value)) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let Ok(mut value) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    edit(&mut value);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(value.to_string()))
}

/// Rewrites every `Set-Cookie` line; `None` drops the line.
fn map_cookies(mut response: Response, edit: impl Fn(&str) -> Option<String>) -> Response {
    let lines: Vec<String> = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(&edit)
        .collect();
    let headers = response.headers_mut();
    headers.remove(header::SET_COOKIE);
    for line in lines {
        if let Ok(value) = HeaderValue::from_str(&line) {
            headers.append(header::SET_COOKIE, value);
        }
    }
    response
}

fn drop_attr(cookie: &str, attribute: &str) -> Option<String> {
    Some(
        cookie
            .split(';')
            .map(str::trim)
            .filter(|part| !part.eq_ignore_ascii_case(attribute))
            .collect::<Vec<_>>()
            .join("; "),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_attribute_is_dropped_from_a_cookie() {
        assert_eq!(
            drop_attr("a=1; HttpOnly; Secure; Path=/", "HttpOnly").as_deref(),
            Some("a=1; Secure; Path=/")
        );
    }

    #[test]
    fn renaming_keeps_the_value() {
        let mut body = json!({"detail": "x", "error_code": "y"});
        rename(&mut body, "detail", "message");
        assert_eq!(body, json!({"message": "x", "error_code": "y"}));
    }
}
