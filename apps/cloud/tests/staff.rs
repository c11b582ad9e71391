//! HQ staff sign-in through whole `kh-cloud` processes (DESIGN 10.1): users made on the command
//! line, sessions kept in PostgreSQL so two servers share them, roles, CSRF and the lockout.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Write;
use std::process::{Child, Command, Stdio};

use common::{ADMIN, fresh_database};
use reqwest::Method;
use serde_json::{Value, json};

fn kh_cloud(database_url: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kh-cloud"));
    cmd.env_clear()
        .env("KH_DATABASE_URL", database_url)
        .env("KH_ADMIN_TOKEN", ADMIN)
        .env("KH_HTTP_ADDR", "127.0.0.1:0")
        .env("KH_LOG_FORMAT", "json")
        .env("KH_LOG", "info");
    cmd
}

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(database_url: &str) -> Server {
    let mut cmd = kh_cloud(database_url);
    cmd.arg("serve").stdout(Stdio::null());
    let (child, addr) = kh_test_support::spawn_kh_cloud(&mut cmd).unwrap();
    Server {
        child,
        base: format!("http://{addr}/api/v1"),
    }
}

/// `kh-cloud user create`, with the password on standard input when given.
fn create_user(db: &str, email: &str, role: &str, password: Option<&str>) -> Value {
    let mut cmd = kh_cloud(db);
    cmd.args(["user", "create", "--email", email, "--role", role]);
    if password.is_some() {
        cmd.arg("--password-stdin");
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(p) = password {
        writeln!(child.stdin.take().unwrap(), "{p}").unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A browser: keeps the session cookie it is given, and echoes the CSRF token on changes.
#[derive(Clone)]
struct Browser {
    client: reqwest::Client,
    cookie: std::sync::Arc<std::sync::Mutex<Option<String>>>,
    csrf: Option<String>,
}

impl Browser {
    fn new() -> Self {
        Self {
            client: reqwest::Client::new(),
            cookie: std::sync::Arc::default(),
            csrf: None,
        }
    }

    async fn send(
        &self,
        server: &Server,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value, reqwest::header::HeaderMap) {
        let mut request = self
            .client
            .request(method.clone(), format!("{}{path}", server.base));
        if let Some(token) = &self.csrf
            && method != Method::GET
        {
            request = request.header("X-KH-CSRF", token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        if let Some(cookie) = self.cookie.lock().unwrap().clone() {
            request = request.header("cookie", cookie);
        }
        let response = request.send().await.unwrap();
        let headers = response.headers().clone();
        if let Some(set) = headers.get("set-cookie").and_then(|v| v.to_str().ok()) {
            let pair = set.split(';').next().unwrap_or_default().trim().to_owned();
            *self.cookie.lock().unwrap() = (!pair.ends_with('=')).then_some(pair);
        }
        let (status, body) = kh_test_support::read_envelope(response).await;
        (status, body, headers)
    }

    async fn sign_in(
        &mut self,
        server: &Server,
        email: &str,
        password: &str,
    ) -> (u16, Value, reqwest::header::HeaderMap) {
        let answer = self
            .send(
                server,
                Method::POST,
                "/auth/login",
                Some(json!({"email": email, "password": password})),
            )
            .await;
        if answer.0 == 200 {
            self.csrf = answer.1["data"]["csrf_token"].as_str().map(str::to_owned);
        }
        answer
    }
}

#[tokio::test]
async fn staff_sign_in_on_one_server_is_served_by_another_with_roles_csrf_and_a_lockout() {
    let db = fresh_database().await;
    let made = create_user(&db, "Pemilik@Haramain.id", "owner", None);
    let owner_password = made["password"].as_str().unwrap().to_owned();
    assert_eq!(made["email"], "pemilik@haramain.id");
    assert!(owner_password.len() >= 16);
    create_user(
        &db,
        "lihat@haramain.id",
        "viewer",
        Some("sandi-yang-panjang"),
    );
    let (a, b) = (serve(&db), serve(&db));

    // Nothing without a session or the token.
    let anonymous = Browser::new();
    let (status, body, _) = anonymous.send(&a, Method::GET, "/branches", None).await;
    assert_eq!(status, 401, "{body}");

    let mut owner = Browser::new();
    let (status, body, headers) = owner
        .sign_in(&a, "pemilik@haramain.id", &owner_password)
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["user"]["role"], "owner");
    let cookie = headers["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "plain HTTP without a trusted TLS proxy: {cookie}"
    );
    assert!(!body.to_string().contains(&owner_password));

    // Signed in through A, served by B: the session lives in the database.
    let (status, body, _) = owner
        .send(
            &b,
            Method::POST,
            "/branches",
            Some(json!({"code": "JKT-01", "name": "Jakarta"})),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let branch_id = body["data"]["id"].as_str().unwrap().to_owned();
    let (status, body, _) = owner
        .send(
            &a,
            Method::POST,
            "/staff",
            Some(json!({"branch_id": branch_id, "name": "Siti", "role": "cashier"})),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let staff_id = body["data"]["id"].as_str().unwrap().to_owned();
    let (status, me, _) = owner.send(&b, Method::GET, "/auth/me", None).await;
    assert_eq!(status, 200, "{me}");

    // A change without the CSRF token (another site's form) is refused.
    let forged = Browser {
        csrf: None,
        ..owner.clone()
    };
    let (status, body, _) = forged
        .send(
            &a,
            Method::POST,
            &format!("/branches/{branch_id}/disable"),
            None,
        )
        .await;
    assert_eq!(status, 403, "{body}");

    // A viewer reads, and is refused every change.
    let mut viewer = Browser::new();
    let (status, body, _) = viewer
        .sign_in(&b, "lihat@haramain.id", "sandi-yang-panjang")
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, _, _) = viewer.send(&a, Method::GET, "/reports/summary", None).await;
    assert_eq!(status, 200);
    let changes = [
        (
            Method::POST,
            "/branches".to_owned(),
            json!({"code": "BDG-01", "name": "Bandung"}),
        ),
        (
            Method::POST,
            format!("/branches/{branch_id}/rotate-key"),
            Value::Null,
        ),
        (
            Method::POST,
            format!("/branches/{branch_id}/disable"),
            Value::Null,
        ),
        (
            Method::POST,
            format!("/branches/{branch_id}/enable"),
            Value::Null,
        ),
        (
            Method::POST,
            "/lists/categories".to_owned(),
            json!({"name": "Parkir", "type": "OUT"}),
        ),
        (
            Method::POST,
            "/lists/channels".to_owned(),
            json!({"name": "GoPay", "kind": "non_cash"}),
        ),
        (
            Method::PUT,
            "/lists/settings".to_owned(),
            json!({"allow_new_categories": false}),
        ),
        (
            Method::POST,
            "/users".to_owned(),
            json!({"email": "x@y.id", "role": "owner", "password": "0123456789ab"}),
        ),
        (
            Method::POST,
            "/staff".to_owned(),
            json!({"branch_id": branch_id, "name": "Budi", "role": "supervisor"}),
        ),
        (
            Method::PATCH,
            format!("/staff/{staff_id}"),
            json!({"active": false}),
        ),
        (Method::POST, format!("/staff/{staff_id}/pin"), json!({})),
    ];
    for (method, path, body) in changes {
        let body = (!body.is_null()).then_some(body);
        let (status, answer, _) = viewer.send(&a, method.clone(), &path, body).await;
        assert_eq!(status, 403, "{method} {path}: {answer}");
    }
    let (status, listed, _) = viewer
        .send(
            &a,
            Method::GET,
            &format!("/staff?branch_id={branch_id}"),
            None,
        )
        .await;
    assert_eq!(status, 200, "a viewer sees the staff: {listed}");
    assert_eq!(listed["data"][0]["name"], "Siti");
    assert!(listed["data"][0].get("pin_hash").is_none() && listed["data"][0].get("pin").is_none());
    let (status, _, _) = viewer.send(&a, Method::GET, "/users", None).await;
    assert_eq!(status, 403, "only owners see the users");
    let (status, _, _) = viewer.send(&a, Method::GET, "/audit", None).await;
    assert_eq!(status, 403, "only owners see the audit log");

    // The audit log names who did what.
    let (status, log, _) = owner.send(&a, Method::GET, "/audit", None).await;
    assert_eq!(status, 200, "{log}");
    let lines = log["data"].as_array().unwrap();
    assert!(
        lines.iter().any(|l| l["action"] == "branch.create"
            && l["actor"] == "pemilik@haramain.id"
            && l["target"] == "JKT-01"),
        "{log}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l["action"] == "user.create" && l["actor"] == "command line"),
        "{log}"
    );

    // Signing out ends the session everywhere.
    let (status, _, headers) = owner.send(&b, Method::POST, "/auth/logout", None).await;
    assert_eq!(status, 200);
    assert!(
        headers["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    let (status, _, _) = owner.send(&a, Method::GET, "/branches", None).await;
    assert_eq!(status, 401);

    // Wrong passwords: the same answer for an unknown email, then a lockout shared by both
    // servers, even for the right password.
    let mut guesser = Browser::new();
    let (status, unknown, _) = guesser
        .sign_in(&a, "siapa@haramain.id", "salah-salah-salah")
        .await;
    assert_eq!(status, 401);
    let mut wrong = Value::Null;
    for i in 0..5 {
        let server = if i % 2 == 0 { &a } else { &b };
        let (status, body, _) = guesser
            .sign_in(server, "lihat@haramain.id", "bukan-sandinya")
            .await;
        assert_eq!(status, 401, "{body}");
        wrong = body;
    }
    assert_eq!(
        unknown["message"], wrong["message"],
        "an unknown email reads like a wrong password"
    );
    let (status, body, headers) = guesser
        .sign_in(&b, "lihat@haramain.id", "sandi-yang-panjang")
        .await;
    assert_eq!(status, 429, "{body}");
    assert!(headers.contains_key("retry-after"));

    // Guesses sent all at once get the five tries one at a time gets: each counts before its
    // password is checked, so the rest find the lock (before, every one was checked).
    let mut guessers: Vec<Browser> = (0..12).map(|_| Browser::new()).collect();
    let answers = futures::future::join_all(guessers.iter_mut().enumerate().map(|(n, g)| {
        let server = if n % 2 == 0 { &a } else { &b };
        async move {
            g.sign_in(server, "tamu@haramain.id", &format!("tebakan-nomor-{n:02}"))
                .await
                .0
        }
    }))
    .await;
    let answered = |code: u16| answers.iter().filter(|s| **s == code).count();
    assert_eq!((answered(401), answered(429)), (5, 7), "{answers:?}");
}

#[tokio::test]
async fn a_disabled_user_is_signed_out_at_once_and_a_reset_password_works_once_printed() {
    let db = fresh_database().await;
    create_user(
        &db,
        "kasir.hq@haramain.id",
        "finance",
        Some("sandi-awal-panjang"),
    );
    let hq = serve(&db);
    let mut finance = Browser::new();
    let (status, _, _) = finance
        .sign_in(&hq, "kasir.hq@haramain.id", "sandi-awal-panjang")
        .await;
    assert_eq!(status, 200);
    // Finance manages the lists, not the branches.
    let (status, body, _) = finance
        .send(
            &hq,
            Method::POST,
            "/lists/channels",
            Some(json!({"name": "OVO", "kind": "non_cash"})),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let (status, _, _) = finance
        .send(
            &hq,
            Method::POST,
            "/branches",
            Some(json!({"code": "SBY-01", "name": "Surabaya"})),
        )
        .await;
    assert_eq!(status, 403);

    let out = kh_cloud(&db)
        .args(["user", "disable", "--email", "kasir.hq@haramain.id"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (status, _, _) = finance.send(&hq, Method::GET, "/lists", None).await;
    assert_eq!(status, 401, "a disabled user's session ends at once");

    let out = kh_cloud(&db)
        .args(["user", "enable", "--email", "kasir.hq@haramain.id"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = kh_cloud(&db)
        .args(["user", "reset-password", "--email", "kasir.hq@haramain.id"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reset: Value = serde_json::from_slice(&out.stdout).unwrap();
    let new_password = reset["password"].as_str().unwrap();
    let mut again = Browser::new();
    let (status, _, _) = again
        .sign_in(&hq, "kasir.hq@haramain.id", "sandi-awal-panjang")
        .await;
    assert_eq!(status, 401, "the old password no longer works");
    let (status, body, _) = again
        .sign_in(&hq, "kasir.hq@haramain.id", new_password)
        .await;
    assert_eq!(status, 200, "{body}");

    // Bad input gets a 4xx envelope.
    let (status, body, _) = again
        .send(&hq, Method::POST, "/auth/login", Some(json!({"email": 5})))
        .await;
    assert_eq!(status, 400, "{body}");
}

#[tokio::test]
async fn the_session_cookie_is_secure_behind_a_trusted_tls_proxy_and_only_there() {
    let db = fresh_database().await;
    create_user(
        &db,
        "pemilik@haramain.id",
        "owner",
        Some("sandi-pemilik-panjang"),
    );
    let mut cmd = kh_cloud(&db);
    cmd.env("KH_TRUSTED_PROXIES", "127.0.0.1/32")
        .arg("serve")
        .stdout(Stdio::null());
    let (child, addr) = kh_test_support::spawn_kh_cloud(&mut cmd).unwrap();
    let server = Server {
        child,
        base: format!("http://{addr}/api/v1"),
    };
    let sign_in = |proto: Option<&'static str>| {
        let mut request = reqwest::Client::new()
            .post(format!("{}/auth/login", server.base))
            .json(&json!({"email": "pemilik@haramain.id", "password": "sandi-pemilik-panjang"}));
        if let Some(p) = proto {
            request = request.header("x-forwarded-proto", p);
        }
        request.send()
    };
    let behind_tls = sign_in(Some("https")).await.unwrap();
    assert_eq!(behind_tls.status(), 200);
    let cookie = behind_tls.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.ends_with("; Secure"), "{cookie}");
    let plain = sign_in(Some("http")).await.unwrap();
    let cookie = plain.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(!cookie.contains("Secure"), "{cookie}");
    // Only a trusted proxy's word counts: a client on another server cannot claim TLS.
    let untrusted = serve(&db);
    let answer = reqwest::Client::new()
        .post(format!("{}/auth/login", untrusted.base))
        .header("x-forwarded-proto", "https")
        .json(&json!({"email": "pemilik@haramain.id", "password": "sandi-pemilik-panjang"}))
        .send()
        .await
        .unwrap();
    let cookie = answer.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(!cookie.contains("Secure"), "{cookie}");
}
