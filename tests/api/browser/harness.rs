//! The browser harness: Debian's chromedriver as a child process (in a process group of its own,
//! killed with the browser it started when the harness is dropped), one headless Chromium session
//! through it (fantoccini), a fresh profile and download folder per session, screenshots saved to
//! `target/screenshots/<test>-<page>-<desktop|phone>.png`.
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

/// How long any wait for the page (an element, a navigation, a download) may take.
pub const WAIT: Duration = Duration::from_secs(20);

/// The two widths every main page is looked at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Width {
    /// 1280×900.
    Desktop,
    /// 390×844, a phone held upright.
    Phone,
}

impl Width {
    pub fn size(self) -> (u32, u32) {
        match self {
            Width::Desktop => (1280, 900),
            Width::Phone => (390, 844),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Width::Desktop => "desktop",
            Width::Phone => "phone",
        }
    }
}

/// The flags headless Chromium needs on these machines: no sandbox (root), no GPU, and none of its
/// own traffic (the network is closed; without these it keeps knocking).
const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
];

/// A headless Chromium driven over WebDriver, on the app at `base`.
pub struct Browser {
    pub client: Client,
    /// The app's address, `http://127.0.0.1:PORT`.
    pub base: String,
    /// Where a clicked download lands.
    pub downloads: PathBuf,
    test: String,
    width: Width,
    scratch: PathBuf,
    driver: Child,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("bind a free port").local_addr().unwrap().port()
}

fn binary(variable: &str, default: &str) -> String {
    std::env::var(variable).unwrap_or_else(|_| default.to_string())
}

/// Kills a process group (chromedriver and the browser it started), best effort.
fn kill_group(child: &mut Child) {
    let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", child.id())]).stderr(Stdio::null()).status();
    let _ = child.kill();
    let _ = child.wait();
}

