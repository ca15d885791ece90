//! `spawn_app`: the server on a random loopback port with its own fresh database in the embedded
//! ArcadeDB (created over its HTTP API, dropped when the test ends).
use std::net::TcpListener;

use chrono::Utc;
use greenpoints::app::payout_accounts::PayoutKey;
use greenpoints::app::verify;
use greenpoints::app::{Application, Settings};
use greenpoints::domain::audit::Actor;
use greenpoints::domain::name::Name;
use greenpoints::domain::scope::Scope;
use greenpoints::graph::{Graph, GraphConfig, schema};
use greenpoints::http;
use serde_json::Value;

pub struct TestApp {
    pub address: String,
    pub graph: Graph,
    /// A key with every scope.
    pub key: String,
    pub client: reqwest::Client,
    pub database: TestDatabase,
}

/// A test database's name; the database is dropped with it.
pub struct TestDatabase(pub String);

impl std::ops::Deref for TestDatabase {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let drop = format!("drop database {}", self.0);
        // Best effort, on a thread of its own: a blocking client must not run on the test's runtime.
        let _ = std::thread::spawn(move || server_command(&drop).send()).join();
    }
}

fn arcadedb_http() -> String {
    format!("http://127.0.0.1:{}", std::env::var("ARCADEDB_HTTP_PORT").unwrap_or_else(|_| "2480".into()))
}

/// The embedded database's root password: `GREENPOINTS_GRAPH_PASSWORD` (`make test` sets it), or
/// the one `make db` keeps in `.arcadedb/root-password`.
pub fn password() -> String {
    std::env::var("GREENPOINTS_GRAPH_PASSWORD").unwrap_or_else(|_| {
        let file = concat!(env!("CARGO_MANIFEST_DIR"), "/.arcadedb/root-password");
        std::fs::read_to_string(file).expect("the database's root password: run `make db` first").trim().to_string()
    })
}

fn server_command(command: &str) -> reqwest::blocking::RequestBuilder {
    reqwest::blocking::Client::new()
        .post(format!("{}/api/v1/server", arcadedb_http()))
        .basic_auth("root", Some(password()))
        .json(&serde_json::json!({ "command": command }))
}

/// A fresh, empty database with the schema applied, dropped when the returned guard is.
pub async fn fresh_graph() -> (Graph, TestDatabase) {
    let database = TestDatabase(format!("t{}", uuid::Uuid::new_v4().simple()));
    let create = format!("create database {}", &*database);
    tokio::task::spawn_blocking(move || server_command(&create).send().and_then(|r| r.error_for_status()))
        .await
        .unwrap()
        .expect("create a test database (is `make db` running?)");
    let graph = Graph::connect(&graph_config(&database)).await.expect("connect over Bolt");
    schema::apply(&graph, Utc::now().timestamp_millis()).await.expect("apply the schema");
    (graph, database)
}

fn graph_config(database: &str) -> GraphConfig {
    GraphConfig {
        uri: std::env::var("GREENPOINTS_GRAPH_URI").unwrap_or_else(|_| "bolt://127.0.0.1:7687".into()),
        user: "root".into(),
        password: password().into(),
        database: database.to_string(),
    }
}

/// Another server on the same database, with its own connection pool (and nothing else shared
/// with the first, as another process would be); its address.
pub async fn second_server(app: &TestApp) -> String {
    let graph = Graph::connect(&graph_config(&app.database)).await.expect("connect over Bolt");
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(http::serve(listener, application(&graph)).unwrap());
    address
}

/// The application over `graph` as the server builds it.
pub fn application(graph: &Graph) -> Application {
    Application::build(graph.clone(), Settings::default())
}

pub async fn spawn_app() -> TestApp {
    let (graph, database) = fresh_graph().await;
    serve_on(graph, database).await
}

/// [`spawn_app`] with these settings (a clock, a sender, trusted proxies, a public URL).
pub async fn spawn_app_with(settings: Settings) -> TestApp {
    let (graph, database) = fresh_graph().await;
    serve_with(graph, database, settings).await
}

/// The server on a random loopback port over `graph` (the database named `database`), with a key
/// of every scope.
pub async fn serve_on(graph: Graph, database: TestDatabase) -> TestApp {
    serve_with(graph, database, Settings::default()).await
}

/// Every test server seals payout accounts, under a key of its own unless the test gives one.
async fn serve_with(graph: Graph, database: TestDatabase, mut settings: Settings) -> TestApp {
    let key = || std::sync::Arc::new(PayoutKey::parse(&PayoutKey::random_hex()).unwrap());
    settings.payout_key.get_or_insert_with(key);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let server = http::serve(listener, Application::build(graph.clone(), settings)).unwrap();
    tokio::spawn(server);
    let mut app = TestApp { address, graph, key: String::new(), client: reqwest::Client::new(), database };
    app.key = app.create_key(&Scope::ALL).await;
    app
}

/// The bank card [`TestApp::payout_account`] gives (its Luhn digit right).
pub const CARD: &str = "6222021234567890128";

/// The business day `days` before today in the scheme's zone, as `YYYY-MM-DD`.
pub fn day(days_ago: i64) -> String {
    let today = Utc::now().with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
    (today - chrono::TimeDelta::days(days_ago)).to_string()
}

/// An instant on the day `days` before today, at `hh:mm` Shanghai time, in RFC 3339.
pub fn at(days_ago: i64, time: &str) -> String {
    format!("{}T{time}:00+08:00", day(days_ago))
}

