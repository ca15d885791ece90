//! A member's invitation code (邀请码): what an invitation link carries instead of the sponsor's
//! phone (SPEC §5). Eight characters of Crockford's base32 (digits and capital letters without
//! I, L, O and U), drawn at random: 40 bits, unrelated to the phone, short enough to read out
//! or type, and read back leniently (lower case, I and L as 1, O as 0, spaces and dashes left out).
use std::fmt;

use crate::domain::error_code::ErrorCode;

/// Crockford's base32 alphabet.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Refused: not eight characters of the alphabet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("an invitation code has 8 characters: digits and letters, as the invitation link carries it")]
pub struct InvitationCodeError;

impl InvitationCodeError {
    pub fn code(&self) -> ErrorCode {
        ErrorCode::InvalidInvitation
    }
}

/// Eight characters of [`ALPHABET`], in its canonical (upper-case) spelling.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct InvitationCode(String);

impl InvitationCode {
    pub const LEN: usize = 8;

    /// A new random code (from the thread's cryptographically secure generator).
    pub fn generate() -> InvitationCode {
        let bytes: [u8; Self::LEN] = rand::random();
        InvitationCode(bytes.iter().map(|b| char::from(ALPHABET[usize::from(b & 31)])).collect())
    }

    /// Reads a code as people type it: case does not matter, `I`/`L` read as `1` and `O` as `0`,
    /// spaces and dashes between the characters are left out.
    pub fn parse(text: &str) -> Result<InvitationCode, InvitationCodeError> {
        let mut code = String::with_capacity(Self::LEN);
        for c in text.trim().chars().filter(|c| *c != '-' && *c != ' ') {
            let c = match c.to_ascii_uppercase() {
                'I' | 'L' => '1',
                'O' => '0',
                c => c,
            };
            if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) || code.len() == Self::LEN {
                return Err(InvitationCodeError);
            }
            code.push(c);
        }
        if code.len() == Self::LEN { Ok(InvitationCode(code)) } else { Err(InvitationCodeError) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for InvitationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_code_has_eight_characters_of_the_alphabet_and_reads_back_as_itself() {
        for _ in 0..1000 {
            let code = InvitationCode::generate();
            assert_eq!(code.as_str().len(), InvitationCode::LEN);
            assert!(code.as_str().bytes().all(|b| ALPHABET.contains(&b)), "{code}");
            assert_eq!(InvitationCode::parse(code.as_str()), Ok(code.clone()));
        }
    }

    #[test]
    fn new_codes_differ() {
        let codes: std::collections::HashSet<String> = (0..10_000).map(|_| InvitationCode::generate().0).collect();
        assert_eq!(codes.len(), 10_000);
    }

    #[test]
    fn a_code_is_read_as_people_type_it() {
        let canonical = InvitationCode::parse("7K3M9Q2X").unwrap();
        for typed in ["7k3m9q2x", " 7K3M-9Q2X ", "7K3M 9Q2X"] {
            assert_eq!(InvitationCode::parse(typed), Ok(canonical.clone()), "{typed:?}");
        }
        assert_eq!(InvitationCode::parse("I0L0o0i0").unwrap().as_str(), "10100010");
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in ["", "7K3M9Q2", "7K3M9Q2XY", "7K3M9Q2U", "7K3M9Q2*", "１２３４５６７８", "13800000001"] {
            assert_eq!(InvitationCode::parse(bad), Err(InvitationCodeError), "{bad:?}");
            assert_eq!(InvitationCodeError.code(), ErrorCode::InvalidInvitation);
        }
    }
}
