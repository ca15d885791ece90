//! Outgoing HTTP clients (the SMS webhook, the page bench): reqwest over rustls with ring, the
//! cryptography neo4rs already brings.
//!
//! reqwest's own choice, aws-lc, is a C library whose build adds minutes to a cold build; with
//! `rustls-no-provider` reqwest uses the process's default provider, installed here.

/// A client builder; every outgoing client starts here.
pub fn builder() -> reqwest::ClientBuilder {
    // Installing twice is refused, harmlessly: the first one stays.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
}
