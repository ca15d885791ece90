//! Real crashes: a large settlement cut off halfway by SIGKILL, of the `greenpoints` process and
//! separately of the database itself; a refund and orders accepted while the run stands stopped;
//! then `greenpoints serve` started again, which serves at once and finishes the run in the
//! background. The day must come out exactly as an uninterrupted run on an identically seeded
//! database, with the same refund and orders arriving after it.
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Utc;
use greenpoints::app::{settle, verify};
use greenpoints::domain::day::BusinessDay;
use greenpoints::domain::money::Money;
use greenpoints::graph::settlements::{days, statements};
use greenpoints::graph::{Graph, GraphConfig, schema};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestDatabase, at, password, serve_on, spawn_app};

const TZ: chrono_tz::Tz = chrono_tz::Asia::Shanghai;
pub const SEED: [&str; 7] = ["seed", "--members", "20000", "--seed", "11", "--days", "3"];
const SETTLE: [&str; 5] = ["settle", "--date", "today", "--batch-members", "1000"];

/// Where a `greenpoints` process finds its database.
pub struct Target {
    uri: String,
    database: String,
}

impl Target {
    pub fn shared(app: &TestApp) -> Target {
        let uri = std::env::var("GREENPOINTS_GRAPH_URI").unwrap_or_else(|_| "bolt://127.0.0.1:7687".into());
        Target { uri, database: app.database.to_string() }
    }

    fn greenpoints(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_greenpoints"));
        command
            .args(args)
            .env("GREENPOINTS_GRAPH_URI", &self.uri)
            .env("GREENPOINTS_GRAPH_DB", &self.database)
            .env("GREENPOINTS_GRAPH_PASSWORD", password())
            // A killed run is taken over two seconds after its last sign of life.
            .env("GREENPOINTS_SETTLEMENT_LEASE_SECONDS", "2")
            .env("GREENPOINTS_AUTO_SETTLE", "false")
            .env("GREENPOINTS_SMS", "outbox")
            .env("GREENPOINTS_PAYOUT_KEY", "ab".repeat(32))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        command
    }

    /// Starts `greenpoints args` with its stderr kept in a file of its own (a file, not a pipe,
    /// so a chatty run never stalls on a full pipe); the child and the file.
    fn spawn_keeping_stderr(&self, args: &[&str]) -> (Child, std::path::PathBuf) {
        let said = std::env::temp_dir().join(format!("greenpoints-settle-{}.log", uuid::Uuid::new_v4().simple()));
        let child = self.greenpoints(args).stderr(std::fs::File::create(&said).unwrap()).spawn().unwrap();
        (child, said)
    }

