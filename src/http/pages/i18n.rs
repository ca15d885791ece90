//! The pages' words in Simplified Chinese (the default) and English. Every text is a field, so a
//! text missing in one language does not compile.
use actix_web::HttpRequest;

use crate::domain::error_code::ErrorCode;

/// The cookie that keeps a reader's choice of language.
pub const LANG_COOKIE: &str = "gp_lang";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn of(req: &HttpRequest) -> Lang {
        match req.cookie(LANG_COOKIE) {
            Some(c) if c.value() == "en" => Lang::En,
            _ => Lang::Zh,
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// The other language, offered by the switch in the header.
    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    pub fn text(self) -> &'static Text {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }
}

macro_rules! texts {
    ($($key:ident: $zh:literal, $en:literal;)*) => {
        pub struct Text { $(pub $key: &'static str,)* }
        pub static ZH: Text = Text { $($key: $zh,)* };
        pub static EN: Text = Text { $($key: $en,)* };
    };
}

texts! {
    language_name: "中文", "English";
    app_name: "绿色积分", "Green Points";
    admin_console: "管理后台", "Admin console";
    member_nav_home: "我的", "Home";
    member_nav_team: "我的团队", "My team";
    member_nav_statements: "收益明细", "Statements";
    member_nav_withdrawals: "提现", "Withdrawals";
    member_nav_points: "积分明细", "Points";
    member_nav_orders: "我的订单", "My orders";
    orders_hint: "每笔订单赠送的积分、已释放和剩余的积分池。释放完毕即出局。", "The points each order granted, what its pool has released and what remains. An order whose pool is empty has exited.";
    orders_latest: "仅显示最近的订单：", "Showing the latest orders: ";
    order_releasing: "释放中", "Releasing";
    counts_from: "计入起始日", "Counts from";
    order_exited: "已出局", "Exited";
    order_no_grant: "未达赠送级别", "No grant";
    points_title: "积分明细", "Points ledger";
    points_hint: "可用积分与冻结积分的每一笔变动：每日释放、订单积分抵扣与退款返还、积分调整、提现。", "Every change of your available and frozen points: daily releases, points paid for orders and returned by refunds, adjustments, withdrawals.";
    points_none: "还没有积分变动。", "No changes of your points yet.";
    points_release: "每日释放", "Daily release";
    points_frozen: "冻结", "Frozen";
    movement_order_payment: "订单积分抵扣", "Points paid for an order";
    movement_order_refund: "退款返还积分", "Points back from a refund";
    movement_adjustment: "积分调整", "Adjustment";
    movement_withdrawal_requested: "申请提现", "Withdrawal requested";
    movement_withdrawal_rejected: "提现被驳回", "Withdrawal rejected";
    movement_withdrawal_paid: "提现已打款", "Withdrawal paid";
    movement_other: "积分变动", "Change";
    nav_dashboard: "概览", "Dashboard";
    nav_members: "会员", "Members";
    nav_tree: "推荐树", "Tree";
    nav_settlements: "结算", "Settlements";
    nav_params: "奖金参数", "Parameters";
    nav_withdrawals: "提现", "Withdrawals";
    nav_api_keys: "API 密钥", "API keys";
    nav_audit: "操作日志", "Audit log";
    nav_outbox: "短信发件箱", "SMS outbox";
    // Admin roles (src/domain/role.rs).
    role_owner: "所有者", "Owner";
    role_finance: "财务", "Finance";
    role_operator: "运营", "Operator";
    role_auditor: "审计", "Auditor";
    role_read_only: "您的角色只能查看此页面。", "Your role may only read this page.";
    logout: "退出", "Log out";
    login: "登录", "Log in";
    login_title: "管理员登录", "Admin login";
    username: "用户名", "Username";
    password: "密码", "Password";
    login_failed: "用户名或密码不正确。", "Wrong username or password.";
    login_throttled: "尝试次数过多，请稍后再试。", "Too many attempts; try again later.";
    form_expired: "表单已过期，请重新提交。", "The form expired; please submit it again.";
    error_title: "出错了", "Something went wrong";
    back: "返回", "Back";
    not_found: "没有找到。", "Not found.";
    forbidden: "请求被拒绝：表单令牌无效，请刷新页面后重试。", "Refused: the form's token is not valid. Reload the page and try again.";
    internal_error: "系统错误，已记录日志。", "Internal error; it has been logged.";
    done: "已完成。", "Done.";
    members: "会员数", "Members";
    orders: "订单数", "Orders";
    refunded_orders: "已退款", "refunded";
    points_in_pools: "积分池合计", "Points in pools";
    available: "可用积分", "Available";
    frozen: "冻结积分", "Frozen";
    pool: "积分池", "Pool";
    released_on: "最近结算日释放", "Released on the latest settled day";
    no_settlement_yet: "尚未结算", "Nothing settled yet";
    tier_distribution: "团队等级分布", "Tier distribution";
    no_tier: "无等级", "No tier";
    daily_releases: "近 30 个结算日的释放（按类型）", "Releases of the last 30 settled days, by kind";
    figures_as_of: "数据时间", "Figures as of";
    kind_static: "静态释放", "Static release";
    kind_share: "分享收益", "Share income";
    kind_share_g1: "分享一代", "Share, 1st gen.";
    kind_share_g2: "分享二代", "Share, 2nd gen.";
    kind_team: "团队级差", "Team differential";
    kind_peer: "平级奖", "Peer bonus";
    kind_forfeited: "未发放（积分池不足）", "Forfeited (pool short)";
    total: "合计", "Total";
    search_members: "手机号（开头、尾号或中间几位）或姓名", "Phone (first, last or middle digits) or name";
    search: "搜索", "Search";
    search_hint: "输入手机号的 1 到 11 位数字，或姓名（最多 50 个字）。", "Type 1 to 11 digits of a phone, or a name (at most 50 characters).";
    no_results: "没有结果。", "No results.";
    member_list_sort: "排序", "Sort by";
    sort_team_volume: "团队业绩（由高到低）", "Team volume (largest first)";
    sort_joined: "注册时间（最新在前）", "Joined (newest first)";
    all_tiers: "全部等级", "All tiers";
    all_levels: "全部级别", "All levels";
    no_level: "无级别", "No level";
    filter_apply: "筛选", "Apply";
    member_list_hint: "按等级或级别筛选时，每页最多查看 2,000 名会员，所以一页可能少于 50 条；点“下一页”继续。", "With a tier or level filter each page looks through at most 2,000 members, so a page may list fewer than 50: go on with Next page.";
    more_matches: "还有更多匹配的会员，请输入更多位数字或更完整的姓名。", "More members match: type more digits or more of the name.";
    phone: "手机号", "Phone";
    name: "姓名", "Name";
    sponsor: "推荐人", "Sponsor";
    tier: "团队等级", "Tier";
    level: "会员级别", "Level";
    own_purchases: "个人消费", "Own purchases";
    joined_at: "注册时间", "Joined";
    team_volume: "团队业绩", "Team volume";
    team_volume_cash: "现金业绩", "Cash";
    team_volume_points: "积分业绩", "Points";
    team_size: "团队人数", "Team size";
    team_as_of: "团队数据更新于", "Team figures as of";
    direct_count: "直推人数", "Direct referrals";
    details: "详情", "Details";
    member_detail: "会员详情", "Member";
    tier_progress: "距下一等级", "To the next tier";
    top_tier: "已是最高等级", "Highest tier";
    open_tree: "查看推荐树", "Open the tree";
    uplines: "上级（由近及远）", "Uplines (nearest first)";
    generation: "代数", "Generation";
    root_member: "根会员（无推荐人）", "The root (no sponsor)";
    more_uplines: "仅显示最近的", "Showing the nearest";
    direct_referrals: "直推会员", "Direct referrals";
    order_list: "订单", "Orders";
    order_id: "订单号", "Order";
    amount: "金额", "Amount";
    points_paid: "积分支付", "Paid in points";
    paid_at: "支付时间", "Paid at";
    granted: "赠送积分", "Granted";
    released: "已释放", "Released";
    remaining: "剩余", "Remaining";
    refunded: "已退款", "Refunded";
    statements: "每日收益明细", "Daily statements";
    day: "日期", "Day";
    sources: "来源", "Sources";
    adjust_title: "调整可用积分", "Adjust available points";
    adjust_amount: "金额（正数增加，负数扣减）", "Amount (positive adds, negative removes)";
    reason: "原因", "Reason";
    submit: "提交", "Submit";
    sponsor_title: "更换推荐人", "Change the sponsor";
    new_sponsor: "新推荐人手机号", "New sponsor's phone";
    sponsor_hint: "整个下级团队随之移动，从下一个未结算日起生效。提交后先显示移动的人数和业绩，确认后才更改。", "The whole downline moves with the member, from the next unsettled day. You will see how many members and how much volume move, and confirm, before anything changes.";
    sponsor_confirm_title: "确认更换推荐人", "Confirm the sponsor change";
    sponsor_now: "现推荐人", "Sponsor now";
    sponsor_moving: "随之移动的会员", "Members that move";
    sponsor_moving_volume: "随之移动的团队业绩", "Team volume that moves";
    sponsor_confirm_note: "{phone} 及其整个下级团队共 {members} 人将移到 {sponsor} 之下：原上级线的团队业绩减少 {volume}，新上级线增加同样多，从下一个未结算日起生效；已结算的日子不变。", "{phone} and its whole downline, {members} members, move under {sponsor}: the old uplines' team volume falls by {volume} and the new uplines' rises as much, from the next unsettled day; settled days stay as they are.";
    sponsor_done: "推荐人已改为 {sponsor}，{members} 人随之移动，从下一个未结算日起生效。", "The sponsor is now {sponsor}; {members} members moved with the change, from the next unsettled day.";
    adjust_done: "已记入调整 {amount}；会员可在积分明细中看到这笔调整及其原因。", "Adjustment of {amount} recorded; the member sees it with its reason in the points ledger.";
    statement_title: "收益明细", "Statement";
    params_version: "参数版本", "Parameter version";
    branch: "直推分支", "Branch of";
    referral_release: "直推本人释放", "Referral's own release";
    second_generation_release: "二代释放", "Second generation's releases";
    branch_release: "分支释放合计", "Branch's releases";
    exact_amount: "精确金额（取整前）", "Exact amount (before rounding)";
    sources_rules: "团队级差的比例 = 本人等级比例 − 途经最高等级比例；平级奖按平级奖比例。精确金额是取整前的数额：当天每一项先按分支精确相加，再向下取整到分。", "A team differential's rate is the member's tier rate minus that of the highest tier on the way; a peer bonus uses the peer rate. Exact amounts are before rounding: each kind is summed exactly over the branches, then rounded down to the fen once.";
    tier_on_the_way: "途经最高等级", "Highest tier on the way";
    rate: "比例", "Rate";
    kind: "类型", "Kind";
    entitled: "应得", "Entitled";
    paid: "实发", "Paid";
    pool_after: "结算后积分池", "Pool after";
    available_after: "结算后可用", "Available after";
    tree_title: "推荐树", "Referral tree";
    tree_start: "起点会员手机号", "Start at phone";
    expand: "展开", "Expand";
    collapse: "收起", "Collapse";
    next_page: "下一页", "Next page";
    first_page: "第一页", "First page";
    no_referrals: "没有直推会员。", "No direct referrals.";
    settlements_title: "每日结算", "Daily settlements";
    run_settlement: "结算（含补结之前未结算的日期）", "Settle (catching up every unsettled day before it)";
    settle_through: "结算至", "Settle through";
    settle: "结算", "Settle";
    preview: "预览", "Preview";
    preview_provisional: "截至当前", "As of now";
    preview_computed_at: "计算于（每分钟最多重算一次）", "Computed at (at most once a minute)";
    preview_as_of_now: "{day} 尚未开始：以下按截至 {now} 的订单和退款计算，今天余下时间的新订单和退款还会改变结果。{day} 开始后才能结算。", "{day} has not begun: these figures come from the orders and refunds up to {now}, and orders and refunds for the rest of today will change them. {day} can be settled once it begins.";
    preview_title: "结算预览（不写入）", "Settlement preview (nothing written)";
    preview_next: "预览下一个未结算日", "Preview the next unsettled day";
    nothing_to_preview: "没有可预览的日期：今天之前的日期都已结算。", "Nothing to preview: every day before today is settled.";
    history: "历史", "History";
    status: "状态", "Status";
    members_paid: "获发会员数", "Members paid";
    settled_at: "完成时间", "Settled at";
    payouts: "发放明细", "Payouts";
    download_csv: "下载 CSV", "Download CSV";
    settled_days: "已结算日期", "Days settled";
    no_days_settled: "所选日期之前都已结算，没有新的结算。", "Every day through that date was settled already.";
    sort_by: "排序", "Sort by";
    params_title: "奖金制度参数", "Scheme parameters";
    current_version: "当前版本", "Current version";
    effective_from: "生效日期", "Effective from";
    created_at: "创建时间", "Created at";
    new_version: "保存为新版本", "Save as a new version";
    params_document: "参数文档（JSON）", "Parameters (JSON)";
    params_hint: "修改后保存为新版本，从生效日期起用于结算；已结算的日期不受影响。", "Saved as a new version, used from its effective date on; settled days do not change.";
    compare: "比较", "Compare";
    differences: "版本差异", "Differences";
    field: "字段", "Field";
    no_differences: "两个版本相同。", "The two versions are the same.";
    withdrawals_title: "提现审核", "Withdrawals";
    all_statuses: "全部", "All";
    fact_role: "角色", "Role";
    fact_enabled_again: "已重新启用", "Enabled again";
    fact_disabled_already: "此前已停用", "Was disabled already";
    fact_replaces: "取代", "Replaces";
    fact_changes: "改动", "Changes";
    fact_nothing: "无", "nothing";
    fact_days_settled: "结算天数", "Days settled";
    fact_sessions_ended: "结束会话数", "Sessions ended";
    fact_client: "来自", "From";
    fact_invitation: "邀请码", "Invitation code";
    fact_separator: "；", "; ";
    via_api: "通过 API", "Through the API";
    via_portal: "通过会员页面", "On the member pages";
    via_invitation_page: "通过邀请链接（手机号已验证）", "Through an invitation link (the phone proven by SMS)";
    via_demo: "演示数据", "For the demo";
    actor_admin: "管理员", "Admin";
    actor_api_key: "API 密钥", "API key";
    actor_member: "会员", "Member";
    actor_cli: "命令行", "Command line";
    scope_orders_write: "录入订单与退款", "Record orders and refunds";
    scope_members_read: "查看会员与收益", "Read members and their income";
    scope_members_write: "注册会员及代会员申请提现", "Register members and ask for withdrawals";
    scope_settlements_write: "执行结算", "Run settlements";
    scope_payouts_read: "查看结算发放及提现", "Read settlements, payouts and withdrawals";
    scope_payouts_write: "审批提现", "Decide withdrawals";
    scope_admin: "全部权限", "Everything";
    list_separator: "、", " · ";
    colon: "：", ": ";
    paren_open: "（", " (";
    paren_close: "）", ")";
    purpose_reset: "找回密码", "Password reset";
    purpose_change: "修改密码", "Password change";
    purpose_register: "注册", "Registration";
    purpose_login: "登录", "Login";
    settlement_settled: "已结算", "Settled";
    settlement_running: "结算中", "Settling";
    status_requested: "待审核", "Requested";
    status_approved: "已批准", "Approved";
    status_rejected: "已拒绝", "Rejected";
    status_paid: "已打款", "Paid";
    fee: "手续费", "Fee";
    approve: "批准", "Approve";
    reject: "拒绝", "Reject";
    mark_paid: "标记已打款", "Mark paid";
    decided_by: "处理人", "Decided by";
    none_yet: "暂无。", "None yet.";
    api_keys_title: "API 密钥", "API keys";
    create_key: "创建密钥", "Create a key";
    key_name: "名称", "Name";
    scopes: "权限范围", "Scopes";
    key_created: "新密钥只显示这一次，请立即复制保存：", "The new key is shown this once; copy it now:";
    revoke: "吊销", "Revoke";
    revoked: "已吊销", "Revoked";
    live: "有效", "Live";
    audit_title: "操作日志", "Audit log";
    at: "时间", "When";
    actor: "操作人", "Who";
    action: "操作", "Action";
    target: "对象", "Target";
    detail: "说明", "Detail";
    outbox_title: "短信发件箱（开发环境发送器）", "SMS outbox (development sender)";
    outbox_hint: "开发环境的短信不会真正发出，保存在这里。", "The development sender sends nothing; its messages are kept here.";
    purpose: "用途", "Purpose";
    message: "内容", "Message";
    older: "更早", "Older";
    newest: "最新", "Newest";
    param_order_levels: "订单级别（按订单金额赠送积分）", "Order levels (points granted by order amount)";
    param_name: "名称", "Name";
    param_min_amount: "最低金额", "Minimum amount";
    param_multiplier: "赠送倍数", "Multiplier";
    param_team_tiers: "团队级别", "Team tiers";
    param_min_volume: "最低团队业绩", "Minimum team volume";
    param_release_rate: "每日释放比例", "Daily release rate";
    param_share_rate_1: "分享收益比例（一代）", "Share rate, 1st generation";
    param_share_rate_2: "分享收益比例（二代，可留空）", "Share rate, 2nd generation (may be blank)";
    param_peer_rate: "平级奖比例", "Peer bonus rate";
    param_peer_generations: "平级奖代数", "Peer bonus generations";
    param_team_max_depth: "团队奖最多代数（留空为不限）", "Team bonus depth limit (blank: unlimited)";
    param_hold_days: "冻结期（天，订单过后才计入）", "Hold period (days before an order counts)";
    param_points_usage_ratio: "积分使用比例", "Points usage ratio";
    param_withdrawal_min: "最低提现金额", "Minimum withdrawal";
    param_withdrawal_fee_rate: "提现手续费率", "Withdrawal fee rate";
    param_unlimited: "不限", "Unlimited";
    order_level: "订单级别", "Order level";
    team_tier: "团队级别", "Team tier";
    share_rate: "分享收益比例", "Share rate";
    params_rows_hint: "比例按百分数填写（1.2 即 1.2%）。清空一行即删除该行，填写空行即新增。", "Rates are percentages (1.2 means 1.2%). Clear a row to remove it; fill in a blank row to add one.";
    params_invalid: "未保存，请修改以下字段：", "Not saved; correct these fields:";
    params_created: "已保存为新版本", "Saved as a new version";
    params_in_force: "生效中", "In force";
    params_status: "状态", "Status";
    params_status_past: "已被取代", "Replaced";
    params_status_scheduled: "待生效", "Scheduled";
    params_status_cancelled: "已撤销", "Cancelled";
    params_created_by: "提出人", "Proposed by";
    params_approved_by: "批准人", "Approved by";
    params_system_default: "系统默认", "System default";
    params_cancelled_by: "撤销", "Cancelled";
    params_cancel: "撤销此版本", "Cancel this version";
    params_cancel_confirm: "确认撤销（该版本将不再生效，原版本继续适用）", "Confirm (the version will never apply; the one before it stays in force)";
    params_cancelled: "已撤销参数版本", "Cancelled parameter version";
    params_cancel_unconfirmed: "请先勾选“确认撤销”。", "Tick “Confirm” first.";
    params_cancel_in_force: "该版本已生效或曾经生效（生效日期已到、当日已结算或已有订单），不能撤销。", "This version is or was in force (its day has come, is settled, or has orders); it cannot be cancelled.";
    params_from_the_start: "自始生效（默认参数）", "From the start (the defaults)";
    params_compare_previous: "与上一版本比较", "Compare with the previous";
    params_whole_number: "请填写整数。", "Give a whole number.";
    params_shape: "参数格式不正确。", "The parameters are not in the right form.";
    params_not_a_day: "请按 YYYY-MM-DD 填写日期。", "Give a date as YYYY-MM-DD.";
    params_not_a_rate: "请填写 0 到 100 之间的百分数，最多 4 位小数，例如 1.2 表示 1.2%。", "Give a percentage from 0 to 100 with at most 4 decimals, such as 1.2 for 1.2%.";
    params_not_an_amount: "请填写金额，最多两位小数，例如 3000.00（最低金额须大于 0）。", "Give an amount with at most two decimals, such as 3000.00 (a minimum above 0).";
    params_not_a_multiplier: "请填写倍数，例如 2.5。", "Give a multiplier, such as 2.5.";
    params_above_zero: "必须大于 0。", "Must be greater than 0.";
    params_below_one: "必须小于 100%。", "Must be less than 100%.";
    params_entries_before: "须有 ", "Must have ";
    params_entries_after: " 项。", " entries.";
    params_integer_before: "请填写 ", "Give a whole number from ";
    params_integer_after: " 之间的整数。", ".";
    params_name_before: "名称不能为空，最多 ", "Give a name of at most ";
    params_name_after: " 个字符。", " characters.";
    params_above_previous_before: "必须大于上一项（", "Must be greater than the previous entry's (";
    params_above_previous_after: "）。", ").";
    effective_from_settled: "生效日期必须晚于最近的已结算日：", "The effective date must be after the last settled day: ";
    effective_from_has_orders: "该日或之后已有订单，请选择更晚的生效日期。", "Orders were paid on or after that day; choose a later date.";
    withdrawal_id: "编号", "ID";
    withdrawal_moved: "提现状态已更新：", "Withdrawal updated: ";
    key_revoked_notice: "密钥已吊销。", "The key is revoked.";
    key_use_hint: "调用 API 时在请求头中发送：Authorization: Bearer 密钥", "Send it as the header Authorization: Bearer KEY";
    // The member portal's own views: dashboard, team, statements, withdrawals.
    me_points: "我的积分", "My points";
    me_latest_income: "最近结算日收益", "Income of the latest settled day";
    me_no_income: "当日没有收益。", "No income that day.";
    me_chart_title: "近 30 个结算日我的收益（按类型）", "My income over the last 30 settled days, by kind";
    me_team_title: "团队业绩", "Team performance";
    me_invite_title: "邀请链接", "Invitation link";
    me_invite_hint: "把链接发给朋友：注册时自动填写您为推荐人。", "Send it to a friend: it names you as their sponsor when they register.";
    me_invite_code: "邀请码", "Invitation code";
    me_invite_qr: "邀请链接二维码：用手机扫码即可打开注册页。", "The invitation link as a QR code: scan it with a phone to open the registration page.";
    me_gen_all: "三代全部", "All three";
    me_gen_1: "直推", "Direct";
    me_gen_2: "二代", "2nd gen.";
    me_gen_3: "三代", "3rd gen.";
    me_generation_before: "第 ", "Generation ";
    me_generation_after: " 代", "";
    me_team_hint: "列出三代以内的成员；每人的团队人数和业绩包含其以下所有层级。手机号隐藏中间四位。", "Lists three generations; each member's team size and volume cover everything below them. Phones hide their middle four digits.";
    me_no_team: "暂无团队成员。", "No team members yet.";
    me_statements_hint: "每个结算日一条，点击查看每笔分享、团队和平级收益的来源。", "One per settled day; open one to see where each share, team and peer amount came from.";
    me_sources_hint: "按直推分支列出：分支成员当天的释放和所用比例（手机号隐藏中间四位）。", "By direct-referral branch: what the branch released that day and the rate applied (phones hide their middle four digits).";
    me_no_statements: "还没有收益明细。", "No statements yet.";
    me_withdraw_title: "申请提现", "Request a withdrawal";
    me_withdraw_amount: "提现金额", "Amount";
    me_withdraw_submit: "提交申请", "Request";
    me_withdraw_done: "提现申请已提交：金额已冻结，等待审核。", "Requested: the amount is frozen until it is reviewed.";
    me_withdraw_below_min: "低于最低提现金额", "Below the minimum withdrawal of";
    me_withdraw_bad_amount: "请输入大于 0、最多两位小数的金额。", "Give an amount above zero with at most two decimals.";
    me_withdraw_key_conflict: "此表单已用另一金额提交过，请重新填写。", "This form was already sent with another amount; please fill it in again.";
    me_withdrawals_list: "我的提现", "My withdrawals";
    me_net: "实际到账", "Net";
    payout_account: "收款账户", "Payout account";
    todo_title: "今日待办", "Today";
    me_hello: "您好，", "Hello, ";
    me_how_title: "积分如何获得", "How you earn points";
    me_how_orders: "在商城下单即获赠积分，订单金额越高倍数越高：", "Every order in the mall grants points, more for a larger order:";
    me_how_min_order: "单笔订单满", "An order from";
    me_how_grant: "赠送积分（订单金额的倍数）", "Points granted (times the amount)";
    me_how_release_a: "积分进入积分池，每天按订单金额的 ", "The points go into your pool, which releases ";
    me_how_release_b: " 释放到可用积分；可用积分可用于下单抵扣或申请提现。", " of each order a day into available points, to pay for orders or to withdraw.";
    me_how_share: "邀请好友：好友的积分每天释放时，您获得分享收益（", "Invite friends: when their points release, you earn share income (";
    me_how_team: "）；团队业绩达标后还有团队级差奖和平级奖，从您的积分池中加速释放。", "); once your team's volume reaches a tier, the team and peer bonuses add to it, released faster out of your pool.";
    todo_pending_withdrawals: "待审核提现", "Withdrawals to decide";
    todo_orders_today: "今日订单", "Orders today";
    todo_sales: "销售额", "Sales";
    todo_new_members: "今日新会员", "New members today";
    todo_go: "去处理 ›", "Decide them ›";
    totals_title: "全站合计", "Scheme totals";
    audit_actor_hint: "用户名、手机号或密钥编号", "username, phone or key id";
    audit_every_action: "全部操作", "Every action";
    audit_day: "日期", "Day";
    audit_filter: "筛选", "Filter";
    audit_clear: "清除筛选", "Clear the filters";
    account_kind: "收款方式", "Paid to";
    account_bank_card: "银行卡", "Bank card";
    account_alipay: "支付宝", "Alipay";
    account_none: "商城渠道", "The mall's channel";
    account_real_name: "真实姓名", "Real name";
    account_bank: "开户银行", "Bank";
    account_number: "卡号或账号", "Card number or account";
    account_card_number: "银行卡号", "Card number";
    account_alipay_account: "支付宝账号（手机号或邮箱）", "Alipay account (mobile number or e-mail)";
    decided_at: "审核时间", "Decided at";
    reject_reason: "驳回原因", "Reason for rejecting";
    confirm: "确认", "Confirm";
    cancel: "取消", "Cancel";
    confirm_approve_title: "确认批准这笔提现？", "Approve this withdrawal?";
    confirm_reject_title: "确认驳回这笔提现？", "Reject this withdrawal?";
    confirm_paid_title: "确认已打款？", "Mark this withdrawal paid?";
    confirm_approve_note: "批准后金额继续冻结，等待打款；批准后的提现会进入打款文件。", "Approved, the amount stays frozen until it is paid, and the withdrawal goes into the payment file.";
    confirm_reject_note: "驳回后金额退回会员的可用积分，会员会看到驳回原因。", "Rejected, the amount returns to the member's available points; the member sees the reason.";
    confirm_paid_note: "请先核实银行已到账：标记后冻结金额离开系统，无法撤销。", "Check first that the bank has paid: marked paid, the frozen amount leaves the system for good.";
    export_payment_file: "导出打款文件（CSV）", "Export the payment file (CSV)";
    export_payment_note: "包含全部已批准、待打款的提现及完整收款账户，供银行批量打款；每次导出都记入审计日志。", "Every approved withdrawal awaiting payment with its full payout account, for the bank's batch payment; every export is in the audit log.";
    approved_at: "批准时间", "Approved at";
    me_account_save: "保存收款账户", "Save the payout account";
    me_account_none: "尚未设置收款账户：设置后才能申请提现。", "No payout account yet: set one to ask for a withdrawal.";
    me_account_change: "更换收款账户", "Change the payout account";
    me_account_set: "设置收款账户", "Set the payout account";
    me_account_saved: "收款账户已保存。", "Payout account saved.";
    me_account_password: "登录密码（确认本人操作）", "Your password (to confirm it is you)";
    me_account_note: "提现将打入此账户；已申请的提现仍打入申请时的账户。卡号加密保存，页面只显示末四位。", "Withdrawals are paid to this account; ones already asked for keep the account they were asked with. The number is stored encrypted and only its last four digits are shown.";
    me_no_withdrawals: "还没有提现记录。", "No withdrawals yet.";
    // Member accounts: login, registration by invitation, password reset and change by SMS code.
    acct_member_login_title: "会员登录", "Member login";
    acct_member_login_failed: "手机号或密码不正确。", "Wrong phone number or password.";
    acct_phone_placeholder: "11 位手机号", "11-digit mobile number";
    acct_forgot_password: "忘记密码？", "Forgot your password?";
    acct_code_login: "短信验证码登录", "Log in with an SMS code";
    acct_password_login: "密码登录", "Log in with your password";
    acct_code_login_intro: "输入注册手机号，获取 6 位短信验证码后登录，无需密码。", "Enter your phone number, get a 6-digit code by SMS and log in with it, no password needed.";
    acct_no_password_hint: "账号由商城开通、还没有设置密码？请用短信验证码登录，或通过“忘记密码”设置密码。", "Was your account opened by the mall without a password? Log in with an SMS code, or set a password through \"Forgot your password?\".";
    acct_resend_in: "{s} 秒后可重新发送", "Send again in {s} s";
    acct_send_again: "重新发送验证码", "Send a new code";
    acct_register_hint: "还没有账号？请通过推荐人的邀请链接注册。", "No account yet? Register through your sponsor's invitation link.";
    acct_register_title: "注册会员", "Register";
    acct_register_invited_by: "邀请人", "Invited by";
    acct_register_submit: "注册", "Register";
    acct_register_bad_link: "邀请链接无效：邀请码不存在。请向推荐人重新索取邀请链接。", "This invitation link is not valid: no member has this invitation code. Ask your sponsor for their link.";
    acct_register_old_link: "该邀请链接已停用：邀请链接现在带邀请码，不再带手机号。请向推荐人索取新的邀请链接。", "This invitation link is no longer used: links now carry an invitation code, not a phone number. Ask your sponsor for their new link.";
    acct_register_code_sent: "如果该手机号可以注册，验证码已发出，10 分钟内有效。", "If this number can register, a code is on its way; it is valid for 10 minutes.";
    acct_register_code_hint: "先填写手机号并获取验证码，再设置密码完成注册。", "Enter your phone number and get a code first, then choose a password to register.";
    acct_register_phone_taken: "该手机号已注册，请直接登录。", "This phone number is already registered; log in instead.";
    acct_register_throttled: "操作过于频繁，请稍后再试。", "Too many attempts; try again later.";
    acct_name_optional: "姓名（可不填）", "Name (optional)";
    acct_password_rule: "8 到 128 个字符", "8 to 128 characters";
    acct_password_again: "再次输入密码", "Password again";
    acct_password_mismatch: "两次输入的密码不一致。", "The two passwords differ.";
    acct_new_password: "新密码", "New password";
    acct_new_password_again: "再次输入新密码", "New password again";
    acct_reset_title: "找回密码", "Reset your password";
    acct_reset_intro: "输入注册手机号，我们将发送 6 位短信验证码。", "Enter your phone number and we will text you a 6-digit code.";
    acct_send_code: "发送验证码", "Send a code";
    acct_reset_code_sent: "如果该手机号已注册，验证码已发出，10 分钟内有效。", "If this number is registered, a code is on its way; it is valid for 10 minutes.";
    acct_have_code: "已有验证码？", "Have a code already?";
    acct_sms_code: "短信验证码（6 位数字）", "SMS code (6 digits)";
    acct_reset_submit: "重置密码", "Reset the password";
    acct_reset_done: "密码已重置，所有设备已退出登录。请用新密码登录。", "Your password is reset and every device is logged out. Log in with the new password.";
    acct_invalid_code: "验证码不正确、已过期或已使用，请重新获取。", "The code is wrong, expired or used; ask for a new one.";
    acct_sms_limited: "发送过于频繁：每个手机号每分钟最多 1 条、24 小时内最多 10 条，请稍后再试。", "Too many codes: at most one a minute and 10 in 24 hours per phone. Try again later.";
    acct_password_title: "修改密码", "Change password";
    acct_password_intro: "验证码将发送到您的注册手机号。", "The code goes to your registered phone number.";
    acct_password_code_sent: "验证码已发送到您的手机，10 分钟内有效。", "A code was sent to your phone; it is valid for 10 minutes.";
    acct_password_changed: "密码已修改，其他设备已退出登录。", "Your password is changed; other devices are logged out.";
}

impl Text {
    /// The reason for a refusal, by its stable error code, in this language (from the registry,
    /// [`ErrorCode`]); None for a code the registry does not know: use the message as it is.
    pub fn refusal(&self, code: &str) -> Option<&'static str> {
        let code = ErrorCode::parse(code)?;
        Some(if std::ptr::eq(self, &ZH) { code.zh() } else { code.en() })
    }
}

impl Text {
    /// An admin role's name.
    pub fn role(&self, role: crate::domain::role::Role) -> &'static str {
        use crate::domain::role::Role;
        match role {
            Role::Owner => self.role_owner,
            Role::Finance => self.role_finance,
            Role::Operator => self.role_operator,
            Role::Auditor => self.role_auditor,
        }
    }

    /// A team tier's or an order level's name in this language. The default names (青铜, 初级, …)
    /// have English ones; a name the operator chose is shown as chosen.
    pub fn named<'n>(&self, name: &'n str) -> &'n str {
        if std::ptr::eq(self, &ZH) {
            return name;
        }
        match name {
            "初级" => "Basic",
            "中级" => "Intermediate",
            "高级" => "Advanced",
            "青铜" => "Bronze",
            "白银" => "Silver",
            "黄金" => "Gold",
            "铂金" => "Platinum",
            "钻石" => "Diamond",
            "星耀" => "Star",
            "王者" => "King",
            other => other,
        }
    }

    /// An order's status.
    pub fn order_status(&self, status: crate::domain::order_status::OrderStatus) -> &'static str {
        use crate::domain::order_status::OrderStatus;
        match status {
            OrderStatus::NoGrant => self.order_no_grant,
            OrderStatus::Releasing => self.order_releasing,
            OrderStatus::Exited => self.order_exited,
            OrderStatus::Refunded => self.refunded,
        }
    }

    /// What a stored movement of points is called.
    pub fn movement(&self, kind: &str) -> &'static str {
        match kind {
            "order_payment" => self.movement_order_payment,
            "order_refund" => self.movement_order_refund,
            "adjustment" => self.movement_adjustment,
            "withdrawal_requested" => self.movement_withdrawal_requested,
            "withdrawal_rejected" => self.movement_withdrawal_rejected,
            "withdrawal_paid" => self.movement_withdrawal_paid,
            _ => self.movement_other,
        }
    }

    /// What an API key's scope lets the key do.
    pub fn scope(&self, scope: crate::domain::scope::Scope) -> &'static str {
        use crate::domain::scope::Scope;
        match scope {
            Scope::OrdersWrite => self.scope_orders_write,
            Scope::MembersRead => self.scope_members_read,
            Scope::MembersWrite => self.scope_members_write,
            Scope::SettlementsWrite => self.scope_settlements_write,
            Scope::PayoutsRead => self.scope_payouts_read,
            Scope::PayoutsWrite => self.scope_payouts_write,
            Scope::Admin => self.scope_admin,
        }
    }

    /// What a stored audit action is called; an action this version does not know, as it is.
    pub fn action<'c>(&self, stored: &'c str) -> &'c str {
        match crate::domain::audit::AuditAction::parse(stored) {
            Some(action) if std::ptr::eq(self, &ZH) => action.zh(),
            Some(action) => action.en(),
            None => stored,
        }
    }

    /// The label of each kind of a day's movement.
    pub fn kinds(&self) -> crate::domain::amounts::ByKind<&'static str> {
        crate::domain::amounts::ByKind {
            r#static: self.kind_static,
            share_g1: self.kind_share_g1,
            share_g2: self.kind_share_g2,
            team: self.kind_team,
            peer: self.kind_peer,
            forfeited: self.kind_forfeited,
        }
    }
}
