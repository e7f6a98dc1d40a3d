"""Contrast, skip link, tap targets and print styles, measured in Chromium on the demo city's pages."""

from tests.browser.conftest import PHONE

LUMINANCE = """
(element) => {
  function rgba(text) { return text.match(/[\\d.]+/g).map(Number); }
  function channel(c) { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); }
  function luminance([r, g, b]) { return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b); }
  // The background the link sits on (the nearest one not transparent), the link's colour blended onto it.
  var holder = element, bar = [0, 0, 0, 0];
  while (holder && (bar.length > 3 && bar[3] === 0)) {
    bar = rgba(getComputedStyle(holder).backgroundColor);
    holder = holder.parentElement;
  }
  var fg = rgba(getComputedStyle(element).color);
  var alpha = fg.length > 3 ? fg[3] : 1;
  var text = [0, 1, 2].map(function (i) { return fg[i] * alpha + bar[i] * (1 - alpha); });
  var [light, dark] = [luminance(text), luminance(bar)].sort(function (a, b) { return b - a; });
  return (light + 0.05) / (dark + 0.05);
}
"""


def test_every_link_of_the_navigation_bar_reads_at_more_than_4_5_to_1(browser):
    page = browser.login("leader")
    links = page.locator("nav.navbar a:visible")
    assert links.count() >= 3
    for index in range(links.count()):
        ratio = links.nth(index).evaluate(LUMINANCE)
        assert ratio >= 4.5, (links.nth(index).inner_text(), ratio)


def test_a_skip_link_leads_past_the_navigation_from_the_keyboard(browser):
    page = browser.login("staff")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到主要内容")
    assert skip.evaluate("element => element === document.activeElement") and skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"


def test_the_view_links_of_a_list_are_44_px_tap_targets_on_a_phone(browser):
    page = browser.login("staff", viewport=PHONE)
    browser.goto("/ledgers/onlinelesson/")
    view = page.get_by_role("link", name="查看").first
    box = view.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44


def test_the_dashboard_prints_without_navigation_or_buttons(browser):
    page = browser.login("leader")
    page.emulate_media(media="print")
    assert not page.locator("nav.navbar").is_visible()
    assert page.locator("main").is_visible()
    buttons = page.locator("main .btn")
    assert all(not buttons.nth(i).is_visible() for i in range(buttons.count()))
    white = ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") in white
    page.emulate_media(media="screen")
    assert page.locator("nav.navbar").is_visible()


def test_the_pages_carry_a_favicon(browser):
    page = browser.login("staff")
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(browser.url(icon)).ok
