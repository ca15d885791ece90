//! Who did what: the actors and the actions the audit log records.
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::domain::phone::Phone;

/// Who asked for a change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actor {
    /// An operator signed in to the console, by username.
    Admin(String),
    /// A system of the mall, by the id of its API key.
    ApiKey(String),
    /// A member, signed in or registering.
    Member(Phone),
    /// An operator at the command line, on the machine itself.
    CommandLine,
}

/// As the audit log stores it: `admin:NAME`, `api_key:ID`, `member:PHONE`, `cli`.
impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Actor::Admin(username) => write!(f, "admin:{username}"),
            Actor::ApiKey(id) => write!(f, "api_key:{id}"),
            Actor::Member(phone) => write!(f, "member:{phone}"),
            Actor::CommandLine => f.write_str("cli"),
        }
    }
}

/// What the audit log keeps of an action besides who did it, what and to which target: its facts,
/// each in a field of its own, so that the console can word them in its reader's language. Stored
/// as JSON, without the fields an action does not have.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Detail {
    /// The admin's role now (`finance`), and before when it changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_was: Option<String>,
    /// Sessions ended by the change (a password or a role changed, an admin disabled).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sessions_ended: Option<i64>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub enabled_again: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub disabled_already: bool,
    /// An API key's name and scopes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_name: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<String>,
    /// A member's sponsor (at registration, or after a change), and before a change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sponsor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sponsor_was: Option<String>,
    /// The member registered is the root.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub root: bool,
    /// An amount in yuan, signed when it is an adjustment (`+88.80`), and the member it is of.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    /// Why, as the person who did it wrote it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// A parameter version: its first day, the version it replaces from then and the fields it changes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective_from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaces: Option<i64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changed: Vec<String>,
    /// How many days a run settled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_settled: Option<usize>,
    /// How it came in, the invitation code it used, and the client's address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<Via>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invitation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client: Option<String>,
}

/// How a change came in, when its action does not say.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    /// The JSON API.
    Api,
    /// The member portal's pages.
    Portal,
    /// An invitation link's page, the phone proven by an SMS code.
    InvitationPage,
    /// `greenpoints demo`.
    Demo,
}

impl Detail {
    /// As the audit log stores it.
    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).expect("a detail is plain data")
    }

    /// A stored detail; `None` for text that is not one (entries written before details had fields).
    pub fn parse(stored: &str) -> Option<Detail> {
        serde_json::from_str(stored).ok()
    }
}

impl Actor {
    /// An actor as the audit log stores it; `None` for text no actor is written as.
    pub fn parse(stored: &str) -> Option<Actor> {
        match stored.split_once(':') {
            Some(("admin", username)) if !username.is_empty() => Some(Actor::Admin(username.to_string())),
            Some(("api_key", id)) if !id.is_empty() => Some(Actor::ApiKey(id.to_string())),
            Some(("member", phone)) => Phone::parse(phone).ok().map(Actor::Member),
            None if stored == "cli" => Some(Actor::CommandLine),
            _ => None,
        }
    }
}

macro_rules! audit_actions {
    ($($variant:ident = $text:literal, $zh:literal, $en:literal;)*) => {
        /// What the audit log records.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum AuditAction {
            $($variant,)*
        }

        impl AuditAction {
            pub const ALL: &'static [AuditAction] = &[$(AuditAction::$variant,)*];

            /// As stored: `member.adjust`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(AuditAction::$variant => $text,)*
                }
            }

            pub fn parse(text: &str) -> Option<AuditAction> {
                match text {
                    $($text => Some(AuditAction::$variant),)*
                    _ => None,
                }
            }

            /// The action in Simplified Chinese, for the console.
            pub fn zh(self) -> &'static str {
                match self {
                    $(AuditAction::$variant => $zh,)*
                }
            }

            pub fn en(self) -> &'static str {
                match self {
                    $(AuditAction::$variant => $en,)*
                }
            }
        }
    };
}

