"""Demo survey for ``flask komoro demo``: the yearly 市民意識調査, closed, answered on the
web by the demo residents and on paper, feeding the share who want to keep living in
Komoro (the vision's 「住み続けたい」 target) as an indicator's actual, confirmed by staff.

Runs after the evaluation demo (which gives measures without indicators their demo one).
Deterministic from the seed; goes through the same services as staff and residents.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from komoro_engage.accounts.models import Role, User
from komoro_engage.core import clock
from komoro_engage.extensions import db
from komoro_engage.plan import queries as plan_queries
from komoro_engage.plan.models import District, Indicator, Measure, PolicyArea, VisionTarget
from komoro_engage.surveys import answering, indicators, paper, services
from komoro_engage.surveys.models import Answer, Survey, SurveyResponse

TITLE = "市民意識調査（令和8年度）"
WISH_TO_STAY = "wish_to_stay"
PAPER_SHEETS = 90
# 1 = そう思う … 5 = そう思わない: about seven in ten answer 1–2, near the vision's 75 %.
STAY_WEIGHTS = (38, 33, 15, 9, 5)
# Sheets collected at 公民館 come mostly from older residents; each names its district
# and age band, so the breakdowns show paper beside web.
PAPER_AGE_BANDS = ("40s", "50s", "60s", "60s", "70_plus", "70_plus")
# Free-text opinions of the first residents, approved by staff, for the survey's map.
OPINIONS = (
    "駅前のバスの本数を増やしてほしい。通院に使うバスが少なくて困っています。",
    "バスの時刻が電車と合っていないので、乗り継ぎが不便です。",
    "高齢の親が免許を返納したので、買い物に行けるバスが欲しい。",
    "小諸駅から病院までのバスをもっと増やしてください。",
    "デマンド交通の予約がもっと簡単になるとうれしいです。",
    "子育て支援センターの開いている時間を延ばしてほしい。",
    "保育園の送り迎えが大変なので、延長保育を使いやすくしてほしい。",
    "子どもが遊べる公園や屋内の遊び場を増やしてほしい。",
    "子育て世代が住みやすいように、保育料の負担を軽くしてほしい。",
    "小児科が少ないので、子どもの急病のときに不安です。",
    "懐古園や城下町の景色をこれからも大切にしてほしい。",
    "浅間山の景色と自然が好きなので、開発しすぎないでほしい。",
    "空き家が増えているので、移住したい人に活用してほしい。",
    "商店街の空き店舗がもったいない。若い人が店を出せるようにしてほしい。",
    "雪の日の除雪をもう少し早くしてほしい。坂道が危ないです。",
    "歩道が狭くて、通学路が危ない場所があります。",
    "夜道が暗いので、街灯を増やしてほしい。",
    "地域の行事に若い人が参加しやすい工夫がほしい。",
)


def _indicator(staff: User) -> Indicator:
    """The 住み続けたい share as an indicator of the participation measure, from the
    vision's target (the vision keeps targets, indicators keep yearly actuals)."""
    target = db.session.scalar(select(VisionTarget).where(VisionTarget.key == WISH_TO_STAY))
    edition = plan_queries.current_edition()
    measure = db.session.scalars(select(Measure).join(PolicyArea).where(
        Measure.edition_id == edition.id).order_by(PolicyArea.number.desc(),
                                                   Measure.sort_key)).first()
    indicator = Indicator(
        measure_id=measure.id, key="demo-wish-to-stay", unit="%",
        name=target.label if target else "小諸市に住み続けたいと思う市民の割合",
        name_en=target.label_en if target else None, baseline_fy=edition.start_fy - 1,
        baseline_value=Decimal("68.0"), target_fy=target.target_fy if target else None,
        target_value=target.value if target else Decimal("75"), direction="higher",
        source="市民意識調査", sort_order=99, edited_by_id=staff.id)
    db.session.add(indicator)
    db.session.flush()
    if target is not None:  # the home page shows the target's latest actual from now on
        target.indicator_id = indicator.id
    return indicator


def _answers(rng: random.Random, survey: Survey) -> dict:
    stay, reasons, _opinion = survey.sections[0].questions
    picks = rng.sample(reasons.options, rng.randint(1, 2))
    point = rng.choices(range(1, 6), weights=STAY_WEIGHTS)[0]
    return {stay.id: point, reasons.id: [option.id for option in picks]}


