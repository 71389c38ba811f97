"""The list's statements are kept per shape of selection and run with each request's values."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from komoro_engage.extensions import db
from komoro_engage.proposals import cards
from komoro_engage.proposals.queries import ProposalFilters, filter_values
from tests.proposals.helpers import make_proposal


def _page(args: dict):
    return cards.list_page(ProposalFilters.from_args(MultiDict(args)))


def _titles(page) -> list[str]:
    return sorted(card.title for card in page.items)


def test_one_statement_serves_every_selection_of_its_shape_with_its_own_values(app):
    with app.test_request_context():
        make_proposal(title="公園のベンチ", body="古くなったので直してほしい", areas=(1,))
        make_proposal(title="除雪車の巡回", body="朝の通学路を先に", areas=(2,))
        make_proposal(title="図書館の公園側の入口", body="夜も明るく", areas=(2,))
        db.session.commit()
        cards._kept_cards.cache_clear()
        cards._kept_count.cache_clear()

        assert _titles(_page({"q": "公園", "area": "1"})) == ["公園のベンチ"]
        built = cards._kept_cards.cache_info().misses, cards._kept_count.cache_info().misses
        # Same shape (one bigram, one area), other values: nothing built, its own rows.
        assert _titles(_page({"q": "除雪", "area": "2"})) == ["除雪車の巡回"]
        assert _titles(_page({"q": "公園", "area": "2"})) == ["図書館の公園側の入口"]
        assert (cards._kept_cards.cache_info().misses,
                cards._kept_count.cache_info().misses) == built
        assert cards._kept_cards.cache_info().hits >= 2
        # Another shape (a three-character word is checked as written) gets its own.
        assert _titles(_page({"q": "除雪車", "area": "2"})) == ["除雪車の巡回"]
        assert cards._kept_cards.cache_info().misses == built[0] + 1
        page = _page({"area": "2", "per_page": "1", "page": "2"})
        assert page.total == 2 and len(page.items) == 1


def test_a_kept_statement_holds_no_request_s_values(app):
    """What a resident searched for stays in their request: the kept statement has only
    named parameters without values (a run without them fails, never reuses old ones)."""
    with app.test_request_context():
        make_proposal(title="ひみつ基地の相談", areas=(3,))
        db.session.commit()
        args = {"q": "ひみつ基地", "area": "3", "district": "1"}
        assert _titles(_page(args)) == []  # no district 1 on it: nothing, and kept
        names = tuple(filter_values(ProposalFilters.from_args(MultiDict(args))))
        assert {"area", "district", "gram_0", "word_0"} <= set(names)
        kept = cards._kept_cards(names, "new", False, False)
        compiled = kept.compile(db.engine)
        assert all(compiled.params[name] is None for name in names)
        assert "ひみつ" not in str(compiled.params) and "ひみつ" not in str(compiled)
        assert _titles(_page({"q": "ひみつ基地", "area": "3"})) == ["ひみつ基地の相談"]


def test_a_selection_s_values_go_where_their_names_say(app):
    """The legacy conditions (the map view, the API) and the kept list agree."""
    with app.test_request_context():
        make_proposal(title="駅前の花壇の水やり", areas=(1,))
        make_proposal(title="駅前の駐輪場", areas=(2,))
        db.session.commit()
        from komoro_engage.proposals.map_queries import map_rows
        for args, expected in (({"q": "駅前", "area": "1"}, ["駅前の花壇の水やり"]),
                               ({"q": "駅前", "area": "2"}, ["駅前の駐輪場"]),
                               ({"q": "花壇の水", "area": "1"}, ["駅前の花壇の水やり"])):
            filters = ProposalFilters.from_args(MultiDict(args))
            assert _titles(_page(args)) == expected
            assert sorted(row.title for row in map_rows(filters)) == expected


def test_the_project_list_keeps_its_statements_the_same_way(app):
    from komoro_engage.projects import cards as project_cards
    from komoro_engage.projects.queries import ProjectFilters
    from komoro_engage.projects.queries import filter_values as project_values
    from tests.projects.helpers import make_project

    def project_titles(args):
        page = project_cards.card_page(ProjectFilters.from_args(MultiDict(args)))
        return sorted(card.title for card in page.items)

    with app.test_request_context():
        make_project(title="河川敷の清掃会")
        make_project(title="公園の花壇づくり")
        db.session.commit()
        project_cards._kept_cards.cache_clear()
        assert project_titles({"q": "清掃"}) == ["河川敷の清掃会"]
        built = project_cards._kept_cards.cache_info().misses
        assert project_titles({"q": "花壇"}) == ["公園の花壇づくり"]
        assert project_cards._kept_cards.cache_info().misses == built
        names = tuple(project_values(ProjectFilters.from_args(MultiDict({"q": "花壇"}))))
        compiled = project_cards._kept_cards(names, "new").compile(db.engine)
        assert all(compiled.params[name] is None for name in names)
        assert "花壇" not in str(compiled.params)
        assert project_titles({"q": "花壇", "per_page": "1", "page": "3"}) == []
