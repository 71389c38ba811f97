"""Account pages on a 360 px phone in a real Chromium, with and without JavaScript."""

import pytest


@pytest.fixture
def phone(browser):
    """The session's Chromium (tests/browser/conftest.py); each test opens its own context."""
    return browser


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def small_targets(page) -> list[str]:
    """Controls under 44 px high (a checkbox counts by the label that wraps it)."""
    return page.evaluate("""() => [...document.querySelectorAll(
        'main input:not([type=hidden]), main select, main button, main .button')]
        .map(el => ['checkbox', 'radio'].includes(el.type) ? el.closest('label') : el)
        .filter(el => el.getBoundingClientRect().height < 44)
        .map(el => el.outerHTML.slice(0, 80))""")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_sign_up_on_a_phone(site, phone, javascript):
    context = phone.new_context(viewport={"width": 360, "height": 740},
                                java_script_enabled=javascript, locale="ja-JP")
    page = context.new_page()
    page.goto(f"{site.url}/signup")
    assert overflow(page) <= 0
    assert small_targets(page) == []
    email = f"phone-{'js' if javascript else 'no-js'}@example.jp"  # one site for both runs
    page.fill("#email", email)
    page.fill("#password", "12345678")
    page.fill("#nickname", f"スマホの人{int(javascript)}")
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    error = page.locator("#password-error")
    assert "よく使われていて" in error.inner_text()
    assert page.get_attribute("#password", "aria-describedby") == "password-hint password-error"
    assert page.input_value("#email") == email  # what was typed is kept
    assert "同意が必要です" in page.locator("#accept_terms-error").inner_text()
    assert overflow(page) <= 0

    page.fill("#password", "asama-yama-2568")
    page.check("#accept_terms")
    page.click("button[type=submit].primary")
    page.wait_for_url("**/signup/check-mail")
    context.close()
