//! Where a member's withdrawals are paid (SPEC §4): the member's real name with a bank card
//! (its number passing the Luhn check, and the bank's name) or an Alipay account (a phone number
//! or an e-mail address). Shown masked everywhere but in the bank's export.
use serde::{Deserialize, Serialize};

use crate::domain::error_code::ErrorCode;
use crate::domain::name::Name;
use crate::domain::phone::Phone;

/// Refused: which part of a payout account does not read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PayoutAccountError {
    #[error("the account kind is bank_card or alipay")]
    Kind,
    #[error("a real name has 1 to 50 characters, without control or formatting characters, not starting with = + - @")]
    RealName,
    #[error("a bank's name has 1 to 50 characters, not starting with = + - @")]
    Bank,
    #[error("a bank card number has 12 to 19 digits and passes the Luhn check")]
    CardNumber,
    #[error("an Alipay account is a mobile phone number or an e-mail address")]
    Alipay,
}

impl PayoutAccountError {
    pub fn code(&self) -> ErrorCode {
        match self {
            PayoutAccountError::Kind => ErrorCode::InvalidAccountKind,
            PayoutAccountError::RealName => ErrorCode::InvalidRealName,
            PayoutAccountError::Bank => ErrorCode::InvalidBank,
            PayoutAccountError::CardNumber => ErrorCode::InvalidCardNumber,
            PayoutAccountError::Alipay => ErrorCode::InvalidAlipayAccount,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    BankCard,
    Alipay,
}

impl AccountKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::BankCard => "bank_card",
            AccountKind::Alipay => "alipay",
        }
    }

    pub fn parse(text: &str) -> Option<AccountKind> {
        [AccountKind::BankCard, AccountKind::Alipay].into_iter().find(|k| k.as_str() == text.trim())
    }
}

/// A payout account that reads: what is sealed in the database, and what the bank's export shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayoutAccount {
    pub kind: AccountKind,
    pub real_name: String,
    /// The bank's name, for a bank card; empty for Alipay.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub bank: String,
    /// The card number's digits, or the Alipay account.
    pub number: String,
}

/// Whether the digits pass the Luhn check (every second digit from the right doubled).
fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 1 { if d * 2 > 9 { d * 2 - 9 } else { d * 2 } } else { d }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// A card number as typed (spaces and dashes between the groups allowed): its digits, checked.
fn card_number(text: &str) -> Result<String, PayoutAccountError> {
    let kept: String = text.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if !(12..=19).contains(&kept.len()) || !kept.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PayoutAccountError::CardNumber);
    }
    let digits: Vec<u8> = kept.bytes().map(|b| b - b'0').collect();
    if luhn(&digits) { Ok(kept) } else { Err(PayoutAccountError::CardNumber) }
}

/// An Alipay account: a mobile phone number, or an e-mail address of plain ASCII.
fn alipay_account(text: &str) -> Result<String, PayoutAccountError> {
    let text = text.trim();
    if let Ok(phone) = Phone::parse(text) {
        return Ok(phone.as_str().to_string());
    }
    let well_formed = text.len() <= 100
        && text.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && text.chars().all(|c| c.is_ascii_alphanumeric() || "@.-_+".contains(c))
        });
    if well_formed { Ok(text.to_ascii_lowercase()) } else { Err(PayoutAccountError::Alipay) }
}

/// A name on the bank's payment file: a name as any other, but not starting with what a
/// spreadsheet reads as a formula (`=`, `+`, `-`, `@`).
fn file_name(text: &str) -> Option<String> {
    let name = Name::parse(text).ok()?;
    (!name.as_str().starts_with(['=', '+', '-', '@'])).then(|| name.as_str().to_string())
}

impl PayoutAccount {
    /// A payout account from what was typed: the kind's name (`bank_card`, `alipay`), the real
    /// name, the bank (bank cards only; ignored for Alipay) and the number or account.
    pub fn parse(kind: &str, real_name: &str, bank: &str, number: &str) -> Result<PayoutAccount, PayoutAccountError> {
        let kind = AccountKind::parse(kind).ok_or(PayoutAccountError::Kind)?;
        let real_name = file_name(real_name).ok_or(PayoutAccountError::RealName)?;
        let (bank, number) = match kind {
            AccountKind::BankCard => {
                let bank = file_name(bank).ok_or(PayoutAccountError::Bank)?;
                (bank, card_number(number)?)
            }
            AccountKind::Alipay => (String::new(), alipay_account(number)?),
        };
        Ok(PayoutAccount { kind, real_name, bank, number })
    }

