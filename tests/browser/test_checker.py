"""The eligibility checker in real Chromium: one evaluator in two languages, keyboard journeys to
every outcome, accessibility at every step, nothing stored or sent, and the same journey without
JavaScript through the static pages."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest

from generator.render.checker_site import published_graph
from generator.rules.eligibility import Result, compile_graph, enumerate_paths, evaluate
from generator.sources.load import load_project

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def graph():
    """The graph as the page gets it: compiled by rules/eligibility, its bodies made HTML."""
    return published_graph(compile_graph(load_project(ROOT).checker))


@pytest.fixture(scope="module")
def journeys(graph):
    """One path to each outcome (the first in enumeration order), as (outcome id, path)."""
    chosen = {}
    for found in enumerate_paths(graph):
        chosen.setdefault(found.outcome, found.path)
    return list(chosen.items())


def _question(graph, question_id):
    return next(q for q in graph["questions"] if q["id"] == question_id)


def _outcome(graph, outcome_id):
    return next(o for o in graph["outcomes"] if o["id"] == outcome_id)


def _label(graph, question_id, option_id):
    return next(
        o["label"] for o in _question(graph, question_id)["options"] if o["id"] == option_id
    )


def _focused(page) -> dict:
    return page.evaluate(
        "() => { const e = document.activeElement; return {tag: e.tagName.toLowerCase(), "
        "text: e.textContent.trim(), start: e.hasAttribute('data-tr-start-link')}; }"
    )


def _open_checker(page, site_url):
    """Open the start page, wait for checker.js to take over; return its URL."""
    page.goto(site_url("checker/"), wait_until="load")
    page.wait_for_selector("[data-tr-checker][data-tr-ready]", state="attached")
    return page.url


def _answer(page, label: str):
    page.get_by_role("radio", name=label, exact=True).check()
    page.get_by_role("button", name="Continue").click()


# --- One meaning, two evaluators ----------------------------------------------------------------


def _answer_sets(graph):
    """Every full path, every prefix of one, and each with extra answers off the path or invalid."""
    questions = [q["id"] for q in graph["questions"]]
    sets = [{}]
    for found in enumerate_paths(graph):
        for length in range(len(found.path) + 1):
            prefix = dict(found.path[:length])
            sets.append(prefix)
            off_path = {q: "yes" for q in questions if q not in prefix}
            sets.append({**off_path, **prefix})
            sets.append({**prefix, **{q: "maybe" for q in questions if q not in prefix}})
    # Every combination of the first three questions' options, the rest unanswered or all "no".
    first = graph["questions"][:3]
    for combination in itertools.product(*[[o["id"] for o in q["options"]] for q in first]):
        answers = dict(zip([q["id"] for q in first], combination, strict=True))
        sets.append(answers)
        sets.append({**{q: "no" for q in questions}, **answers})
    sets.append({"constructor": "yes", "__proto__": "no", "toString": "x"})
    return sets


def test_script_and_python_agree_on_every_path_and_more(page, site_url, graph):
    _open_checker(page, site_url)
    embedded = page.evaluate(
        "() => JSON.parse(document.querySelector('[data-tr-graph]').textContent)"
    )
    assert embedded == graph, (
        "the page's graph is not the one generator/render/checker_site.py publishes"
    )
    answer_sets = _answer_sets(graph)
    from_script = page.evaluate(
        "([graph, sets]) => sets.map(answers => window.TRChecker.evaluate(graph, answers))",
        [graph, answer_sets],
    )
    assert len(from_script) == len(answer_sets) >= 100
    for answers, js in zip(answer_sets, from_script, strict=True):
        python = evaluate(graph, answers)
        assert (
            Result(js["outcome"], tuple(tuple(step) for step in js["path"]), js["nextQuestion"])
            == python
        ), answers
    paths = enumerate_paths(graph)
    assert {found.outcome for found in paths} == {o["id"] for o in graph["outcomes"]}


def test_real_ui_agrees_with_python_on_a_sample_of_paths(page, site_url, graph):
    paths = enumerate_paths(graph)
    sample = [paths[0], paths[len(paths) // 2], paths[-1]]
    for found in sample:
        _open_checker(page, site_url)
        page.get_by_role("link", name="Start now").click()
        for question_id, option_id in found.path:
            assert page.locator("legend h1").inner_text() == _question(graph, question_id)["text"]
            assert "null" not in page.locator("[data-tr-view]").inner_text()
            _answer(page, _label(graph, question_id, option_id))
        assert (
            page.locator(".tr-outcome__title").inner_text()
            == _outcome(graph, found.outcome)["title"]
        )


# --- Keyboard only, every outcome, axe at every step -------------------------------------------


def _tab_to_start(page):
    for _ in range(80):
        page.keyboard.press("Tab")
        if _focused(page)["start"]:
            return
    pytest.fail("Tab never reached the Start link")


def _tab_to(page, tag: str, text: str):
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if focused["tag"] == tag and focused["text"] == text:
            return
    pytest.fail(f"Tab never reached the {tag} {text!r}")


def test_keyboard_reaches_every_outcome_with_no_axe_violations(
    page, site_url, graph, journeys, axe_violations
):
    violations: list[str] = []
    checked: set[str] = set()
    for outcome_id, path in journeys:
        start_url = _open_checker(page, site_url)
        _tab_to_start(page)
        page.keyboard.press("Enter")
        for question_id, option_id in path:
            question = _question(graph, question_id)
            focused = _focused(page)
            assert (focused["tag"], focused["text"]) == ("h1", question["text"]), focused
            if question_id not in checked:
                checked.add(question_id)
                violations += axe_violations(page)
            index = [o["id"] for o in question["options"]].index(option_id)
            page.keyboard.press("Tab")  # into the radio group: its first radio, nothing chosen yet
            page.keyboard.press("Space")
            for _ in range(index):
                page.keyboard.press("ArrowDown")  # moves to and chooses the next radio
            assert page.locator("input[type=radio]:checked").get_attribute("value") == option_id
            _tab_to(page, "button", "Continue")
            page.keyboard.press("Enter")
        outcome = _outcome(graph, outcome_id)
        focused = _focused(page)
        assert (focused["tag"], focused["text"]) == ("h1", outcome["title"]), focused
        # The address is the outcome's static page: a shared link or a reload shows it too.
        assert page.url == site_url(f"checker/outcome/{outcome_id}/"), (start_url, page.url)
        violations += axe_violations(page)
    assert checked == {q["id"] for q in graph["questions"]}
    assert not violations, "axe-core found violations:\n  " + "\n  ".join(violations)


# --- The error state ----------------------------------------------------------------------------


def test_continue_without_an_answer_shows_the_govuk_error_summary(
    page, site_url, graph, assert_no_axe_violations
):
    start_url = _open_checker(page, site_url)
    page.get_by_role("link", name="Start now").click()
    first = graph["questions"][0]
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert summary.evaluate("e => e === document.activeElement")
    assert summary.locator("h2").inner_text() == "There is a problem"
    assert page.title().startswith("Error: " + first["text"])
    link = summary.locator("a")
    assert link.inner_text() == "Select an answer"
    inline = page.locator(".govuk-error-message")
    assert inline.inner_text().replace("\n", " ") == "Error: Select an answer"
    described = page.locator("fieldset").get_attribute("aria-describedby").split()
    assert inline.get_attribute("id") in described
    assert_no_axe_violations(page)
    link.click()
    assert page.evaluate("() => document.activeElement.type") == "radio"
    assert page.evaluate("() => document.activeElement.id") == link.get_attribute("href")[1:]
    assert page.url == site_url(f"checker/q/{first['id']}/"), "no fragment in the URL"
    assert start_url == site_url("checker/")
    # Choosing an answer and continuing clears the error.
    _answer(page, first["options"][0]["label"])
    assert page.locator(".govuk-error-summary").count() == 0
    assert not page.title().startswith("Error:")


# --- Back, browser Back and Change --------------------------------------------------------------


def _heading(page) -> str:
    return page.locator("legend h1, h1.tr-outcome__title").first.inner_text()


def test_back_link_and_browser_back_agree(page, site_url, graph):
    start_url = _open_checker(page, site_url)
    page.get_by_role("link", name="Start now").click()
    first, second, third = (q["id"] for q in graph["questions"][:3])
    assert page.evaluate("() => history.state") == {"step": 0}
    _answer(page, _label(graph, first, "yes"))
    _answer(page, _label(graph, second, "yes"))
    assert _heading(page) == _question(graph, third)["text"]
    assert page.evaluate("() => history.state") == {"step": 2}
    entries = page.evaluate("() => history.length")

    # The Back link is the browser's Back: no new history entry, so Back after it goes further back.
    page.locator(".govuk-back-link").click()
    assert _heading(page) == _question(graph, second)["text"]
    assert page.get_by_role("radio", name=_label(graph, second, "yes"), exact=True).is_checked()
    assert _focused(page)["tag"] == "h1"
    assert page.evaluate("() => history.length") == entries
    page.go_back()
    assert _heading(page) == _question(graph, first)["text"]
    assert page.get_by_role("radio", name=_label(graph, first, "yes"), exact=True).is_checked()
    page.go_forward()
    assert _heading(page) == _question(graph, second)["text"]
    assert page.evaluate("() => history.state") == {"step": 1}
    # Back from the first question is the start page, still the same URL.
    page.locator(".govuk-back-link").click()
    page.locator(".govuk-back-link").click()
    assert page.locator("[data-tr-start]").is_visible()
    assert page.url == start_url


def test_change_then_continue_returns_to_the_answers_when_the_route_is_unchanged(
    page, site_url, graph, journeys, assert_no_axe_violations
):
    eligible = next(o for o in graph["outcomes"] if o["result"] == "eligible")
    path = dict(journeys)[eligible["id"]]
    _open_checker(page, site_url)
    page.get_by_role("link", name="Start now").click()
    for question_id, option_id in path:
        _answer(page, _label(graph, question_id, option_id))
    rows = page.locator(".govuk-summary-list__row")

    # Same answer again: straight back to the answers, not through every later question.
    rows.nth(1).get_by_role("link").click()
    second_id = path[1][0]
    assert _heading(page) == _question(graph, second_id)["text"]
    page.get_by_role("button", name="Continue").click()
    assert _heading(page) == eligible["title"]
    assert _focused(page)["tag"] == "h1"
    assert_no_axe_violations(page)
    # Its Back link and the browser's Back both return to the question that was changed.
    page.locator(".govuk-back-link").click()
    assert _heading(page) == _question(graph, second_id)["text"]
    page.go_forward()
    page.go_back()
    assert _heading(page) == _question(graph, second_id)["text"]
    page.go_forward()

    # An answer that changes the route asks the question the new route needs next: a journey
    # that ends early, its last answer changed to one that leads on to an unseen question.
    questions = {q["id"] for q in graph["questions"]}
    short_path, option_id, next_question = next(
        (found, option["id"], option["next"])
        for _, found in journeys
        for option in _question(graph, found[-1][0])["options"]
        if option["next"] in questions and option["next"] not in dict(found)
    )
    page.get_by_role("link", name="Start again").click()
    for question_id, chosen in short_path:
        _answer(page, _label(graph, question_id, chosen))
    rows.nth(len(short_path) - 1).get_by_role("link").click()
    _answer(page, _label(graph, short_path[-1][0], option_id))
    assert _heading(page) == _question(graph, next_question)["text"]
    assert_no_axe_violations(page)


def test_the_external_agency_outcome_offers_no_form(page, site_url, graph, journeys):
    path = dict(journeys)["ask_case_holder"]
    _open_checker(page, site_url)
    page.get_by_role("link", name="Start now").click()
    for question_id, option_id in path:
        _answer(page, _label(graph, question_id, option_id))
    assert page.locator(".govuk-tag").inner_text() == "Not yet"
    hrefs = page.locator("h2:text-is('What to do next') + ul a").evaluate_all(
        "links => links.map(a => new URL(a.href).pathname)"
    )
    assert hrefs and "/referral-form/" not in hrefs
    assert not any(h.endswith(".pdf") for h in hrefs)


def test_outcome_shows_result_reason_next_steps_and_answers(page, site_url, graph, journeys):
    eligible = next(o for o in graph["outcomes"] if o["result"] == "eligible")
    path = dict(journeys)[eligible["id"]]
    _open_checker(page, site_url)
    page.get_by_role("link", name="Start now").click()
    for question_id, option_id in path:
        _answer(page, _label(graph, question_id, option_id))

    heading = page.locator("h1.tr-outcome__title")
    assert heading.inner_text() == eligible["title"]
    assert heading.evaluate("e => e === document.activeElement")
    page.wait_for_function(
        "title => document.querySelector('[data-tr-live]').textContent === title",
        arg=eligible["title"],
    )
    assert page.locator(".govuk-tag").inner_text() == "Eligible"
    # One list of the answers (the summary list below), not a "Why" list beside it.
    assert page.locator("h2:text-is('Why')").count() == 0
    assert page.locator("h2:text-is('Your answers')").count() == 1

    hrefs = page.locator("h2:text-is('What to do next') + ul a").evaluate_all(
        "links => links.map(a => new URL(a.href).pathname)"
    )
    for expected in (
        "/referral-form/",
        "/downloads/referral-form-blank.pdf",
        "/how-to-refer/",
        "/contact/",
    ):
        assert expected in hrefs, hrefs
    for href in hrefs:
        response = page.request.get(site_url(href))
        assert response.ok, f"{href}: HTTP {response.status}"

    rows = page.locator(".govuk-summary-list__row")
    assert rows.count() == len(path)
    for index, (question_id, option_id) in enumerate(path):
        row = rows.nth(index)
        question = _question(graph, question_id)["text"]
        assert row.locator("dt").inner_text() == question
        assert row.locator(".govuk-summary-list__value").inner_text() == _label(
            graph, question_id, option_id
        )
        hidden = row.locator(".govuk-summary-list__actions .govuk-visually-hidden").inner_text()
        assert question in hidden
        assert page.get_by_role("link", name=f"Change {hidden.strip()}", exact=True).count() == 1

    # Change the second answer: its question comes back with the answer selected.
    rows.nth(1).get_by_role("link").click()
    second_id, second_option = path[1]
    assert page.locator("legend h1").inner_text() == _question(graph, second_id)["text"]
    assert page.get_by_role(
        "radio", name=_label(graph, second_id, second_option), exact=True
    ).is_checked()
    page.go_back()
    assert page.locator("h1.tr-outcome__title").inner_text() == eligible["title"]

    # Print: the button prints; print media shows today's date and hides the buttons.
    page.evaluate("() => { window.print = () => { window.__printed = true; }; }")
    page.get_by_role("button", name="Print your answers and result").click()
    assert page.evaluate("() => window.__printed === true")
    date = page.locator(".tr-print-date")
    assert not date.is_visible()
    page.emulate_media(media="print")
    assert date.is_visible()
    assert re.search(r"\b20\d\d\b", date.inner_text())
    assert not page.get_by_role("button", name="Print your answers and result").is_visible()
    assert page.locator(".govuk-summary-list").is_visible()
    page.emulate_media(media="screen")

    # Start again forgets every answer.
    page.get_by_role("link", name="Start again").click()
    first = graph["questions"][0]
    assert page.locator("legend h1").inner_text() == first["text"]
    assert page.locator("input[type=radio]:checked").count() == 0


# --- Privacy: nothing stored, nothing sent, nothing in the URL ---------------------------------


def test_answering_sends_and_stores_nothing(page, site_url, graph, journeys):
    start_url = _open_checker(page, site_url)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.get_by_role("link", name="Start now").click()
    for outcome_id, path in journeys[:3]:
        for question_id, option_id in path:
            _answer(page, _label(graph, question_id, option_id))
            # The step's static page's address: a question's or an outcome's id, never an answer.
            assert re.fullmatch(re.escape(start_url) + r"(q|outcome)/[a-z0-9_]+/", page.url), (
                page.url
            )
            assert option_id not in page.url.replace(start_url, "").split("/")[1:]
            state = page.evaluate("() => history.state")
            assert set(state) == {"step"} and isinstance(state["step"], int)
        assert (
            page.locator("h1.tr-outcome__title").inner_text()
            == _outcome(graph, outcome_id)["title"]
        )
        page.get_by_role("link", name="Start again").click()
    # Only the page's own icon, which the browser fetches again when the address changes: the
    # address of each step is its static page's, and the icon's request carries nothing else.
    others = [url for url in requests if not url.endswith("/assets/images/favicon.png")]
    assert others == [], f"answering made requests: {others}"
    assert page.context.cookies() == []
    stored = page.evaluate("() => ({local: localStorage.length, session: sessionStorage.length})")
    assert stored == {"local": 0, "session": 0}


def test_reload_opens_the_steps_static_page_and_forgets_the_answers(page, site_url, graph):
    _open_checker(page, site_url)
    page.get_by_role("link", name="Start now").click()
    first = graph["questions"][0]
    page.get_by_role("radio").first.check()
    page.get_by_role("button", name="Continue").click()
    second = _question(graph, first["options"][0]["next"])
    assert page.url == site_url(f"checker/q/{second['id']}/")
    page.reload(wait_until="load")
    # The static page of that question, which works without JavaScript: its answers are links.
    assert page.locator("h1").inner_text() == second["text"]
    links = page.locator(".tr-answer-links a")
    assert links.all_inner_texts() == [o["label"] for o in second["options"]]
    assert page.evaluate("() => sessionStorage.length + localStorage.length") == 0
    # Back from there is the first question's static page, as the address says.
    page.locator("a.govuk-back-link").click()
    assert page.url == site_url(f"checker/q/{first['id']}/")


def test_back_and_forward_follow_the_addresses(page, site_url, graph):
    start_url = _open_checker(page, site_url)
    page.get_by_role("link", name="Start now").click()
    first = graph["questions"][0]
    assert page.url == site_url(f"checker/q/{first['id']}/")
    _answer(page, _label(graph, first["id"], "no"))
    outcome = first["options"][1]["next"]
    assert page.url == site_url(f"checker/outcome/{outcome}/")
    page.go_back()
    assert page.url == site_url(f"checker/q/{first['id']}/")
    assert _heading(page) == first["text"]
    page.go_back()
    assert page.url == start_url
    assert page.locator("[data-tr-start]").is_visible()
    page.go_forward()
    page.go_forward()
    assert page.url == site_url(f"checker/outcome/{outcome}/")
    assert _heading(page) == _outcome(graph, outcome)["title"]
    # The page's other links still lead where they say after the address changed.
    nav = page.locator(".md-sidebar--primary a[href$='/checker/']").first
    assert nav.evaluate("a => new URL(a.href).pathname") == "/checker/"


def test_checker_opened_from_the_navigation_works(page, site_url):
    # Material's instant navigation stays off (mkdocs.yml): following a link loads a whole page,
    # and checker.js starts on it as on any page load.
    page.goto(site_url(""), wait_until="load")
    config = json.loads(page.locator("#__config").text_content())
    assert "navigation.instant" not in config["features"]
    page.locator(".md-sidebar--primary a[href$='checker/']").first.click()
    page.wait_for_selector("[data-tr-checker][data-tr-ready]", state="attached")
    page.get_by_role("link", name="Start now").click()
    assert page.locator("legend h1").is_visible()


def test_a_second_document_signal_does_not_start_the_checker_twice(page, site_url):
    # checker.js also follows Material's document$ (for instant navigation, should it be turned on);
    # a page signalled twice must still have one checker, and one Start adds one history entry.
    _open_checker(page, site_url)
    assert page.evaluate("() => typeof window.document$.next") == "function"
    page.evaluate("() => window.document$.next(document)")
    before = page.evaluate("() => history.length")
    page.get_by_role("link", name="Start now").click()
    assert page.evaluate("() => history.length") == before + 1
    assert page.locator("[data-tr-view] form").count() == 1


# --- Without JavaScript: the static pages -------------------------------------------------------


def _follow_without_javascript(page, site_url, graph, path, outcome_id):
    page.goto(site_url("checker/"), wait_until="load")
    assert page.locator("[data-tr-view]").is_hidden()
    page.get_by_role("link", name="Start now").click()
    for question_id, option_id in path:
        question = _question(graph, question_id)
        assert page.locator("h1").inner_text() == question["text"]
        if question["hint"]:
            assert page.locator(".govuk-hint").inner_text() == question["hint"]
        page.locator(".tr-answer-links").get_by_role(
            "link", name=_label(graph, question_id, option_id), exact=True
        ).click()
        assert "?" not in page.url and "#" not in page.url, page.url
    outcome = _outcome(graph, outcome_id)
    assert page.locator("h1").inner_text() == outcome["title"]
    assert page.url.endswith(f"/checker/outcome/{outcome_id}/")
    return outcome


def test_without_javascript_reach_an_eligible_and_a_not_eligible_outcome(
    open_page, site_url, graph, journeys
):
    page = open_page(javascript=False)
    results = {o["id"]: o["result"] for o in graph["outcomes"]}
    eligible = next((o, p) for o, p in journeys if results[o] == "eligible")
    not_eligible = next((o, p) for o, p in journeys if results[o] == "not_eligible")
    for outcome_id, path in (eligible, not_eligible):
        outcome = _follow_without_javascript(page, site_url, graph, path, outcome_id)
        assert (
            page.locator(".govuk-tag").inner_text()
            == {"eligible": "Eligible", "not_eligible": "Not eligible"}[outcome["result"]]
        )
        last_question, last_option = path[-1]
        answers = page.locator("h2:text-is('Your answers') + dl").inner_text()
        assert _label(graph, last_question, last_option) in answers
        change = page.locator("h2:text-is('Your answers') + dl a").last
        assert change.evaluate("a => new URL(a.href).pathname") == f"/checker/q/{last_question}/"
        page.get_by_role("link", name="Start again").click()
        assert page.url == site_url("checker/")


def test_without_javascript_every_static_page_has_a_way_back(open_page, site_url, graph):
    page = open_page(javascript=False)
    leads_to = {}
    for question in graph["questions"]:
        for option in question["options"]:
            leads_to.setdefault(option["next"], set()).add(question["id"])
    # A page reached from several questions (one Back link to each) is also tested without a
    # browser, on a checker that has one: tests/test_eligibility.py.
    nodes = [q["id"] for q in graph["questions"]] + [o["id"] for o in graph["outcomes"]]
    for node in nodes:
        kind = "q" if node in {q["id"] for q in graph["questions"]} else "outcome"
        page.goto(site_url(f"checker/{kind}/{node}/"))
        backs = page.locator("a.govuk-back-link")
        targets = {
            href.rstrip("/").rsplit("/", 1)[-1]
            for href in backs.evaluate_all("links => links.map(a => a.href)")
        }
        expected = leads_to.get(node) or {"checker"}
        assert targets == expected, f"{node}: Back leads to {targets}, not {expected}"
        if len(expected) > 1:
            assert all(t.startswith("Back to: ") for t in backs.all_inner_texts())
        # No "Next" or "Previous" page links inside the checker.
        assert page.locator(".md-footer__link:visible").count() == 0, node
    page.goto(site_url("checker/"))
    assert page.locator(".md-footer__link:visible").count() == 0, "the start page"


# --- Personas: questions and clicks from the home page to the outcome, with and without JavaScript

# Each persona's answers, the outcome they must reach, the words its next steps must hold, and
# the questions and clicks it takes. With JavaScript a question is a radio and Continue (2
# clicks); without, a link (1 click); the home page's start button is 1 click and opens the first
# question. Before this round (main at 20d2b6b):
# eligible 9 questions, 19 clicks (10 without JavaScript); not the case-holder 5 and 11 (6);
# risk status not known 3 and 7 (4), ending at "must have a risk status"; family not agreeing 9
# and 19 (10), ending at "not yet".
PERSONAS = {
    "eligible case-holder": (
        {"case_holder": "yes", "age": "yes", "exploitation": "yes", "risk_status": "yes"}
        | {"open_to_cf": "yes", "cera": "yes", "mace": "yes", "mace_recommends": "yes"}
        | {"young_person_agrees": "yes", "family_agrees": "yes"},
        "refer",
        ["case-holder", "LCS", "Referrals Panel", "alongside the CERA", "prepare and print"],
        10,
    ),
    "not the case-holder": (
        {"case_holder": "no"},
        "ask_case_holder",
        ["talk to the young person's C&F Service case-holder", "MACE Level 1"],
        1,
    ),
    "risk status not known": (
        {"case_holder": "yes", "age": "yes", "exploitation": "yes", "risk_status": "not_known"},
        "find_risk_status",
        ["ask the MACE Level 1 forum", "risk level"],
        4,
    ),
    "family does not agree": (
        {"case_holder": "yes", "age": "yes", "exploitation": "yes", "risk_status": "yes"}
        | {"open_to_cf": "yes", "cera": "yes", "mace": "yes", "mace_recommends": "yes"}
        | {"young_person_agrees": "yes", "family_agrees": "no"},
        "family_disagrees",
        ["can still be made", "record on the referral why", "Referrals Panel"],
        10,
    ),
}


# The home page's start button (tests/browser/test_start_page_in_browser.py checks where it is).
START_BUTTON = ".tr-start a.govuk-button--start"


def _persona_result(page, graph, outcome_id, words):
    outcome = _outcome(graph, outcome_id)
    assert page.locator("h1.tr-outcome__title").inner_text() == outcome["title"]
    body = " ".join(page.locator(".tr-outcome__body").inner_text().split())
    for expected in words:
        assert expected in body, (expected, body)
    # Every outcome says what to do next, and offers its links.
    assert page.locator("h2:text-is('What to do next')").count() == 1
    assert page.locator("h2:text-is('Your answers')").count() == 1


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("persona", list(PERSONAS))
def test_persona_from_the_home_page(open_page, site_url, graph, persona, javascript):
    """The home page's start button opens the first question's page; each answer is a link to
    the next page, with or without JavaScript, so Back, reload and a shared link all work."""
    answers, outcome_id, words, question_count = PERSONAS[persona]
    page = open_page(javascript=javascript)
    page.goto(site_url(""), wait_until="load")
    page.locator(START_BUTTON).click()
    clicks, questions = 1, 0
    page.wait_for_url(site_url(f"checker/q/{graph['start']}/"))
    while "/checker/q/" in page.url:
        question_id = page.url.rstrip("/").rsplit("/", 1)[-1]
        questions += 1
        page.locator(".tr-answer-links").get_by_role(
            "link", name=_label(graph, question_id, answers[question_id]), exact=True
        ).click()
        clicks += 1
        page.wait_for_load_state("load")
    assert page.url == site_url(f"checker/outcome/{outcome_id}/")
    _persona_result(page, graph, outcome_id, words)
    assert (questions, clicks) == (question_count, 1 + question_count), persona
    eligible = _outcome(graph, outcome_id)["result"] == "eligible"
    # The static page keeps its next steps in a block of their own after the heading.
    offers_form = page.locator(".tr-checker--static a[href$='/referral-form/']")
    assert offers_form.count() == (1 if eligible else 0)


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_persona_in_the_checker_page(page, site_url, graph, persona):
    """The checker's own page (/checker/), where its script asks one question at a time."""
    answers, outcome_id, words, question_count = PERSONAS[persona]
    _open_checker(page, site_url)
    clicks, questions = 1, 0
    page.get_by_role("link", name="Start now").click()
    while page.locator("legend h1").count():
        question_id = page.locator("form[data-tr-question]").get_attribute("data-tr-question")
        questions += 1
        _answer(page, _label(graph, question_id, answers[question_id]))
        clicks += 2
        page.wait_for_selector("h1:focus")
    assert page.url == site_url(f"checker/outcome/{outcome_id}/")
    _persona_result(page, graph, outcome_id, words)
    assert (questions, clicks) == (question_count, 1 + 2 * question_count), persona


# The static pages' own axe run is in tests/browser/test_site.py, which checks every page.