impl Browser {
    /// Starts chromedriver and a browser session at `width`, for the test named `test` (the
    /// screenshots' prefix), on the app at `base`.
    pub async fn start(test: &str, base: &str, width: Width) -> Browser {
        let scratch = std::env::temp_dir().join(format!("gp-browser-{}", uuid::Uuid::new_v4().simple()));
        let (profile, downloads) = (scratch.join("profile"), scratch.join("downloads"));
        std::fs::create_dir_all(&profile).unwrap();
        std::fs::create_dir_all(&downloads).unwrap();

        let port = free_port();
        let mut driver = Command::new(binary("CHROMEDRIVER", "/usr/bin/chromedriver"))
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", scratch.join("chromedriver.log").display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("start chromedriver (apt-get install chromium chromium-driver; .ci/run does)");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if started.elapsed() > WAIT {
                kill_group(&mut driver);
                panic!("chromedriver did not listen on port {port} within {WAIT:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }

        let (w, h) = width.size();
        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|f| f.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        args.push(format!("--window-size={w},{h}"));
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": binary("CHROMIUM", "/usr/bin/chromium"),
                "args": args,
                "prefs": {
                    "download.default_directory": downloads.display().to_string(),
                    "download.prompt_for_download": false,
                    "download.directory_upgrade": true,
                    "safebrowsing.enabled": false,
                },
            },
        });
        let Value::Object(capabilities) = capabilities else { unreachable!() };
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = match ClientBuilder::new(connector).capabilities(capabilities).connect(&format!("http://127.0.0.1:{port}")).await {
            Ok(client) => client,
            Err(error) => {
                let log = std::fs::read_to_string(scratch.join("chromedriver.log")).unwrap_or_default();
                kill_group(&mut driver);
                panic!("start a headless Chromium session: {error}\n{}", tail(&log, 40));
            }
        };
        let mut browser =
            Browser { client, base: base.trim_end_matches('/').to_string(), downloads, test: test.to_string(), width, scratch, driver };
        browser.resize(width).await;
        browser
    }

    /// Ends the browser session (the harness's drop then stops chromedriver).
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }

    /// Changes the viewport to `width`'s size.
    pub async fn resize(&mut self, width: Width) {
        let (w, h) = width.size();
        self.set_viewport(w, h).await;
        self.width = width;
        let inner = self.client.execute("return [window.innerWidth, window.innerHeight]", vec![]).await.unwrap();
        assert_eq!(inner, json!([w, h]), "the viewport at {}", width.name());
    }

    /// Sizes the window so that its viewport is `w`×`h` (headless Chromium still counts a frame
    /// around the page in the window's height).
    /// A loaded machine applies a new size late, so the size is measured and corrected until the
    /// viewport is right.
    async fn set_viewport(&self, w: u32, h: u32) {
        let (mut outer_w, mut outer_h) = (i64::from(w), i64::from(h));
        for _ in 0..20 {
            self.client.set_window_size(outer_w as u32, outer_h as u32).await.expect("set the window size");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            let inner = self.client.execute("return [window.innerWidth, window.innerHeight]", vec![]).await.unwrap();
            let (iw, ih) = (inner[0].as_i64().unwrap_or(0), inner[1].as_i64().unwrap_or(0));
            if (iw, ih) == (i64::from(w), i64::from(h)) {
                return;
            }
            outer_w += i64::from(w) - iw;
            outer_h += i64::from(h) - ih;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Opens a path of the app and waits for its document to load.
    pub async fn open(&self, path: &str) {
        self.client.goto(&self.url(path)).await.unwrap_or_else(|e| panic!("open {path}: {e}"));
    }

    /// The path (and query) the browser is on.
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.unwrap();
        match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_string(),
        }
    }

    /// Waits for an element to be on the page.
    pub async fn find(&self, css: &str) -> Element {
        match self.client.wait().at_most(WAIT).for_element(Locator::Css(css)).await {
            Ok(element) => element,
            Err(error) => panic!("no `{css}` on {} within {WAIT:?} ({error}); the page:\n{}", self.path().await, self.text().await),
        }
    }

    /// Every element matching `css` now (no waiting).
    pub async fn all(&self, css: &str) -> Vec<Element> {
        self.client.find_all(Locator::Css(css)).await.unwrap()
    }

    /// The visible text of the page.
    pub async fn text(&self) -> String {
        match self.client.find(Locator::Css("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// Types into a field, replacing what it held.
    pub async fn fill(&self, css: &str, value: &str) {
        let field = self.find(css).await;
        field.clear().await.unwrap();
        field.send_keys(value).await.unwrap();
    }

    /// Clicks an element and waits until the browser has left the page it was on (a form
    /// submission or a followed link), then for the new document.
    pub async fn click_and_wait(&self, css: &str) {
        let marker = self.mark_page().await;
        self.find(css).await.click().await.unwrap_or_else(|e| panic!("click `{css}`: {e}"));
        self.wait_until_left(&marker).await;
    }

    /// Puts a marker on the current document, to know when it has been replaced.
    async fn mark_page(&self) -> String {
        let marker = uuid::Uuid::new_v4().simple().to_string();
        self.client.execute("window.__gpMarker = arguments[0]", vec![json!(marker)]).await.unwrap();
        marker
    }

    async fn wait_until_left(&self, marker: &str) {
        let started = Instant::now();
        loop {
            let state = self
                .client
                .execute("return [window.__gpMarker || null, document.readyState]", vec![])
                .await
                .unwrap_or(json!([marker, "loading"]));
            if state[0] != json!(marker) && state[1] == "complete" {
                return;
            }
            assert!(started.elapsed() < WAIT, "the page did not change within {WAIT:?}; still on {}", self.path().await);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the browser is on `path` (query excluded).
    pub async fn wait_for_path(&self, path: &str) {
        let started = Instant::now();
        while self.client.current_url().await.unwrap().path() != path {
            assert!(started.elapsed() < WAIT, "expected to be on {path} within {WAIT:?}, still on {}", self.path().await);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Asserts that the page fits the window's width: wide tables scroll inside their own box,
    /// the page itself never scrolls sideways.
    pub async fn assert_fits_the_width(&self) {
        let overflow = self.client.execute("return document.documentElement.scrollWidth - window.innerWidth", vec![]).await.unwrap();
        let path = self.path().await;
        assert!(overflow.as_i64().unwrap() <= 0, "{path} is {overflow} pixels wider than the {} screen", self.width.name());
    }

    /// Logs in through the login page, as a person would.
    pub async fn login(&self, username: &str, password: &str) {
        self.open("/admin/login").await;
        self.fill("#username", username).await;
        self.fill("#password", password).await;
        self.click_and_wait("button[type=submit]").await;
    }

    /// Saves the whole page (as tall as its content, at the current width) as
    /// `target/screenshots/<test>-<page>-<width>.png`; returns the path.
    pub async fn screenshot(&self, page: &str) -> PathBuf {
        let (w, h) = self.width.size();
        let full = self.client.execute("return document.documentElement.scrollHeight", vec![]).await.unwrap();
        let tall = full.as_u64().map_or(h, |full| (full as u32).clamp(h, 6000));
        if tall != h {
            self.set_viewport(w, tall).await;
        }
        let png = self.client.screenshot().await.expect("take a screenshot");
        if tall != h {
            self.set_viewport(w, h).await;
        }
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "a screenshot is a PNG");
        let folder = screenshots_folder();
        std::fs::create_dir_all(&folder).unwrap();
        let path = folder.join(format!("{}-{page}-{}.png", self.test, self.width.name()));
        std::fs::write(&path, png).unwrap();
        path
    }

    /// Waits for a download to finish in the download folder; returns its path.
    pub async fn downloaded(&self, name_ends_with: &str) -> PathBuf {
        let started = Instant::now();
        loop {
            let done = std::fs::read_dir(&self.downloads)
                .unwrap()
                .filter_map(|e| e.ok().map(|e| e.path()))
                .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy().ends_with(name_ends_with)));
            if let Some(path) = done {
                return path;
            }
            assert!(started.elapsed() < WAIT, "no download ending in {name_ends_with} within {WAIT:?} in {}", self.downloads.display());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The value of a cookie the browser holds for the app, if any.
    pub async fn cookie(&self, name: &str) -> Option<String> {
        self.client.get_named_cookie(name).await.ok().map(|c| c.value().to_string())
    }
}

pub fn screenshots_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target").join("screenshots")
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

impl Drop for Browser {
    fn drop(&mut self) {
        kill_group(&mut self.driver);
        let _ = std::fs::remove_dir_all(&self.scratch);
    }
}
