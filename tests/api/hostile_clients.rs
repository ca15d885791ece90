//! Clients that misbehave on the wire (a body that fails to parse after the headers, a hang-up in
//! the middle of a credential lookup or of a body) never put a database connection out of step:
//! every well-behaved request, before, during and after, gets exactly the answer its credentials
//! deserve, and no forged key or cookie is ever taken for a real one.
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use greenpoints::domain::scope::Scope;
use serde_json::json;

use crate::helpers::spawn_app;

const A: &str = "13800000001";
const PASSWORD: &str = "ledger-keeper-Moon-7";

/// What a well-behaved client holds and what it must be answered.
#[derive(Clone)]
struct Expectations {
    base: String,
    admin_key: String,
    read_only_key: String,
    orders_only_key: String,
    member_cookie: String,
    withdrawal_id: String,
}

/// A forged API key of the right shape that no one was ever given.
fn random_key() -> String {
    format!("gp_{}", hex::encode(rand::random::<[u8; 32]>()))
}

/// Headers first (with a forged key), then, once the server has begun to look the key up, a body
/// that is not JSON: the body's extractor fails while the key's lookup is in flight.
fn header_first_then_bad_body(address: SocketAddr, path: &str, credential: &str) -> Option<u16> {
    let body = b"{\"order_id\": this is not json";
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\n{credential}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let mut stream = TcpStream::connect(address).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    stream.write_all(head.as_bytes()).ok()?;
    stream.flush().ok()?;
    std::thread::sleep(Duration::from_micros(rand::random_range(0..1500)));
    stream.write_all(body).ok()?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).ok()?;
    String::from_utf8_lossy(&answer).split(' ').nth(1)?.parse().ok()
}

/// A request whose client goes away while the server looks its credential up.
fn hang_up_mid_lookup(address: SocketAddr, credential: &str) {
    let request = format!("GET /api/v1/withdrawals HTTP/1.1\r\nHost: localhost\r\n{credential}\r\n\r\n");
    if let Ok(mut stream) = TcpStream::connect(address) {
        let _ = stream.write_all(request.as_bytes());
        std::thread::sleep(Duration::from_micros(rand::random_range(0..2000)));
        let _ = stream.shutdown(std::net::Shutdown::Both);
    }
}

/// A request whose client goes away halfway through its body.
fn hang_up_mid_body(address: SocketAddr, credential: &str) {
    let head = format!(
        "POST /api/v1/withdrawals HTTP/1.1\r\nHost: localhost\r\n{credential}\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{{\"phone\": \"1380"
    );
    if let Ok(mut stream) = TcpStream::connect(address) {
        let _ = stream.write_all(head.as_bytes());
        std::thread::sleep(Duration::from_micros(rand::random_range(0..2000)));
        let _ = stream.shutdown(std::net::Shutdown::Both);
    }
}

/// One round of the attack on `address`; returns the answers that were not 400 or 401.
fn attack_round(address: SocketAddr) -> Vec<String> {
    let mut wrong = Vec::new();
    let key = format!("Authorization: Bearer {}", random_key());
    let cookie = format!("Cookie: gp_member={}", hex::encode(rand::random::<[u8; 32]>()));
    for (path, credential) in [("/api/v1/orders", &key), ("/api/v1/withdrawals", &key), ("/api/v1/me/withdrawals", &cookie)] {
        match header_first_then_bad_body(address, path, credential) {
            Some(400 | 401) | None => {}
            Some(status) => wrong.push(format!("{path} with a forged credential and a bad body answered {status}")),
        }
    }
    hang_up_mid_lookup(address, &key);
    hang_up_mid_lookup(address, &cookie);
    hang_up_mid_body(address, &key);
    wrong
}

