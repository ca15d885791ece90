//! Account passwords: parsed at the edge, stored only as Argon2id hashes with OWASP's parameters.
use crate::domain::error_code::ErrorCode;
use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};

/// Argon2id, m = 19456 KiB, t = 2, p = 1 (OWASP's recommendation).
fn hasher() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(19_456, 2, 1, None).expect("valid Argon2 parameters"))
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("a password has 8 to 128 characters")]
    Length,
    #[error("the password is too easy to guess: not the phone or username, and longer or less common")]
    Weak,
}

impl PasswordError {
    pub fn code(&self) -> ErrorCode {
        match self {
            PasswordError::Length => ErrorCode::InvalidPassword,
            PasswordError::Weak => ErrorCode::WeakPassword,
        }
    }
}

/// A password as typed: 8 to 128 characters.
pub struct Password(String);

impl Password {
    /// A password typed to log in with: of a length an account's password can have.
    pub fn parse(text: &str) -> Result<Password, PasswordError> {
        let length = text.chars().count();
        if (8..=128).contains(&length) { Ok(Password(text.to_string())) } else { Err(PasswordError::Length) }
    }

    /// A new password for the account named `account` (a phone, a username): hard enough to
    /// guess (zxcvbn's score 3 or more, "safely unguessable", with the account's name among the
    /// words it tries), and not holding the account's name.
    pub fn choose(text: &str, account: &str) -> Result<Password, PasswordError> {
        let password = Password::parse(text)?;
        let holds_account = !account.is_empty() && text.to_lowercase().contains(&account.to_lowercase());
        if holds_account || zxcvbn::zxcvbn(text, &[account]).score() < zxcvbn::Score::Three {
            return Err(PasswordError::Weak);
        }
        Ok(password)
    }

    /// The PHC string of a fresh salted Argon2id hash.
    pub fn hash(&self) -> String {
        hasher().hash_password(self.0.as_bytes()).expect("Argon2 hashing cannot fail with valid parameters").to_string()
    }

    /// Whether this is the password of a stored hash (the hash's own parameters apply).
    pub fn matches(&self, stored_hash: &str) -> bool {
        PasswordHash::new(stored_hash).is_ok_and(|hash| hasher().verify_password(self.0.as_bytes(), &hash).is_ok())
    }

    /// Spends the time a real check takes, so that an unknown account answers as slowly as a wrong password.
    pub fn waste_a_check(&self) {
        static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let dummy = DUMMY.get_or_init(|| Password("not a real password".into()).hash());
        let _ = self.matches(dummy);
    }
}

#[cfg(test)]
mod tests {
    use super::{Password, PasswordError};

    #[test]
    fn a_new_password_must_be_hard_to_guess_and_not_the_account_s_name() {
        for weak in ["12345678", "password", "password1", "qwertyuiop", "13800000001", "x13800000001x", "operator1"] {
            assert_eq!(Password::choose(weak, "13800000001").err(), Some(PasswordError::Weak), "{weak}");
        }
        assert_eq!(Password::choose("operator-2026", "operator").err(), Some(PasswordError::Weak), "holds the username");
        assert_eq!(Password::choose("short", "13800000001").err(), Some(PasswordError::Length));
        for strong in ["correct horse battery", "ledger-keeper-Moon-7", "a brand new password"] {
            assert!(Password::choose(strong, "13800000001").is_ok(), "{strong}");
        }
        assert!(Password::parse("12345678").is_ok(), "any password of a possible length may be tried at a login");
    }

    #[test]
    fn a_password_matches_its_own_hash_and_no_other() {
        let password = Password::parse("correct horse").unwrap();
        let hash = password.hash();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(password.matches(&hash));
        assert!(!Password::parse("correct horsf").unwrap().matches(&hash));
        assert!(!password.matches("not a hash"));
    }
}