/// What an API call answered.
pub struct Answer {
    pub status: u16,
    pub body: Value,
}

impl Answer {
    /// The stable error code of an error answer.
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("<no error code>")
    }
}

impl TestApp {
    pub async fn create_key(&self, scopes: &[Scope]) -> String {
        let name = Name::parse("test").unwrap();
        greenpoints::app::api_keys::create(&application(&self.graph), &Actor::CommandLine, &name, scopes).await.unwrap().secret
    }

    /// Brings the team aggregates up to date, as the server's team fold does within a second.
    pub async fn fold_teams(&self) {
        greenpoints::app::teams::fold_now(&self.graph).await.expect("fold the teams");
    }

    /// A request; a read first waits for the team fold (see [`TestApp::fold_teams`]), so that it
    /// sees the team figures of every write before it.
    pub async fn call_with(&self, key: Option<&str>, method: reqwest::Method, path: &str, body: Option<Value>) -> Answer {
        if method == reqwest::Method::GET {
            self.fold_teams().await;
        }
        let mut request = self.client.request(method, format!("{}{}", self.address, path));
        if let Some(key) = key {
            request = request.bearer_auth(key);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        let body = if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
        Answer { status, body }
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.call_with(Some(&self.key), reqwest::Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Answer {
        self.call_with(Some(&self.key), reqwest::Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Answer {
        self.call_with(Some(&self.key), reqwest::Method::PUT, path, Some(body)).await
    }

    /// Registers a member (root when `sponsor` is None) and asserts it worked.
    pub async fn member(&self, phone: &str, sponsor: Option<&str>) {
        let answer = self.post("/api/v1/members", serde_json::json!({ "phone": phone, "sponsor_phone": sponsor })).await;
        assert_eq!(answer.status, 201, "registering {phone}: {}", answer.body);
    }

    /// Records an order and asserts it worked; returns the receipt.
    /// Gives `phone` a bank card to be paid to, through the API as the mall would (a member asks
    /// for a withdrawal only with a payout account).
    pub async fn payout_account(&self, phone: &str) {
        let card = serde_json::json!({"kind": "bank_card", "real_name": "张三", "bank": "中国银行", "number": CARD});
        let set = self.put(&format!("/api/v1/members/{phone}/payout-account"), card).await;
        assert_eq!(set.status, 200, "{}", set.body);
    }

    pub async fn order(&self, order_id: &str, phone: &str, amount: &str, paid_at: &str) -> Value {
        let answer = self
            .post("/api/v1/orders", serde_json::json!({ "order_id": order_id, "phone": phone, "amount": amount, "paid_at": paid_at }))
            .await;
        assert_eq!(answer.status, 201, "order {order_id}: {}", answer.body);
        answer.body
    }

    /// Settles through `date` and asserts it worked; returns the days settled.
    pub async fn settle(&self, date: &str) -> Vec<String> {
        let answer = self.post("/api/v1/settlements", serde_json::json!({ "date": date })).await;
        assert_eq!(answer.status, 200, "settling through {date}: {}", answer.body);
        answer.body["days"].as_array().unwrap().iter().map(|d| d["date"].as_str().unwrap().to_string()).collect()
    }

    /// A member's statement of a day with its sources.
    pub async fn statement(&self, phone: &str, date: &str) -> Value {
        let answer = self.get(&format!("/api/v1/members/{phone}/statements/{date}")).await;
        assert_eq!(answer.status, 200, "statement of {phone} on {date}: {}", answer.body);
        answer.body
    }

    /// Asserts every conservation rule of `verify` holds.
    pub async fn assert_verified(&self) {
        let violations = verify::verify(&self.graph).await.unwrap();
        assert!(violations.is_empty(), "verify found: {violations:#?}");
    }

    /// Creates (or resets) an admin account directly in the graph, as `greenpoints admin add` does:
    /// a new one is an owner, an existing one keeps its role.
    pub async fn admin(&self, username: &str, password: &str) {
        self.admin_as(username, password, None).await;
    }

    /// Creates (or resets) an admin with `role` (None: an owner if new, else as it was), as
    /// `greenpoints admin add USERNAME --role ROLE` does.
    pub async fn admin_as(&self, username: &str, password: &str, role: Option<greenpoints::domain::role::Role>) {
        let password = greenpoints::domain::password::Password::parse(password).expect("a valid admin password");
        greenpoints::app::admins::add(&application(&self.graph), &Actor::CommandLine, username, password, role).await.unwrap();
    }

    /// A member's figures as the API answers them, less `team_as_of`, which every fold moves on.
    pub async fn summary(&self, phone: &str) -> Value {
        let mut answer = self.get(&format!("/api/v1/members/{phone}")).await;
        assert_eq!(answer.status, 200, "summary of {phone}: {}", answer.body);
        answer.body.as_object_mut().expect("an object").remove("team_as_of");
        answer.body
    }
}

/// Runs the requests concurrently on this task (no extra dependency for `join_all`).
pub async fn join_all<F: std::future::Future>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output> {
    let mut pinned: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = pinned.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (future, output) in pinned.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none() {
                match future.as_mut().poll(cx) {
                    std::task::Poll::Ready(value) => *output = Some(value),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending { std::task::Poll::Pending } else { std::task::Poll::Ready(()) }
    })
    .await;
    outputs.into_iter().map(Option::unwrap).collect()
}