/// Every well-behaved request once; returns what was answered wrongly.
fn check_round(client: &reqwest::blocking::Client, expected: &Expectations) -> Vec<String> {
    let mut wrong = Vec::new();
    let mut expect =
        |what: &str, request: reqwest::blocking::RequestBuilder, status: u16, check: &dyn Fn(&serde_json::Value) -> bool| match request
            .send()
        {
            Ok(response) => {
                let got = response.status().as_u16();
                let body: serde_json::Value = response.json().unwrap_or(serde_json::Value::Null);
                if got != status || !check(&body) {
                    wrong.push(format!("{what}: expected {status}, got {got} {body}"));
                }
            }
            Err(error) => wrong.push(format!("{what}: {error}")),
        };
    let withdrawals = format!("{}/api/v1/withdrawals", expected.base);
    let lists_the_one_withdrawal = |body: &serde_json::Value| {
        body["items"]
            .as_array()
            .is_some_and(|items| items.len() == 1 && items[0]["id"] == expected.withdrawal_id.as_str() && items[0]["phone"] == A)
    };
    let is_error = |code: &'static str| move |body: &serde_json::Value| body["error"]["code"] == code;
    expect("the admin key lists withdrawals", client.get(&withdrawals).bearer_auth(&expected.admin_key), 200, &lists_the_one_withdrawal);
    expect(
        "the admin key reads the member",
        client.get(format!("{}/api/v1/members/{A}", expected.base)).bearer_auth(&expected.admin_key),
        200,
        &|body| body["phone"] == A && body["available"] == "300.00" && body["frozen"] == "200.00",
    );
    expect(
        "a payouts:read key lists withdrawals",
        client.get(&withdrawals).bearer_auth(&expected.read_only_key),
        200,
        &lists_the_one_withdrawal,
    );
    expect(
        "a payouts:read key may not record orders",
        client.post(format!("{}/api/v1/orders", expected.base)).bearer_auth(&expected.read_only_key).json(&json!({
            "order_id": "never", "phone": A, "amount": "3000.00", "paid_at": "2026-01-01T10:00:00+08:00"
        })),
        403,
        &is_error("forbidden"),
    );
    expect(
        "an orders:write key may not list withdrawals",
        client.get(&withdrawals).bearer_auth(&expected.orders_only_key),
        403,
        &is_error("forbidden"),
    );
    expect(
        "an unknown key is refused",
        client.get(&withdrawals).bearer_auth(format!("gp_{}", "0".repeat(64))),
        401,
        &is_error("unauthorized"),
    );
    expect("a random key is refused", client.get(&withdrawals).bearer_auth(random_key()), 401, &is_error("unauthorized"));
    expect(
        "the member's cookie opens the member's own summary",
        client.get(format!("{}/api/v1/me", expected.base)).header("Cookie", format!("gp_member={}", expected.member_cookie)),
        200,
        &|body| body["phone"] == A,
    );
    expect(
        "a random member cookie is refused",
        client
            .get(format!("{}/api/v1/me", expected.base))
            .header("Cookie", format!("gp_member={}", hex::encode(rand::random::<[u8; 32]>()))),
        401,
        &|_| true,
    );
    wrong
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn misbehaving_clients_never_shift_an_answer_onto_another_request() {
    let app = spawn_app().await;
    let registered = app.post("/api/v1/members", json!({"phone": A, "sponsor_phone": null, "password": PASSWORD})).await;
    assert_eq!(registered.status, 201, "{}", registered.body);
    let added = app.post(&format!("/api/v1/members/{A}/adjustments"), json!({"amount": "500.00", "reason": "test"})).await;
    assert_eq!(added.status, 201, "{}", added.body);
    let requested = app.post("/api/v1/withdrawals", json!({"phone": A, "amount": "200.00", "idempotency_key": "wd-1"})).await;
    assert_eq!(requested.status, 201, "{}", requested.body);
    let login = app
        .client
        .post(format!("{}/api/v1/auth/login", app.address))
        .json(&json!({"phone": A, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    let member_cookie = login.cookies().find(|c| c.name() == "gp_member").expect("a member session cookie").value().to_string();

    let expected = Expectations {
        base: app.address.clone(),
        admin_key: app.key.clone(),
        read_only_key: app.create_key(&[Scope::PayoutsRead]).await,
        orders_only_key: app.create_key(&[Scope::OrdersWrite]).await,
        member_cookie,
        withdrawal_id: requested.body["id"].as_str().unwrap().to_string(),
    };
    let address: SocketAddr = app.address.trim_start_matches("http://").parse().unwrap();

    let wrong = tokio::task::spawn_blocking(move || {
        let client = reqwest::blocking::Client::builder().timeout(Duration::from_secs(30)).build().unwrap();
        let mut wrong = check_round(&client, &expected);
        assert!(wrong.is_empty(), "wrong before the attack: {wrong:#?}");

        let attacking = Arc::new(AtomicBool::new(true));
        let attackers: Vec<_> = (0..4)
            .map(|_| {
                std::thread::spawn(move || {
                    let mut wrong = Vec::new();
                    for _ in 0..60 {
                        wrong.extend(attack_round(address));
                    }
                    wrong
                })
            })
            .collect();
        let checkers: Vec<_> = (0..3)
            .map(|_| {
                let (expected, attacking) = (expected.clone(), attacking.clone());
                std::thread::spawn(move || {
                    let client = reqwest::blocking::Client::builder().timeout(Duration::from_secs(30)).build().unwrap();
                    let mut wrong = Vec::new();
                    let mut rounds = 0;
                    while attacking.load(Ordering::Relaxed) || rounds < 3 {
                        wrong.extend(check_round(&client, &expected));
                        rounds += 1;
                    }
                    wrong
                })
            })
            .collect();
        for attacker in attackers {
            wrong.extend(attacker.join().unwrap());
        }
        attacking.store(false, Ordering::Relaxed);
        for checker in checkers {
            wrong.extend(checker.join().unwrap());
        }
        for _ in 0..5 {
            wrong.extend(check_round(&client, &expected).into_iter().map(|w| format!("after the attack: {w}")));
        }
        wrong
    })
    .await
    .unwrap();
    assert!(wrong.is_empty(), "{} wrong answers, the first: {:#?}", wrong.len(), &wrong[..wrong.len().min(20)]);
    app.assert_verified().await;
}
