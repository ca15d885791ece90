//! Members' payout accounts (SPEC §4): sealed with AES-256-GCM under the key of
//! `GREENPOINTS_PAYOUT_KEY` before they reach the database, each bound to its member's phone (a
//! sealed account copied onto another member does not open), and stored beside a masked copy that
//! pages and answers show. Only the bank's payment file opens them.
use std::fmt;

use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::rand::{SecureRandom, SystemRandom};

use super::{AppError, AppResult, Application, audit};
use crate::domain::audit::{Actor, AuditAction, Detail};
use crate::domain::client_address::ClientAddress;
use crate::domain::error_code::ErrorCode;
use crate::domain::payout_account::{Masked, PayoutAccount};
use crate::domain::phone::Phone;
use crate::graph::payout_accounts;

/// What a sealed account starts with: the format, so that another one can follow.
const SEALED_PREFIX: &str = "v1.";

/// The key payout accounts are sealed with: 32 bytes, given as 64 hexadecimal digits.
pub struct PayoutKey(LessSafeKey);

impl fmt::Debug for PayoutKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PayoutKey(…)")
    }
}

impl PayoutKey {
    pub fn parse(hex_text: &str) -> anyhow::Result<PayoutKey> {
        let bytes = hex::decode(hex_text.trim()).ok().filter(|b| b.len() == 32);
        let bytes = bytes.ok_or_else(|| anyhow::anyhow!("a payout key is 64 hexadecimal digits (32 bytes; `openssl rand -hex 32`)"))?;
        let key = UnboundKey::new(&AES_256_GCM, &bytes).map_err(|_| anyhow::anyhow!("AES-256-GCM refused the payout key"))?;
        Ok(PayoutKey(LessSafeKey::new(key)))
    }

    /// A key made at random, as 64 hexadecimal digits (each test server seals under its own).
    pub fn random_hex() -> String {
        let mut bytes = [0u8; 32];
        SystemRandom::new().fill(&mut bytes).expect("the system's random source answers");
        hex::encode(bytes)
    }

    fn seal(&self, phone: &Phone, account: &PayoutAccount) -> AppResult<String> {
        let mut nonce = [0u8; NONCE_LEN];
        SystemRandom::new().fill(&mut nonce).map_err(|_| AppError::corrupt("the system's random source failed"))?;
        let mut sealed = serde_json::to_vec(account).expect("an account is plain data");
        self.0
            .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::from(phone.as_str().as_bytes()), &mut sealed)
            .map_err(|_| AppError::corrupt("sealing a payout account failed"))?;
        Ok(format!("{SEALED_PREFIX}{}{}", hex::encode(nonce), hex::encode(sealed)))
    }

    /// Opens an account sealed for `phone`; `None` when it was sealed under another key or for
    /// another member, or was changed.
    fn open(&self, phone: &str, sealed: &str) -> Option<PayoutAccount> {
        let bytes = hex::decode(sealed.strip_prefix(SEALED_PREFIX)?).ok()?;
        if bytes.len() < NONCE_LEN {
            return None;
        }
        let (nonce, rest) = bytes.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
        let mut rest = rest.to_vec();
        let opened = self.0.open_in_place(nonce, Aad::from(phone.as_bytes()), &mut rest).ok()?;
        serde_json::from_slice(opened).ok()
    }
}

fn key(app: &Application) -> AppResult<&PayoutKey> {
    app.payout_key.as_deref().ok_or_else(|| {
        AppError::refused(
            ErrorCode::PayoutKeyMissing,
            "this server has no GREENPOINTS_PAYOUT_KEY: payout accounts cannot be saved or opened",
        )
    })
}

