//! Every stable error code the server answers, once: its HTTP status and its reason in both
//! languages. The matches are exhaustive, so a code without a status or a translation does not
//! compile; the README's list is checked against [`ErrorCode::ALL`].

macro_rules! error_codes {
    ($($variant:ident = $code:literal, $status:literal, $zh:literal, $en:literal;)*) => {
        /// A stable, snake_case error code (`{"error": {"code": …}}`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $($variant,)*
        }

        impl ErrorCode {
            /// Every code, in the registry's order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $code,)*
                }
            }

            /// The HTTP status the API answers with this code.
            pub fn status(self) -> u16 {
                match self {
                    $(ErrorCode::$variant => $status,)*
                }
            }

            /// The reason in Simplified Chinese, for pages.
            pub fn zh(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $zh,)*
                }
            }

            /// The reason in English, for pages.
            pub fn en(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $en,)*
                }
            }

            pub fn parse(code: &str) -> Option<ErrorCode> {
                match code {
                    $($code => Some(ErrorCode::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

error_codes! {
    // Input that cannot be read: 400.
    InvalidBody = "invalid_body", 400, "请求内容格式不正确。", "The request body does not read.";
    InvalidQuery = "invalid_query", 400, "查询参数格式不正确。", "The query string does not read.";
    InvalidPath = "invalid_path", 400, "地址格式不正确。", "The address does not read.";
    InvalidForm = "invalid_form", 400, "表单内容不正确。", "The form does not read.";
    InvalidPhone = "invalid_phone", 400, "手机号格式不正确（11 位，1 开头）。", "The phone number does not read (11 digits starting with 1).";
    InvalidAmount = "invalid_amount", 400, "金额格式不正确（最多两位小数）。", "The amount does not read (at most two decimals).";
    AmountNegative = "amount_negative", 400, "金额不能为负数。", "The amount cannot be negative.";
    AmountNotPositive = "amount_not_positive", 400, "金额必须大于 0。", "The amount must be more than 0.";
    AmountZero = "amount_zero", 400, "金额不能为 0。", "The amount cannot be 0.";
    TooManyDecimals = "too_many_decimals", 400, "小数位数过多。", "Too many decimals.";
    AmountTooLarge = "amount_too_large", 400, "金额超出上限 10000000000000.00。", "The amount is over the largest, 10000000000000.00.";
    InvalidRate = "invalid_rate", 400, "比例格式不正确。", "The rate does not read.";
    RateOutOfRange = "rate_out_of_range", 400, "比例须在 0 到 1 之间。", "A rate lies between 0 and 1.";
    InvalidMultiplier = "invalid_multiplier", 400, "倍数格式不正确。", "The multiplier does not read.";
    MultiplierOutOfRange = "multiplier_out_of_range", 400, "倍数超出允许范围。", "The multiplier is out of range.";
    InvalidOrderId = "invalid_order_id", 400, "订单号格式不正确。", "The order id does not read.";
    InvalidDate = "invalid_date", 400, "日期格式不正确（YYYY-MM-DD）。", "The date does not read (YYYY-MM-DD).";
    InvalidPaidAt = "invalid_paid_at", 400, "支付时间格式不正确（RFC 3339，带时区）。", "paid_at does not read (RFC 3339 with an offset).";
    InvalidPassword = "invalid_password", 400, "密码须为 8 到 128 个字符。", "A password has 8 to 128 characters.";
    InvalidName = "invalid_name", 400, "请填写 1 到 50 个字的名称（不能含控制字符或格式字符）。", "Give a name of 1 to 50 characters, without control or formatting characters.";
    InvalidUsername = "invalid_username", 400, "用户名须为 1 到 64 个字母、数字、点、横线或下划线。", "A username has 1 to 64 letters, digits, dots, dashes or underscores.";
    InvalidReason = "invalid_reason", 400, "请填写 1 到 200 个字的原因。", "Give a reason of 1 to 200 characters.";
    InvalidIdempotencyKey = "invalid_idempotency_key", 400, "幂等键须为 1 到 100 个字符。", "An idempotency key has 1 to 100 characters.";
    InvalidCursor = "invalid_cursor", 400, "分页位置无效。", "The page cursor is not valid.";
    InvalidLimit = "invalid_limit", 400, "每页条数超出范围。", "The page size is out of range.";
    InvalidDepth = "invalid_depth", 400, "层级超出范围。", "The depth is out of range.";
    InvalidSort = "invalid_sort", 400, "排序方式无效。", "The sort order is not valid.";
    InvalidTierFilter = "invalid_tier", 400, "没有这个团队等级。", "No such team tier.";
    InvalidLevelFilter = "invalid_level", 400, "没有这个订单级别。", "No such order level.";
    InvalidGeneration = "invalid_generation", 400, "代数超出范围。", "The generation is out of range.";
    InvalidPurpose = "invalid_purpose", 400, "验证码用途无效。", "The code's purpose is not valid.";
    InvalidStatus = "invalid_status", 400, "状态无效。", "The status is not valid.";
    InvalidAccountKind = "invalid_account_kind", 400, "收款账户类型须为银行卡或支付宝。", "The account kind is bank_card or alipay.";
    InvalidRealName = "invalid_real_name", 400, "请填写 1 到 50 个字的真实姓名。", "Give a real name of 1 to 50 characters.";
    InvalidBank = "invalid_bank", 400, "请填写开户银行（1 到 50 个字）。", "Give the bank's name (1 to 50 characters).";
    InvalidCardNumber = "invalid_card_number", 400, "银行卡号不正确（12 到 19 位数字，请核对）。", "The card number is not valid (12 to 19 digits; check it).";
    InvalidAlipayAccount = "invalid_alipay_account", 400, "支付宝账号须为手机号或电子邮箱。", "An Alipay account is a mobile number or an e-mail address.";
    InvalidRedirect = "invalid_redirect", 400, "跳转地址无效：只能跳转到本站的页面。", "The address to go back to is not a page of this site.";
    // Who is asking: 401, 403.
    Unauthorized = "unauthorized", 401, "请先登录。", "Log in first.";
    InvalidCredentials = "invalid_credentials", 401, "手机号或密码错误。", "Wrong phone number or password.";
    Forbidden = "forbidden", 403, "无权执行此操作。", "You may not do that.";
    RoleForbidden = "role_forbidden", 403, "您的管理员角色无权执行此操作。", "Your admin role may not do that.";
    // What is not there: 404, 405.
    NotFound = "not_found", 404, "页面不存在。", "No such page.";
    MemberNotFound = "member_not_found", 404, "会员不存在。", "No such member.";
    OrderNotFound = "order_not_found", 404, "订单不存在。", "No such order.";
    WithdrawalNotFound = "withdrawal_not_found", 404, "提现不存在。", "No such withdrawal.";
    SettlementNotFound = "settlement_not_found", 404, "该日尚未结算。", "That day has no settlement.";
    StatementNotFound = "statement_not_found", 404, "该日没有收益明细。", "No statement on that day.";
    ParamsVersionNotFound = "params_version_not_found", 404, "参数版本不存在。", "No such parameter version.";
    AdminNotFound = "admin_not_found", 404, "管理员不存在。", "No such admin.";
    PayoutAccountNotFound = "payout_account_not_found", 404, "尚未设置收款账户。", "No payout account has been set.";
    ApiKeyNotFound = "api_key_not_found", 404, "API 密钥不存在或已吊销。", "No live API key has this id.";
    MethodNotAllowed = "method_not_allowed", 405, "不支持该请求方法。", "This method is not allowed here.";
    // What the stored state refuses: 409.
    PhoneTaken = "phone_taken", 409, "该手机号已注册。", "This phone number is already registered.";
    RootExists = "root_exists", 409, "已有根会员，请填写推荐人。", "The scheme already has its root member; name a sponsor.";
    OrderIdConflict = "order_id_conflict", 409, "该订单号已用于另一笔订单。", "This order id was used for a different order.";
    IdempotencyKeyConflict = "idempotency_key_conflict", 409, "该幂等键已用于另一请求。", "This idempotency key was used for a different request.";
    WithdrawalState = "withdrawal_state", 409, "该提现当前状态不允许此操作。", "The withdrawal's state does not allow that.";
    SettlementRunning = "settlement_running", 409, "另一个结算正在进行。", "Another settlement is running.";
    ParamsVersionInForce = "params_version_in_force", 409, "该参数版本已生效或曾经生效，不能撤销。", "This parameter version is or was in force; it cannot be cancelled.";
    DayAlreadySettled = "day_already_settled", 409, "该日已结算。", "That day is already settled.";
    // Input that reads well but breaks a rule: 422.
    SponsorNotFound = "sponsor_not_found", 422, "推荐人不存在。", "No such sponsor.";
    InvalidInvitation = "invalid_invitation", 422, "邀请码无效：请向推荐人索取新的邀请链接。", "The invitation code is not valid; ask your sponsor for their invitation link.";
    SponsorCycle = "sponsor_cycle", 422, "不能移到自己或自己的下级之下。", "A member cannot move under itself or its own downline.";
    InsufficientPoints = "insufficient_points", 422, "可用积分不足。", "Not enough available points.";
    BalanceTooLarge = "balance_too_large", 422, "余额将超出上限 10000000000000.00。", "The balance would exceed the largest amount, 10000000000000.00.";
    GrantTooLarge = "grant_too_large", 422, "该订单赠送的积分超出上限。", "The points this order would grant exceed the largest amount.";
    PaidAtInFuture = "paid_at_in_future", 422, "支付时间晚于当前时间。", "paid_at lies in the future.";
    PointsPaidOverRatio = "points_paid_over_ratio", 422, "积分抵扣超出比例上限。", "The points paid exceed the points usage ratio.";
    InvalidParams = "invalid_params", 422, "参数不正确，请查看各字段的说明。", "The parameters are not valid; see the fields.";
    EffectiveFromSettled = "effective_from_settled", 422, "生效日期须晚于最近已结算（或正在结算）的日期。", "effective_from must be after the latest day settled or being settled.";
    EffectiveFromHasOrders = "effective_from_has_orders", 422, "生效日期当天或之后已有订单，不能更改其赠送规则。", "Orders were already paid on or after effective_from.";
    InvalidCode = "invalid_code", 422, "验证码不正确、已过期或已使用，请重新获取。", "The code is wrong, expired or used; ask for a new one.";
    WeakPassword = "weak_password", 422, "密码太容易被猜到（不能与手机号或用户名相关，请使用更长、不常见的组合）。", "The password is too easy to guess (not the phone or username; use a longer, uncommon one).";
    InvalidRange = "invalid_range", 422, "日期范围不正确。", "The date range is not valid.";
    InvalidScope = "invalid_scope", 422, "请至少选择一个权限范围。", "Choose at least one scope.";
    BelowWithdrawalMin = "below_withdrawal_min", 422, "提现金额低于最低限额。", "The withdrawal is below the minimum.";
    PayoutAccountRequired = "payout_account_required", 422, "请先设置收款账户再申请提现。", "Set a payout account before asking for a withdrawal.";
    DayNotBegun = "day_not_begun", 422, "该日期尚未开始。", "That day has not begun.";
    DayNotNext = "day_not_next", 422, "只能预览下一个待结算日。", "Only the next day to settle can be previewed.";
    PayloadTooLarge = "payload_too_large", 413, "提交的内容过大。", "What was sent is too large.";
    // Too many at once: 429.
    TooManyRequests = "too_many_requests", 429, "操作过于频繁，请稍后再试。", "Too many attempts; try again later.";
    // Ours: 500, 503.
    Internal = "internal", 500, "系统内部错误，已记录。", "Internal error; it has been logged.";
    DatabaseUnavailable = "database_unavailable", 503, "数据库暂时无法访问，请稍后再试。", "The database is not answering; try again in a few seconds.";
    PayoutKeyMissing = "payout_key_missing", 503, "本服务器未配置收款账户密钥，暂不能保存或导出收款账户。", "This server has no payout key: payout accounts cannot be saved or exported.";
    SettlementStopped = "settlement_stopped", 503, "结算已中止（服务正在停止），稍后将由其他运行完成。", "The settlement stopped (the server is stopping); another run finishes the day.";
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Calls `$apply!` with every domain error that refuses input (each has `code()` and `Display`),
/// so that the layers converting them (`AppError`, `ApiError`) list them once, here.
#[macro_export]
macro_rules! for_each_parse_error {
    ($apply:ident) => {
        $apply!(
            $crate::domain::money::MoneyError,
            $crate::domain::phone::PhoneError,
            $crate::domain::order_id::OrderIdError,
            $crate::domain::day::DayError,
            $crate::domain::day::InstantError,
            $crate::domain::password::PasswordError,
            $crate::domain::name::NameError,
            $crate::domain::payout_account::PayoutAccountError,
            $crate::domain::reason::ReasonError,
        );
    };
}

/// Codes compare with their text, as they are sent.
impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn every_code_is_unique_snake_case_and_parses_back_to_itself() {
        let mut seen = std::collections::HashSet::new();
        for &code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()), "{code} twice");
            assert!(code.as_str().chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{code}");
            assert_eq!(ErrorCode::parse(code.as_str()), Some(code));
            assert!((400..600).contains(&code.status()), "{code}");
            assert!(!code.zh().is_empty() && !code.en().is_empty());
        }
        assert_eq!(ErrorCode::parse("no_such_code"), None);
    }

    const README_BEGINS: &str = "<!-- error codes: generated from ErrorCode::ALL (src/domain/error_code.rs) -->\n";
    const README_ENDS: &str = "<!-- end of error codes -->";

    /// The README's table of error codes as the registry gives it.
    fn readme_table() -> String {
        let mut table = String::from("| code | status | 中文 | English |\n|---|---|---|---|\n");
        for &code in ErrorCode::ALL {
            table += &format!("| `{code}` | {} | {} | {} |\n", code.status(), code.zh(), code.en());
        }
        table
    }

    #[test]
    fn the_readme_lists_every_error_code_with_its_status_and_both_reasons() {
        let readme = include_str!("../../README.md");
        let listed = readme
            .split_once(README_BEGINS)
            .and_then(|(_, rest)| rest.split_once(README_ENDS))
            .map(|(table, _)| table)
            .expect("the README has the error codes between their markers");
        let expected = readme_table();
        assert!(listed == expected, "the README's error codes differ from the registry; put this between the markers:\n{expected}");
    }
}