audit_actions! {
    AdminAdd = "admin.add", "新增管理员", "Admin added";
    AdminPassword = "admin.password", "修改管理员密码", "Admin password set";
    AdminRole = "admin.role", "更改管理员角色", "Admin role changed";
    AdminDisable = "admin.disable", "停用管理员", "Admin disabled";
    AdminLogin = "admin.login", "管理员登录", "Admin login";
    ApiKeyCreate = "api_key.create", "创建 API 密钥", "API key created";
    ApiKeyRevoke = "api_key.revoke", "吊销 API 密钥", "API key revoked";
    MemberRegister = "member.register", "会员注册", "Member registered";
    MemberAdjust = "member.adjust", "积分调整", "Points adjusted";
    MemberSponsor = "member.sponsor", "更换推荐人", "Sponsor changed";
    MemberPasswordReset = "member.password_reset", "会员重置密码", "Member password reset";
    MemberPasswordChange = "member.password_change", "会员修改密码", "Member password changed";
    MemberPayoutAccount = "member.payout_account", "设置收款账户", "Payout account set";
    MemberPasswordDemo = "member.password_demo", "设置演示会员密码", "Demo member password set";
    OrderRefund = "order.refund", "订单退款", "Order refunded";
    ParamsCreate = "params.create", "新增参数版本", "Parameter version created";
    ParamsCancel = "params.cancel", "撤销参数版本", "Parameter version cancelled";
    SettlementRun = "settlement.run", "执行结算", "Settlement run";
    WithdrawalRequest = "withdrawal.request", "申请提现", "Withdrawal requested";
    WithdrawalApprove = "withdrawal.approve", "批准提现", "Withdrawal approved";
    WithdrawalReject = "withdrawal.reject", "驳回提现", "Withdrawal rejected";
    WithdrawalPaid = "withdrawal.paid", "标记已打款", "Withdrawal paid";
    WithdrawalExport = "withdrawal.export", "导出打款文件", "Payment file exported";
}

impl fmt::Display for AuditAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_reads_back_from_what_is_stored() {
        for &action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.as_str()), Some(action));
        }
        assert_eq!(AuditAction::parse("member.nothing"), None);
    }

    #[test]
    fn actors_are_stored_with_their_kind() {
        assert_eq!(Actor::Admin("ops".into()).to_string(), "admin:ops");
        assert_eq!(Actor::ApiKey("k1".into()).to_string(), "api_key:k1");
        assert_eq!(Actor::Member(Phone::parse("13800000001").unwrap()).to_string(), "member:13800000001");
        assert_eq!(Actor::CommandLine.to_string(), "cli");
    }

    #[test]
    fn a_detail_is_stored_without_the_fields_it_does_not_have_and_reads_back() {
        let detail = Detail { sessions_ended: Some(2), scopes: vec!["orders:write".into()], via: Some(Via::Api), ..Detail::default() };
        let stored = detail.to_stored();
        assert_eq!(stored, r#"{"sessions_ended":2,"scopes":["orders:write"],"via":"api"}"#);
        assert_eq!(Detail::parse(&stored), Some(detail));
        assert_eq!(Detail::parse("127.0.0.1"), None, "text written before details had fields");
        assert_eq!(Detail::parse(r#"{"nonsense":1}"#), None);
    }

    #[test]
    fn every_actor_reads_back_from_what_is_stored_and_other_text_is_none() {
        let actors = [
            Actor::Admin("ops".into()),
            Actor::ApiKey("k1".into()),
            Actor::Member(Phone::parse("13800000001").unwrap()),
            Actor::CommandLine,
        ];
        for actor in actors {
            assert_eq!(Actor::parse(&actor.to_string()), Some(actor));
        }
        for other in ["admin:", "member:123", "robot:x", "clI", ""] {
            assert_eq!(Actor::parse(other), None, "{other:?}");
        }
    }
}
