"""What each kind of notification says, and which email category it belongs to.

Messages are Japanese msgids filled with the notification's stored ``params``
when shown, so each reader sees them in their own language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from komoro_engage.core.dates import people_time
from komoro_engage.core.labels import label

PROPOSAL_APPROVED = "proposal_approved"
PROPOSAL_SENT_BACK = "proposal_sent_back"
PROPOSAL_STATUS_CHANGED = "proposal_status_changed"
PROPOSAL_ANSWERED = "proposal_answered"
PROJECT_APPROVED = "project_approved"
PROJECT_SENT_BACK = "project_sent_back"
COMMENT_REPLY = "comment_reply"
ACTIVITY_REMINDER = "activity_reminder"
PROJECT_STATUS_CHANGED = "project_status_changed"
PROJECT_MESSAGE = "project_message"
STAFF_DIGEST = "staff_digest"
# What happens to an item someone follows (notifications/follow_receivers.py).
FOLLOWED_PROPOSAL_STATUS = "followed_proposal_status"
FOLLOWED_PROPOSAL_ANSWERED = "followed_proposal_answered"
FOLLOWED_PROJECT_STATUS = "followed_project_status"
FOLLOWED_ACTIVITY_DAY = "followed_activity_day"
FOLLOWED_REPORT = "followed_report"
FOLLOWED_EVALUATION = "followed_evaluation"
# The daily mail gathering the day's follow notifications of those who chose it.
FOLLOWING_DIGEST = "following_digest"
FOLLOWING = "following"


@dataclass(frozen=True)
class Category:
    """A group of kinds a person switches email on or off for, all at once."""

    name: str
    label: LazyString
    help: LazyString
    default: bool = True
    staff_only: bool = False
    # A choice about how another category's mail comes (not a category of kinds itself).
    option_of: str | None = None


CATEGORIES = {
    category.name: category for category in (
        Category("proposals", _l("自分の提案の審査・状態の変化・市の回答"),
                 _l("公開・差し戻し・検討中や採用などの変化、市の回答が載ったとき。")),
        Category("projects", _l("自分が作った協働プロジェクトの審査"),
                 _l("市の職員がプロジェクトを公開したとき、差し戻したとき。")),
        Category("replies", _l("自分のコメントへの返信"),
                 _l("ほかの人があなたのコメントに返信したとき。")),
        Category("project_news", _l("参加している協働プロジェクトの状況の変化"),
                 _l("募集開始・実施中・完了・中止になったとき。主催者からのお知らせも届きます。")),
        Category("reminders", _l("参加する活動日の前日のお知らせ"),
                 _l("参加を申し込んだ活動日の前日に。")),
        Category(FOLLOWING, _l("フォローしている項目の更新"),
                 _l("フォローしている提案・プロジェクト・施策の状態の変化、市の回答、活動日、"
                    "活動報告、施策の実績が載ったとき。")),
        Category(FOLLOWING_DIGEST, _l("フォローしている項目の更新を1日1回のまとめで受け取る"),
                 _l("選ぶと、フォローしている項目の更新メールは1通ずつではなく、"
                    "1日分をまとめて1通で送ります。サイトのベルにはすぐ表示されます。"),
                 default=False, option_of=FOLLOWING),
        Category("staff_digest", _l("対応待ちの件数の毎日のまとめ（職員）"),
                 _l("審査待ちの提案・確認待ちの広聴の意見・未対応の通報・回答待ちの提案の件数。"
                    "すべて0件の日は送りません。"),
                 staff_only=True),
        # Consent to the city's newsletters: asked for, never assumed (no row = no mail).
        Category("newsletter", _l("市からのお知らせメール"),
                 _l("小諸市からのお知らせ（催しや募集の案内など）。受け取ると選んだ人にだけ届きます。"),
                 default=False),
    )
}
NEWSLETTER = "newsletter"

# kind → (category, subject, message)
_KINDS: dict[str, tuple[str, LazyString, LazyString]] = {
    PROPOSAL_APPROVED: ("proposals", _l("提案が公開されました"),
                        _l("あなたの提案「%(title)s」が公開されました。賛同の募集が始まります。")),
    PROPOSAL_SENT_BACK: ("proposals", _l("提案が差し戻されました"),
                         _l("あなたの提案「%(title)s」が差し戻されました。理由：%(reason)s")),
    PROPOSAL_STATUS_CHANGED: ("proposals", _l("提案の状態が変わりました"),
                              _l("あなたの提案「%(title)s」の状態が「%(status)s」になりました。")),
    PROPOSAL_ANSWERED: ("proposals", _l("提案に市の回答が載りました"),
                        _l("あなたの提案「%(title)s」に市の回答が掲載されました。")),
    PROJECT_APPROVED: ("projects", _l("プロジェクトが公開されました"),
                       _l("あなたが作った協働プロジェクト「%(title)s」が公開されました。")),
    PROJECT_SENT_BACK: ("projects", _l("プロジェクトが差し戻されました"),
                        _l("あなたが作った協働プロジェクト「%(title)s」が差し戻されました。"
                           "理由：%(reason)s")),
    COMMENT_REPLY: ("replies", _l("コメントに返信がありました"),
                    _l("%(nickname)sさんが「%(title)s」のあなたのコメントに返信しました。")),
    PROJECT_STATUS_CHANGED: ("project_news", _l("参加しているプロジェクトの状況が変わりました"),
                             _l("参加している協働プロジェクト「%(title)s」が「%(project_status)s」に"
                                "なりました。%(notice)s")),
    PROJECT_MESSAGE: ("project_news", _l("主催者からのお知らせ"),
                      _l("協働プロジェクト「%(title)s」の主催者からのお知らせです。\n"
                         "件名：%(subject)s\n\n%(body)s")),
    ACTIVITY_REMINDER: ("reminders", _l("明日は活動日です"),
                        _l("明日は「%(title)s」の活動日です（%(starts_at)s から）。")),
    STAFF_DIGEST: ("staff_digest", _l("対応待ちのまとめ"),
                   _l("審査待ちの提案 %(pending)s件、確認待ちの広聴の意見 %(statements)s件、"
                      "未対応の通報 %(reports)s件、回答待ちの提案 %(answers)s件があります。")),
    FOLLOWED_PROPOSAL_STATUS: (FOLLOWING, _l("フォロー中の提案の状態が変わりました"),
                               _l("提案「%(title)s」の状態が「%(status)s」になりました。"
                                 "%(via)s")),
    FOLLOWED_PROPOSAL_ANSWERED: (FOLLOWING, _l("フォロー中の提案に市の回答が載りました"),
                                 _l("提案「%(title)s」に市の回答が掲載されました。%(via)s")),
    FOLLOWED_PROJECT_STATUS: (FOLLOWING, _l("フォロー中のプロジェクトの状況が変わりました"),
                              _l("協働プロジェクト「%(title)s」が「%(project_status)s」に"
                                 "なりました。%(via)s%(notice)s")),
    FOLLOWED_ACTIVITY_DAY: (FOLLOWING, _l("フォロー中のプロジェクトに活動日が加わりました"),
                            _l("協働プロジェクト「%(title)s」に活動日「%(day_title)s」"
                               "（%(starts_at)s から）が加わりました。%(via)s")),
    FOLLOWED_REPORT: (FOLLOWING, _l("フォロー中のプロジェクトに活動報告が載りました"),
                      _l("協働プロジェクト「%(title)s」に活動報告が載りました。%(via)s")),
    FOLLOWED_EVALUATION: (FOLLOWING, _l("フォロー中の施策に実績が載りました"),
                          _l("フォローしている施策「%(title)s」の指標「%(indicator)s」に"
                             "%(fiscal_year)s年度の実績が載りました。")),
}

KINDS = tuple(_KINDS)
SCOPE_LABELS = {"measure": _l("施策"), "policy_area": _l("政策分野"), "district": _l("地区")}
FOLLOW_KINDS = tuple(kind for kind, (category, *_rest) in _KINDS.items() if category == FOLLOWING)


def category_of(kind: str) -> Category:
    return CATEGORIES[_KINDS[kind][0]]


def subject(kind: str, params: dict | None = None) -> str:
    """The short heading of ``kind`` in the current language; an organisers' message adds
    its own subject (single-line text: the form refuses line breaks)."""
    heading = str(_KINDS[kind][1])
    if kind == PROJECT_MESSAGE and params and params.get("subject"):
        return _("%(heading)s：%(subject)s", heading=heading, subject=params["subject"])
    return heading


def message(kind: str, params: dict) -> str:
    """The sentence of a notification in the current language (plain text: escape it)."""
    values = dict(params)
    if kind == STAFF_DIGEST:
        # Digests stored before statements were counted have no such count.
        values.setdefault("statements", 0)
    if "status" in values:
        values["status"] = label("proposal_status", values["status"])
    if "project_status" in values:
        values["project_status"] = label("project_status", values["project_status"])
        notice = values.get("reason")
        values["notice"] = _("お知らせ：%(notice)s", notice=notice) if notice else ""
    if kind in FOLLOW_KINDS and kind != FOLLOWED_EVALUATION:
        # Told as a follower of the item's district, policy area or measure: which one.
        via = values.get("via")
        values["via"] = _("（フォローしている%(scope)s「%(name)s」の項目です）",
                          scope=SCOPE_LABELS[via], name=values.get("via_title", "")
                          ) if via in SCOPE_LABELS else ""
    if "starts_at" in values:
        values["starts_at"] = people_time(datetime.fromisoformat(values["starts_at"]))
    return str(_KINDS[kind][2]) % values