def load_survey_demo(seed: int, now) -> dict:
    if db.session.scalar(select(Survey.id).where(Survey.title == TITLE)) is not None:
        return {"survey responses": 0}
    rng = random.Random(seed * 104729 + 19)
    staff = db.session.scalar(select(User).where(User.role == Role.STAFF).order_by(User.id))
    residents = db.session.scalars(select(User).where(User.role == Role.RESIDENT)
                                   .order_by(User.id).limit(60)).all()
    with clock.freeze(now - timedelta(days=40)):
        survey = services.create_survey(staff, TITLE, (
            "小諸市の暮らしについて、毎年うかがっています。回答は統計としてのみ使います。"
            "所要時間は約3分です。"))
        section = services.add_section(staff, survey, "暮らしについて")
        question = services.add_question(staff, section, services.QuestionData(
            "scale", "これからも小諸市に住み続けたいと思いますか", required=True,
            help="1＝そう思う、2＝どちらかといえばそう思う、3＝どちらともいえない、"
                 "4＝どちらかといえばそう思わない、5＝そう思わない"))
        services.add_question(staff, section, services.QuestionData(
            "multiple", "小諸市の好きなところ（2つまで）", max_choices=2,
            options=["自然と景色", "子育てのしやすさ", "人のあたたかさ", "買い物や通院の便利さ"]))
        services.add_question(staff, section, services.QuestionData(
            "long_text", "市へのご意見があればお書きください"))
        link = indicators.link_indicator(staff, question, _indicator(staff), [1, 2])
        services.change_status(staff, survey, "publish")
    opinion = section.questions[2]
    for index, person in enumerate(residents):
        response = SurveyResponse(survey_id=survey.id, user_id=person.id)
        db.session.add(response)
        db.session.flush()
        values = _answers(rng, survey)
        if index < len(OPINIONS):
            values[opinion.id] = OPINIONS[index]
        answering.save_page(response, section, values)
        answering.submit(response, person)
    for answer in db.session.scalars(select(Answer).where(Answer.question_id == opinion.id)):
        services.review_text(staff, answer, "approve")
    districts = list(db.session.scalars(select(District.id).order_by(District.id)))
    for sheet in range(1, PAPER_SHEETS + 1):
        paper.enter_paper(staff, survey, f"R8-{sheet:03d}", _answers(rng, survey),
                          district_id=rng.choice(districts) if districts else None,
                          age_band=rng.choice(PAPER_AGE_BANDS))
    with clock.freeze(now - timedelta(days=10)):
        services.change_status(staff, survey, "close")
        indicators.confirm(staff, link, f"アンケート「{TITLE}」", f"/surveys/{survey.id}/results")
    _open_survey(staff)
    return {"survey responses": len(residents) + PAPER_SHEETS}


def _open_survey(staff: User) -> None:
    """A survey open now, for residents to try (and the bench's answer POST)."""
    survey = services.create_survey(staff, "公共交通についてのアンケート",
                                    "バスや鉄道の使い方をうかがいます。所要時間は約2分です。")
    first = services.add_section(staff, survey, "ふだんの移動")
    services.add_question(staff, first, services.QuestionData(
        "scale", "市内の移動に不便を感じますか", required=True,
        help="1＝とても感じる … 5＝まったく感じない"))
    uses = services.add_question(staff, first, services.QuestionData(
        "multiple", "よく使う移動手段（2つまで）", max_choices=2,
        options=["自家用車", "路線バス", "鉄道", "自転車・徒歩"]))
    second = services.add_section(staff, survey, "バスについて")
    services.add_question(staff, second, services.QuestionData(
        "matrix", "路線バスの満足度", rows=["本数", "時刻の正確さ", "運賃"],
        condition_option_id=uses.options[1].id))
    services.add_question(staff, second, services.QuestionData(
        "ranking", "優先してほしい改善",
        options=["本数を増やす", "運賃を下げる", "停留所を増やす"]))
    services.add_question(staff, second, services.QuestionData(
        "long_text", "ご意見があればお書きください"))
    services.change_status(staff, survey, "publish")
