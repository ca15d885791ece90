//! Account passwords: parsed at the edge, stored only as Argon2id hashes with OWASP's parameters.
use argon2::{Algorithm, Argon2, Params, PasswordHasher, Version};

/// Argon2id, m = 19456 KiB, t = 2, p = 1 (OWASP's recommendation).
fn hasher() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(19_456, 2, 1, None).expect("valid Argon2 parameters"))
}

#[derive(Debug, thiserror::Error)]
#[error("a password has 8 to 128 characters")]
pub struct PasswordError;

impl PasswordError {
    pub fn code(&self) -> &'static str {
        "invalid_password"
    }
}

/// A password as typed: 8 to 128 characters.
pub struct Password(String);

impl Password {
    pub fn parse(text: &str) -> Result<Password, PasswordError> {
        let length = text.chars().count();
        if (8..=128).contains(&length) { Ok(Password(text.to_string())) } else { Err(PasswordError) }
    }

    /// The PHC string of a fresh salted Argon2id hash.
    pub fn hash(&self) -> String {
        hasher().hash_password(self.0.as_bytes()).expect("Argon2 hashing cannot fail with valid parameters").to_string()
    }
}
