//! The database stops answering (frozen) or goes away (down), seen through a proxy between the
//! server and the embedded database: requests answer 503 `database_unavailable` with
//! `Retry-After` within 5 seconds instead of hanging, and once the database is back the same
//! server answers correctly again within seconds, without a restart.
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use greenpoints::graph::{Graph, GraphConfig};
use greenpoints::http;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::helpers::{at, spawn_app};

const A: &str = "13800000001";

const PASS: u8 = 0;
const FROZEN: u8 = 1;
const DOWN: u8 = 2;

/// A TCP proxy to the database's Bolt port that can stop forwarding (frozen: connections stay
/// open, nothing moves) or drop every connection and refuse new ones (down).
#[derive(Clone)]
struct FaultyLink {
    mode: Arc<AtomicU8>,
    /// Bumped when the link goes down: connections of an older generation close.
    generation: Arc<AtomicU64>,
}

impl FaultyLink {
    async fn start(upstream: String) -> (FaultyLink, String) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap().to_string();
        let link = FaultyLink { mode: Arc::default(), generation: Arc::default() };
        let accepting = link.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                if accepting.mode.load(Ordering::SeqCst) == DOWN {
                    continue; // dropped at once: the connection is refused
                }
                let Ok(server) = TcpStream::connect(&upstream).await else { continue };
                let (client_read, client_write) = client.into_split();
                let (server_read, server_write) = server.into_split();
                tokio::spawn(accepting.clone().forward(client_read, server_write));
                tokio::spawn(accepting.clone().forward(server_read, client_write));
            }
        });
        (link, address)
    }

    async fn forward(self, mut from: tokio::net::tcp::OwnedReadHalf, mut to: tokio::net::tcp::OwnedWriteHalf) {
        let generation = self.generation.load(Ordering::SeqCst);
        let mut buffer = vec![0u8; 64 * 1024];
        loop {
            let read = tokio::select! {
                read = from.read(&mut buffer) => read,
                _ = self.gone(generation) => return,
            };
            let Ok(n @ 1..) = read else { return };
            while self.mode.load(Ordering::SeqCst) == FROZEN {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            if self.generation.load(Ordering::SeqCst) != generation || to.write_all(&buffer[..n]).await.is_err() {
                return;
            }
        }
    }

    async fn gone(&self, generation: u64) {
        while self.generation.load(Ordering::SeqCst) == generation {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    fn set(&self, mode: u8) {
        if mode == DOWN {
            self.generation.fetch_add(1, Ordering::SeqCst);
        }
        self.mode.store(mode, Ordering::SeqCst);
    }
}

/// A GET of the member through the server; its status, error code and how long it took.
async fn read_member(client: &reqwest::Client, base: &str, key: &str) -> (u16, String, Option<String>, Duration) {
    let started = Instant::now();
    let response = client.get(format!("{base}/api/v1/members/{A}")).bearer_auth(key).send().await.expect("the server answers");
    let status = response.status().as_u16();
    let retry_after = response.headers().get("retry-after").map(|v| v.to_str().unwrap().to_string());
    let body: serde_json::Value = response.json().await.unwrap_or_default();
    let code = body["error"]["code"].as_str().or(body["phone"].as_str()).unwrap_or_default().to_string();
    (status, code, retry_after, started.elapsed())
}

async fn until_answered(client: &reqwest::Client, base: &str, key: &str) -> Duration {
    let started = Instant::now();
    loop {
        let (status, code, _, _) = read_member(client, base, key).await;
        if status == 200 && code == A {
            return started.elapsed();
        }
        assert!(started.elapsed() < Duration::from_secs(30), "the server did not recover: {status} {code}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_frozen_or_vanished_database_answers_503_within_seconds_and_the_server_recovers_by_itself() {
    let direct = spawn_app().await;
    direct.member(A, None).await;
    let upstream = std::env::var("GREENPOINTS_GRAPH_URI").unwrap_or_else(|_| "bolt://127.0.0.1:7687".into());
    let (link, proxy) = FaultyLink::start(upstream.trim_start_matches("bolt://").to_string()).await;
    let config = GraphConfig {
        uri: format!("bolt://{proxy}"),
        user: "root".into(),
        password: crate::helpers::password().into(),
        database: direct.database.to_string(),
    };
    let graph = Graph::connect(&config).await.expect("connect through the proxy");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(http::serve(listener, crate::helpers::application(&graph)).unwrap());
    let client = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().unwrap();
    let key = direct.key.clone();
    assert_eq!(read_member(&client, &base, &key).await.0, 200);

    for (fault, mode) in [("frozen", FROZEN), ("down", DOWN)] {
        link.set(mode);
        for _ in 0..3 {
            let (status, code, retry_after, took) = read_member(&client, &base, &key).await;
            assert_eq!((status, code.as_str()), (503, "database_unavailable"), "database {fault}");
            assert!(retry_after.is_some(), "a 503 says when to try again");
            assert!(took < Duration::from_secs(5), "database {fault}: answered after {took:?}");
        }
        let ready = client.get(format!("{base}/readyz")).send().await.unwrap();
        assert_eq!(ready.status(), 503, "not ready while the database is {fault}");
        let order = json!({"order_id": format!("during-{fault}"), "phone": A, "amount": "3000.00", "paid_at": at(1, "10:00")});
        let started = Instant::now();
        let refused = client.post(format!("{base}/api/v1/orders")).bearer_auth(&key).json(&order).send().await.unwrap();
        assert_eq!(refused.status(), 503, "an order while the database is {fault}");
        assert!(started.elapsed() < Duration::from_secs(5), "database {fault}: the order answered after {:?}", started.elapsed());

        link.set(PASS);
        let recovered = until_answered(&client, &base, &key).await;
        assert!(recovered < Duration::from_secs(10), "the server took {recovered:?} to answer again after the database was {fault}");
        // The mall sends the refused order again: stored once, whether or not the first attempt
        // reached the database before it stopped answering.
        let again = client.post(format!("{base}/api/v1/orders")).bearer_auth(&key).json(&order).send().await.unwrap();
        assert_eq!(again.status(), 201, "the order sent again after the database was {fault}");
    }
    assert_eq!(direct.summary(A).await["pool"], "15000.00", "two orders of 3000.00, each granted 7500.00 once");
    direct.assert_verified().await;
}