    pub fn run(&self, args: &[&str]) {
        let output = self.greenpoints(args).stderr(Stdio::piped()).output().unwrap();
        assert!(
            output.status.success(),
            "greenpoints {args:?} on {}: {}; it said: {}",
            self.database,
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// `greenpoints serve` on a free loopback port; its address.
    fn serve(&self) -> (Child, String) {
        let port = free_port();
        let child = self.greenpoints(&["serve"]).env("GREENPOINTS_BIND", format!("127.0.0.1:{port}")).spawn().unwrap();
        (child, format!("http://127.0.0.1:{port}"))
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
struct Balances {
    phone: String,
    granted_pool_fen: i64,
    moved_fen: i64,
    credited_fen: i64,
    frozen_fen: i64,
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
struct OrderFigures {
    order_id: String,
    start_day: String,
    released_fen: i64,
    remaining_fen: i64,
    remaining_day: Option<String>,
    refunded: bool,
    refund_pending: bool,
    refunded_fen: i64,
}

/// Everything a settlement decides (each statement's figures; the balances after them are those
/// of the moment it was written, so they are left out), and every balance and order's figures.
async fn books(graph: &Graph, day: BusinessDay) -> (Vec<statements::StatementRow>, Vec<Balances>, Vec<OrderFigures>) {
    let mut statements = statements::payouts(graph, day, None, 1_000_000).await.unwrap();
    for statement in &mut statements {
        (statement.pool_after, statement.available_after) = (Money::ZERO, Money::ZERO);
    }
    let mut balances: Vec<Balances> = graph.rows(greenpoints::cypher!("verify/members")).await.unwrap();
    balances.sort_by(|a, b| a.phone.cmp(&b.phone));
    let mut orders: Vec<OrderFigures> = graph.rows(greenpoints::cypher!("verify/orders")).await.unwrap();
    orders.sort_by(|a, b| a.order_id.cmp(&b.order_id));
    (statements, balances, orders)
}

/// What arrives after the run began: a refund of an old order, an order paid yesterday (late
/// for today's run) and one paid today, for members of the seeded network.
async fn arrivals(app: &TestApp) {
    #[derive(Deserialize)]
    struct Seeded {
        order_id: String,
        phone: String,
    }
    let mut orders: Vec<Seeded> = app.graph.rows(greenpoints::cypher!("verify/orders")).await.unwrap();
    orders.sort_by(|a, b| a.order_id.cmp(&b.order_id));
    let refund = app.post(&format!("/api/v1/orders/{}/refund", orders[0].order_id), json!({})).await;
    assert_eq!(refund.status, 200, "{}", refund.body);
    let tomorrow = BusinessDay::of(Utc::now(), TZ).succ().to_string();
    for (id, paid_at) in [("after-late", at(1, "12:00")), ("after-today", Utc::now().to_rfc3339())] {
        let body = json!({"order_id": id, "phone": orders[1].phone, "amount": "9000.00", "paid_at": paid_at});
        let answer = app.post("/api/v1/orders", body).await;
        assert_eq!((answer.status, answer.body["counts_from"].as_str()), (201, Some(tomorrow.as_str())), "{}", answer.body);
    }
}

/// Waits until `graph` shows a run of today with at least three batches written.
/// `said` is the file of the run's stderr, shown when the run ends too soon.
async fn when_three_batches_are_written(graph: &Graph, settling: &mut Child, said: &std::path::Path) {
    let started = Instant::now();
    loop {
        if let Ok(Some(running)) = days::running(graph).await
            && running.batches_done >= 3
        {
            return;
        }
        if let Some(status) = settling.try_wait().unwrap() {
            let said = std::fs::read_to_string(said).unwrap_or_default();
            panic!("the run ended ({status}) before it could be killed: {said}");
        }
        assert!(started.elapsed() < Duration::from_secs(180), "the run never got going");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Restarts the server and waits, asking it all the while, until it has finished the stopped run.
async fn restart_and_wait_for_the_run(target: &Target, graph: &Graph) {
    let stopped = days::running(graph).await.unwrap().expect("the killed run left its day running");
    assert!(stopped.batches_done >= 3 && stopped.batches_done < stopped.batches_total, "killed halfway: {stopped:?}");
    let (mut server, address) = target.serve();
    let client = reqwest::Client::new();
    let started = Instant::now();
    let mut served_while_running = 0;
    loop {
        assert!(started.elapsed() < Duration::from_secs(180), "the restarted server did not finish the run");
        assert!(server.try_wait().unwrap().is_none(), "the restarted server exited");
        let Ok(ready) = client.get(format!("{address}/readyz")).send().await else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        assert_eq!(ready.status(), 200);
        let ready: Value = ready.json().await.unwrap();
        if ready["settlement_running"].is_null() && ready["settlement_closing"].is_null() {
            break;
        }
        served_while_running += 1;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(served_while_running > 0, "the server answered while it was finishing the run");
    server.kill().unwrap();
    server.wait().unwrap();
}

async fn assert_same_books(whole: &TestApp, crashed: &Graph) {
    let today = BusinessDay::of(Utc::now(), TZ);
    let (expected, got) = (books(&whole.graph, today).await, books(crashed, today).await);
    assert!(expected.0.len() > 5_000, "a large day: {} statements", expected.0.len());
    assert_eq!(expected.0.len(), got.0.len(), "as many statements");
    for (expected, got) in expected.0.iter().zip(&got.0) {
        assert_eq!(expected, got, "every statement");
    }
    for (expected, got) in expected.1.iter().zip(&got.1) {
        assert_eq!(expected, got, "every balance");
    }
    assert_eq!(expected.2.len(), got.2.len(), "as many orders");
    for (expected, got) in expected.2.iter().zip(&got.2) {
        assert_eq!(expected, got, "every order");
    }
    assert_eq!(verify::verify(&whole.graph).await.unwrap(), []);
    assert_eq!(verify::verify(crashed).await.unwrap(), []);
}

/// The uninterrupted run, with the refund and orders after it.
async fn uninterrupted() -> TestApp {
    let whole = spawn_app().await;
    let target = Target::shared(&whole);
    target.run(&SEED);
    target.run(&SETTLE);
    arrivals(&whole).await;
    whole
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_settlement_whose_process_is_killed_halfway_is_finished_by_the_restarted_server_as_if_uninterrupted() {
    let (whole, crashed) = (uninterrupted().await, spawn_app().await);
    let target = Target::shared(&crashed);
    target.run(&SEED);
    let (mut settling, said) = target.spawn_keeping_stderr(&SETTLE);
    when_three_batches_are_written(&crashed.graph, &mut settling, &said).await;
    settling.kill().unwrap(); // SIGKILL
    settling.wait().unwrap();

    arrivals(&crashed).await;
    restart_and_wait_for_the_run(&target, &crashed.graph).await;
    assert_same_books(&whole, &crashed.graph).await;
}

/// An ArcadeDB server of the test's own (the shared one serves every other test), on free ports
/// over a directory that outlives its process.
struct OwnDatabaseServer {
    root: PathBuf,
    http_port: u16,
    bolt_port: u16,
    process: Child,
}

impl OwnDatabaseServer {
    fn start(root: &Path, http_port: u16, bolt_port: u16) -> OwnDatabaseServer {
        OwnDatabaseServer { root: root.to_path_buf(), http_port, bolt_port, process: launch(root, http_port, bolt_port) }
    }

    fn config(&self, database: &str) -> GraphConfig {
        GraphConfig {
            uri: format!("bolt://127.0.0.1:{}", self.bolt_port),
            user: "root".into(),
            password: password().into(),
            database: database.into(),
        }
    }

    fn kill(&mut self) {
        self.process.kill().unwrap(); // SIGKILL
        self.process.wait().unwrap();
    }

    /// Starts the killed server again over the same directory: it recovers from its journal.
    fn restart(&mut self) {
        self.process = launch(&self.root, self.http_port, self.bolt_port);
    }
}

/// Starts an ArcadeDB server as `make db` does, and waits until it answers.
fn launch(root: &Path, http_port: u16, bolt_port: u16) -> Child {
    let home = Path::new(env!("CARGO_MANIFEST_DIR")).join(".arcadedb/venv/lib");
    let package = std::fs::read_dir(&home)
        .unwrap()
        .map(|python| python.unwrap().path().join("site-packages/arcadedb_embedded"))
        .find(|p| p.exists())
        .expect("arcadedb-embedded installed by `make db`");
    let process = Command::new(package.join("jre/bin/java"))
        .arg("-Xmx2g")
        .arg("-cp")
        .arg(format!("{}/*", package.join("jars").display()))
        .arg(format!("-Darcadedb.server.rootPassword={}", password()))
        .arg(format!("-Darcadedb.server.rootPath={}", root.display()))
        .arg(format!("-Darcadedb.server.databaseDirectory={}", root.join("databases").display()))
        .arg("-Darcadedb.server.httpIncomingHost=127.0.0.1")
        .arg(format!("-Darcadedb.server.httpIncomingPort={http_port}"))
        .arg("-Darcadedb.txWalFlush=2")
        .arg("-Darcadedb.server.plugins=Bolt:com.arcadedb.bolt.BoltProtocolPlugin")
        .arg("-Darcadedb.bolt.host=127.0.0.1")
        .arg(format!("-Darcadedb.bolt.port={bolt_port}"))
        .arg("com.arcadedb.server.ArcadeDBServer")
        .current_dir(root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while reqwest::blocking::get(format!("http://127.0.0.1:{http_port}/api/v1/ready")).is_err() {
        assert!(started.elapsed() < Duration::from_secs(90), "the test's own ArcadeDB did not start");
        std::thread::sleep(Duration::from_millis(200));
    }
    process
}

impl Drop for OwnDatabaseServer {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_settlement_whose_database_is_killed_halfway_is_finished_by_the_restarted_server_as_if_uninterrupted() {
    let whole = uninterrupted().await;
    let root = std::env::temp_dir().join(format!("greenpoints-crash-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&root).unwrap();
    let mut database_server = tokio::task::spawn_blocking(move || OwnDatabaseServer::start(&root, free_port(), free_port())).await.unwrap();
    let name = format!("t{}", uuid::Uuid::new_v4().simple());
    let config = database_server.config(&name);
    let http_port = database_server.http_port;
    let create = format!("create database {name}");
    tokio::task::spawn_blocking(move || {
        reqwest::blocking::Client::new()
            .post(format!("http://127.0.0.1:{http_port}/api/v1/server"))
            .basic_auth("root", Some(password()))
            .json(&json!({ "command": create }))
            .send()
            .and_then(|r| r.error_for_status())
    })
    .await
    .unwrap()
    .expect("create the database");
    let target = Target { uri: config.uri.clone(), database: name.clone() };
    target.run(&SEED);

    let watcher = Graph::connect(&config).await.unwrap();
    let (mut settling, said) = target.spawn_keeping_stderr(&SETTLE);
    when_three_batches_are_written(&watcher, &mut settling, &said).await;
    let mut database_server = tokio::task::spawn_blocking(move || {
        database_server.kill();
        database_server
    })
    .await
    .unwrap();
    let status = settling.wait().unwrap();
    assert!(!status.success(), "the run cannot finish without its database");
    database_server = tokio::task::spawn_blocking(move || {
        database_server.restart();
        database_server
    })
    .await
    .unwrap();

    let graph = Graph::connect(&config).await.unwrap();
    schema::apply(&graph, Utc::now().timestamp_millis()).await.unwrap();
    let crashed = serve_on(graph, TestDatabase(name)).await;
    arrivals(&crashed).await;
    restart_and_wait_for_the_run(&target, &crashed.graph).await;
    assert_same_books(&whole, &crashed.graph).await;
    drop(database_server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_asked_to_stop_ends_its_run_after_the_batch_it_is_writing_and_another_takes_the_day_over_at_once() {
    let app = spawn_app().await;
    let target = Target::shared(&app);
    target.run(&SEED);
    let port = free_port();
    // A lease far longer than the test: the day is taken over at once only if the claim is given up.
    let mut server = target
        .greenpoints(&["serve"])
        .env("GREENPOINTS_BIND", format!("127.0.0.1:{port}"))
        .env("GREENPOINTS_SETTLEMENT_LEASE_SECONDS", "600")
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    let started = Instant::now();
    while client.get(format!("http://127.0.0.1:{port}/healthz")).send().await.is_err() {
        assert!(started.elapsed() < Duration::from_secs(60), "the server did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let settle = client
        .post(format!("http://127.0.0.1:{port}/api/v1/settlements"))
        .bearer_auth(&app.key)
        .json(&json!({"date": crate::helpers::day(0)}))
        .send();
    let answer = tokio::spawn(settle);
    let started = Instant::now();
    loop {
        if let Some(running) = days::running(&app.graph).await.unwrap()
            && running.batches_done >= 1
        {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(120), "the run never got going");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let stopping = Instant::now();
    assert!(Command::new("kill").arg("-TERM").arg(server.id().to_string()).status().unwrap().success());
    let status = server.wait().unwrap();
    assert!(status.success(), "a clean exit: {status}");
    assert!(stopping.elapsed() < Duration::from_secs(20), "it stopped within a batch: {:?}", stopping.elapsed());
    let answer = answer.await.unwrap().unwrap();
    assert_eq!(answer.status(), 503, "the run's client is told to come back");
    let left = days::running(&app.graph).await.unwrap().expect("the day is left to another run");
    assert!(left.batches_done < left.batches_total, "stopped halfway: {left:?}");
    assert_eq!(left.lease_until_ms, Some(0), "the claim was given up");

    let taking_over = Instant::now();
    target.run(&SETTLE);
    assert!(taking_over.elapsed() < Duration::from_secs(60), "taken over without waiting for the lease");
    assert!(days::running(&app.graph).await.unwrap().is_none());
    assert_eq!(verify::verify(&app.graph).await.unwrap(), []);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_whose_batches_take_longer_than_a_third_of_its_lease_writes_them_without_losing_to_its_own_heartbeat() {
    let app = spawn_app().await;
    Target::shared(&app).run(&["seed", "--members", "3000", "--seed", "5", "--days", "3"]);
    // The heartbeat renews every 10 ms, far more often than a batch of 1,000 members commits: a
    // renewal committed under a batch would make the batch's commit lose and run again, for ever.
    let options = settle::Options { batch_members: 1_000, lease: Duration::from_millis(30), ..settle::Options::default() };
    let today = BusinessDay::of(Utc::now(), TZ);
    let mut batches = 0;
    let started = Instant::now();
    let settled = settle::settle_through(&app.graph, TZ, today, Utc::now(), options, |progress| {
        if let settle::Progress::Batch { .. } = progress {
            batches += 1;
        }
    })
    .await
    .unwrap();
    assert_eq!(settled, [today]);
    assert!(batches >= 2, "the day took {batches} batches");
    assert!(started.elapsed() < Duration::from_secs(30), "no batch ran again for long: {:?}", started.elapsed());
    assert_eq!(verify::verify(&app.graph).await.unwrap(), []);
}
