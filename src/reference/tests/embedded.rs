//! One real-socket test: the embedded server as the suite starts it.

use serde_json::json;

use crate::reference::{EmbeddedServer, ReferenceConfig};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn embedded_server_serves_a_login_over_tcp() {
    let server = EmbeddedServer::start(ReferenceConfig::embedded()).unwrap();
    let base = server.base_url().to_owned();
    assert!(base.starts_with("http://127.0.0.1:") && !base.ends_with('/'));
    let client = reqwest::Client::new();
    let health = client
        .get(format!("{base}/api/v1/auth/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let created = client
        .post(format!("{base}/api/v1/test/create-user"))
        .json(&json!({"email": "tcp@example.com", "password": "Over-The-Wire-1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 200);
    let login = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": "tcp@example.com", "password": "Over-The-Wire-1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    assert_eq!(login.headers().get_all("set-cookie").iter().count(), 2);
    drop(client);
    tokio::task::spawn_blocking(move || drop(server))
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_the_server_is_quick_even_with_an_idle_keep_alive_connection() {
    let server = EmbeddedServer::start(ReferenceConfig::embedded()).unwrap();
    let client = reqwest::Client::new();
    let health = client
        .get(format!("{}/api/v1/auth/health", server.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let started = std::time::Instant::now();
    tokio::task::spawn_blocking(move || drop(server))
        .await
        .unwrap();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    drop(client);
}