/// Sets `phone`'s payout account (replacing the one before; withdrawals asked for already keep
/// theirs), with its audit entry; answers it masked.
pub async fn set(app: &Application, actor: &Actor, phone: &Phone, account: &PayoutAccount) -> AppResult<Masked> {
    let sealed = key(app)?.seal(phone, account)?;
    let masked = account.masked();
    let stored_mask = masked.to_stored();
    let now_ms = app.now_ms();
    app.graph
        .write(move |txn| {
            let (actor, phone, sealed, stored_mask) = (actor.clone(), phone.clone(), sealed.clone(), stored_mask.clone());
            Box::pin(async move {
                if !payout_accounts::set_in(txn, &phone, &sealed, &stored_mask).await? {
                    return Err(AppError::member_not_found());
                }
                let detail = Detail { member: Some(phone.to_string()), ..Detail::default() };
                audit(txn, &actor, AuditAction::MemberPayoutAccount, phone.as_str(), &detail, now_ms).await
            })
        })
        .await?;
    Ok(masked)
}

/// A member sets its own payout account: only with its password (a session left open on a
/// shared phone must not send the member's money elsewhere), checked and throttled as a login is.
pub async fn set_own(
    app: &Application,
    phone: &Phone,
    password: &str,
    account: &PayoutAccount,
    client: ClientAddress,
) -> AppResult<Masked> {
    key(app)?;
    super::auth::member_login(app, phone, password, client).await?;
    set(app, &Actor::Member(phone.clone()), phone, account).await
}

/// `phone`'s payout account, masked; `None` when none is set.
pub async fn masked_of(app: &Application, phone: &Phone) -> AppResult<Option<Masked>> {
    let stored = payout_accounts::of_member(&app.graph, phone).await?.ok_or_else(AppError::member_not_found)?;
    stored
        .masked
        .map(|text| Masked::parse(&text).ok_or_else(|| AppError::corrupt(format!("payout account of {phone} does not read"))))
        .transpose()
}

/// A stored withdrawal's account, masked (`None` when it has none).
pub fn masked(stored: Option<&str>) -> Option<Masked> {
    stored.and_then(Masked::parse)
}

/// Opens the account a withdrawal of `phone` was sealed with.
pub fn open(app: &Application, phone: &str, sealed: &str) -> AppResult<PayoutAccount> {
    key(app)?.open(phone, sealed).ok_or_else(|| {
        AppError::corrupt(format!("the payout account of a withdrawal of {phone} does not open with this server's payout key"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account() -> PayoutAccount {
        PayoutAccount::parse("bank_card", "张三", "中国银行", "6222021234567890128").unwrap()
    }

    #[test]
    fn a_sealed_account_opens_with_its_key_for_its_member_only() {
        let key = PayoutKey::parse(&PayoutKey::random_hex()).unwrap();
        let phone = Phone::parse("13800000001").unwrap();
        let sealed = key.seal(&phone, &account()).unwrap();
        for plain in ["6222021234567890128", "张三", "中国银行"] {
            assert!(!sealed.contains(plain) && !sealed.contains(&hex::encode(plain)), "{plain} is not in {sealed}");
        }
        assert_eq!(key.open("13800000001", &sealed), Some(account()));
        assert_eq!(key.open("13800000002", &sealed), None, "bound to its member");
        let other = PayoutKey::parse(&PayoutKey::random_hex()).unwrap();
        assert_eq!(other.open("13800000001", &sealed), None, "another key");
        let mut changed = sealed.clone().into_bytes();
        let last = changed.len() - 1;
        changed[last] = if changed[last] == b'0' { b'1' } else { b'0' };
        assert_eq!(key.open("13800000001", std::str::from_utf8(&changed).unwrap()), None, "changed");
        assert_ne!(key.seal(&phone, &account()).unwrap(), sealed, "a fresh nonce each time");
    }

    #[test]
    fn a_payout_key_is_32_bytes_in_hexadecimal() {
        assert!(PayoutKey::parse(&"ab".repeat(32)).is_ok());
        assert!(PayoutKey::parse(&"ab".repeat(31)).is_err());
        assert!(PayoutKey::parse(&"zz".repeat(32)).is_err());
        assert_eq!(format!("{:?}", PayoutKey::parse(&"ab".repeat(32)).unwrap()), "PayoutKey(…)");
    }
}
