//! Branch staff at HQ (DESIGN 10.2, issue 16): HQ users and the command line add cashiers and
//! supervisors, change them and set their PINs (shown once); a branch's key receives its own
//! staff with the PIN hashes in `GET /sync/config`, and never another branch's.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::{ADMIN, Hq, fresh_database, spawn_hq};
use kh_test_support::send;
use reqwest::Method;
use serde_json::{Value, json};

async fn config(hq: &Hq, key: &str, since: i64) -> Value {
    let (status, body) = hq
        .api
        .with_bearer(key)
        .get(&format!("/sync/config?since={since}"))
        .await;
    assert_eq!(status, 200, "{body}");
    body["data"].clone()
}

async fn patch(hq: &Hq, path: &str, body: Value) -> (u16, Value) {
    send(hq.admin.request(Method::PATCH, path).json(&body)).await
}

fn names(staff: &Value) -> Vec<(String, bool)> {
    staff
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["name"].as_str().unwrap().to_owned(), m["active"] == true))
        .collect()
}

/// `kh-cloud staff …` against the test's database; answers the printed JSON.
fn cli(db: &str, args: &[&str], stdin: Option<&str>) -> Value {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kh-cloud"))
        .env_clear()
        .env("KH_DATABASE_URL", db)
        .env("KH_ADMIN_TOKEN", ADMIN)
        .arg("staff")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "staff {args:?}: {stderr}");
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test]
async fn hq_manages_branch_staff_and_each_branch_receives_only_its_own() {
    let db = fresh_database().await;
    let hq = spawn_hq(&db).await;
    let (jkt, jkt_key) = hq.branch("JKT-01").await;
    let (bdg, bdg_key) = hq.branch("BDG-01").await;
    let version = config(&hq, &jkt_key, 0).await["version"].as_i64().unwrap();

    // Added with a chosen PIN, and with one HQ makes: each shown once.
    let (status, siti) = hq
        .admin_post(
            "/staff",
            json!({"branch_id": jkt, "name": " Siti ", "role": "cashier", "pin": "402913"}),
        )
        .await;
    assert_eq!(status, 201, "{siti}");
    assert_eq!(siti["data"]["name"], "Siti");
    assert_eq!(siti["data"]["pin"], "402913");
    let siti_id = siti["data"]["id"].as_str().unwrap().to_owned();
    let (status, budi) = hq
        .admin_post(
            "/staff",
            json!({"branch_id": jkt, "name": "Budi", "role": "supervisor"}),
        )
        .await;
    assert_eq!(status, 201, "{budi}");
    let made = budi["data"]["pin"].as_str().unwrap();
    assert!(
        made.len() == 6 && made.bytes().all(|b| b.is_ascii_digit()),
        "{made}"
    );
    let (status, _) = hq
        .admin_post(
            "/staff",
            json!({"branch_id": bdg, "name": "Siti", "role": "cashier"}),
        )
        .await;
    assert_eq!(status, 201, "another branch may have its own Siti");

    // Listing never shows a PIN or its hash.
    let (status, listed) = hq.admin_get(&format!("/staff?branch_id={jkt}")).await;
    assert_eq!(status, 200, "{listed}");
    assert_eq!(
        names(&listed["data"]),
        [("Budi".to_owned(), true), ("Siti".to_owned(), true)]
    );
    assert!(!listed.to_string().contains("argon2") && !listed.to_string().contains("402913"));

    // The branch's key gets its own staff with the hashes; the other branch's key does not.
    let jkt_config = config(&hq, &jkt_key, version).await;
    assert_eq!(
        names(&jkt_config["staff"]),
        [("Budi".to_owned(), true), ("Siti".to_owned(), true)]
    );
    let siti_hash = jkt_config["staff"][1]["pin_hash"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        siti_hash.starts_with("$argon2id$v=19$m=65536,t=3,p=1$"),
        "{siti_hash}"
    );
    assert!(!jkt_config.to_string().contains("402913"));
    let bdg_config = config(&hq, &bdg_key, 0).await;
    assert_eq!(names(&bdg_config["staff"]), [("Siti".to_owned(), true)]);
    let now = jkt_config["version"].as_i64().unwrap();
    assert_eq!(
        config(&hq, &jkt_key, now).await["staff"],
        json!([]),
        "up to date"
    );

    // Deactivated and given a new PIN: the branch gets the change after its version.
    let (status, off) = patch(&hq, &format!("/staff/{siti_id}"), json!({"active": false})).await;
    assert_eq!(status, 200, "{off}");
    assert_eq!(off["data"]["active"], false);
    let (status, reset) = hq
        .admin_post(&format!("/staff/{siti_id}/pin"), json!({}))
        .await;
    assert_eq!(status, 200, "{reset}");
    assert_ne!(reset["data"]["pin"], "402913");
    let changed = config(&hq, &jkt_key, now).await;
    assert_eq!(names(&changed["staff"]), [("Siti".to_owned(), false)]);
    assert_ne!(changed["staff"][0]["pin_hash"], siti_hash.as_str());

    // Bad input: every reason at once, a taken name, unknown ids.
    let (status, bad) = hq
        .admin_post(
            "/staff",
            json!({"branch_id": jkt, "name": "", "role": "manager", "pin": "111111"}),
        )
        .await;
    assert_eq!(status, 400, "{bad}");
    let rules: Vec<(String, String)> = bad["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["field"].as_str().unwrap().to_owned(),
                d["rule"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        rules,
        [
            ("name".to_owned(), "required".to_owned()),
            ("role".to_owned(), "one_of".to_owned()),
            ("pin".to_owned(), "weak".to_owned())
        ]
    );
    for pin in [json!("12345"), json!("abcdef"), json!(402913)] {
        let (status, bad) = hq
            .admin_post(&format!("/staff/{siti_id}/pin"), json!({"pin": pin}))
            .await;
        assert_eq!(status, 400, "{pin}: {bad}");
    }
    let (status, taken) = hq
        .admin_post(
            "/staff",
            json!({"branch_id": jkt, "name": "BUDI", "role": "cashier"}),
        )
        .await;
    assert_eq!(
        (status, taken["error"]["code"].as_str()),
        (409, Some("conflict"))
    );
    let unknown = uuid::Uuid::new_v4();
    let (status, _) = hq
        .admin_post(
            "/staff",
            json!({"branch_id": unknown, "name": "Ani", "role": "cashier"}),
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = patch(&hq, &format!("/staff/{unknown}"), json!({"active": true})).await;
    assert_eq!(status, 404);
    let (status, _) = hq.admin_get(&format!("/staff?branch_id={unknown}")).await;
    assert_eq!(status, 404);
    let (status, _) = hq.admin_get("/staff").await;
    assert_eq!(status, 400, "the branch is required");
    let (status, _) = patch(&hq, &format!("/staff/{siti_id}"), json!({})).await;
    assert_eq!(status, 400, "nothing to change");

    // The command line: a PIN from stdin is not printed; a made one is.
    let ani = cli(
        &db,
        &[
            "add",
            "--branch",
            "JKT-01",
            "--name",
            "Ani",
            "--role",
            "supervisor",
            "--pin-stdin",
        ],
        Some("583920\n"),
    );
    assert_eq!((ani["name"].as_str(), ani.get("pin")), (Some("Ani"), None));
    let reset = cli(&db, &["reset-pin", "--branch", "JKT-01", "ani"], None);
    assert_eq!(reset["pin"].as_str().unwrap().len(), 6);
    let off = cli(&db, &["disable", "--branch", "JKT-01", "Ani"], None);
    assert_eq!(off["active"], false);
    let listed = cli(&db, &["list", "--branch", "JKT-01"], None);
    assert_eq!(
        names(&listed),
        [
            ("Ani".to_owned(), false),
            ("Budi".to_owned(), true),
            ("Siti".to_owned(), false)
        ]
    );
    let (_, audit) = hq.admin_get("/audit").await;
    let actions: Vec<&str> = audit["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["action"].as_str())
        .collect();
    for action in ["staff.add", "staff.change", "staff.pin", "staff.disable"] {
        assert!(actions.contains(&action), "{action}: {audit}");
    }
}
