"""What the console says after an action: the items named, a list capped with 「ほかN件」,
and why an item was left."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from komoro_engage.staff.actions import Outcome

# The titles a message names before 「ほかN件」.
NAMED = 5
DONE = {
    "approve": _l("%(items)sを承認して公開しました。"),
    "send_back": _l("%(items)sを差し戻しました。"),
    "hide": _l("%(items)sを非表示にしました。"),
    "restore": _l("%(items)sを再表示しました。"),
    "dismiss": _l("%(items)sへの通報を却下しました。"),
    "link": _l("%(items)sを施策 %(code)s に紐付けました。"),
    "undo": _l("%(items)sを元に戻しました。"),
}
WHY = {
    "gone": _l("見つかりませんでした（削除された可能性があります）。"),
    "changed": _l("ほかの職員が先に処理したか、状態が変わっていたため処理しませんでした。"),
    "not_linkable": _l("この状態の提案は施策に紐付けられません。"),
    "already": _l("この施策にはすでに紐付いています（変更なし）。"),
}


def named(keys: list[str], titles: dict[str, str]) -> str:
    """「A」、「B」 ほか3件: up to :data:`NAMED` titles, then how many more."""
    shown = _("、").join(_("「%(title)s」", title=titles.get(key, "")) for key in keys[:NAMED])
    if len(keys) > NAMED:
        shown += _(" ほか%(n)d件", n=len(keys) - NAMED)
    return shown


def done_message(action: str, outcome: Outcome, **extra) -> str:
    """「〇〇」を差し戻しました。 (and the others, capped)."""
    return str(DONE[action]) % {"items": named(outcome.done, outcome.titles), **extra}


def why(outcome: Outcome) -> dict[str, str]:
    """Each left item's reason, by key."""
    return {key: str(WHY[outcome.why.get(key, "changed")]) for key in outcome.skipped}