    /// The account as pages and answers show it: the name with all but its first character
    /// hidden, and the number's last four digits (`张** · 中国银行 ···· 0123`, `张** · 支付宝 138****0001`).
    pub fn masked(&self) -> Masked {
        let name: String = self.real_name.chars().enumerate().map(|(i, c)| if i == 0 { c } else { '*' }).collect();
        let number = match self.kind {
            AccountKind::BankCard => format!("···· {}", &self.number[self.number.len() - 4..]),
            AccountKind::Alipay => match Phone::parse(&self.number) {
                Ok(phone) => phone.masked(),
                Err(_) => {
                    let (local, domain) = self.number.split_once('@').unwrap_or((&self.number, ""));
                    format!("{}***@{domain}", local.chars().next().unwrap_or('*'))
                }
            },
        };
        Masked { kind: self.kind, name, bank: self.bank.clone(), number }
    }
}

/// A payout account as it may be shown: nothing in it pays anyone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Masked {
    pub kind: AccountKind,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub bank: String,
    pub number: String,
}

impl Masked {
    /// As stored beside the sealed account.
    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).expect("a masked account is plain data")
    }

    pub fn parse(stored: &str) -> Option<Masked> {
        serde_json::from_str(stored).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_numbers_pass_only_with_a_right_luhn_digit() {
        for good in ["6222021234567890128", "4111 1111 1111 1111", "6228-4800-0000-0000-000"] {
            assert!(PayoutAccount::parse("bank_card", "张三", "中国银行", good).is_ok(), "{good}");
        }
        for bad in ["6222021234567890127", "4111 1111 1111 1112", "12345678901", "41111111111111111111", "4111a11111111111"] {
            assert_eq!(PayoutAccount::parse("bank_card", "张三", "中国银行", bad), Err(PayoutAccountError::CardNumber), "{bad}");
        }
    }

    #[test]
    fn a_bank_card_needs_its_bank_and_every_account_a_real_name() {
        assert_eq!(PayoutAccount::parse("bank_card", "张三", " ", "4111111111111111"), Err(PayoutAccountError::Bank));
        assert_eq!(PayoutAccount::parse("alipay", "", "", "13800000001"), Err(PayoutAccountError::RealName));
        assert_eq!(PayoutAccount::parse("wechat", "张三", "", "13800000001"), Err(PayoutAccountError::Kind));
        assert_eq!(PayoutAccount::parse("alipay", "张\u{202e}三", "", "13800000001"), Err(PayoutAccountError::RealName));
        // The payment file is opened in a spreadsheet: nothing in it may read as a formula.
        assert_eq!(PayoutAccount::parse("alipay", "=HYPERLINK(\"x\")", "", "13800000001"), Err(PayoutAccountError::RealName));
        assert_eq!(PayoutAccount::parse("bank_card", "张三", "@SUM(A1)", "4111111111111111"), Err(PayoutAccountError::Bank));
    }

    #[test]
    fn alipay_takes_a_phone_or_an_email_address() {
        assert_eq!(PayoutAccount::parse("alipay", "张三", "x", "13800000001").unwrap().number, "13800000001");
        assert_eq!(PayoutAccount::parse("alipay", "张三", "", " Zhang.San@Example.com ").unwrap().number, "zhang.san@example.com");
        for bad in ["1380000000", "zhang@", "@example.com", "zhang@example", "zhang san@example.com", "a@b@c.com"] {
            assert_eq!(PayoutAccount::parse("alipay", "张三", "", bad), Err(PayoutAccountError::Alipay), "{bad}");
        }
    }

    #[test]
    fn a_masked_account_keeps_the_first_character_of_the_name_and_the_last_four_digits() {
        let card = PayoutAccount::parse("bank_card", "张三丰", "中国银行", "6222 0212 3456 7890 128").unwrap();
        assert_eq!(
            card.masked(),
            Masked { kind: AccountKind::BankCard, name: "张**".into(), bank: "中国银行".into(), number: "···· 0128".into() }
        );
        assert_eq!(PayoutAccount::parse("alipay", "李四", "", "13800000001").unwrap().masked().number, "138****0001");
        assert_eq!(PayoutAccount::parse("alipay", "李四", "", "lisi@example.com").unwrap().masked().number, "l***@example.com");
        let stored = card.masked().to_stored();
        assert!(!stored.contains("6222"), "{stored}");
        assert_eq!(Masked::parse(&stored), Some(card.masked()));
    }
}
