//! Who did what: the actors and the actions the audit log records.
use std::fmt;

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
    MemberPasswordDemo = "member.password_demo", "设置演示会员密码", "Demo member password set";
    OrderRefund = "order.refund", "订单退款", "Order refunded";
    ParamsCreate = "params.create", "新增参数版本", "Parameter version created";
    SettlementRun = "settlement.run", "执行结算", "Settlement run";
    WithdrawalRequest = "withdrawal.request", "申请提现", "Withdrawal requested";
    WithdrawalApprove = "withdrawal.approve", "批准提现", "Withdrawal approved";
    WithdrawalReject = "withdrawal.reject", "驳回提现", "Withdrawal rejected";
    WithdrawalPaid = "withdrawal.paid", "标记已打款", "Withdrawal paid";
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
}
