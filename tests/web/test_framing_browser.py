"""A resident signs in inside the city app's frame (F08), in a real Chromium: the app's page on one
site (127.0.0.1) frames Quanmin on another (localhost). With the cookies SameSite=None; Secure (as
settings make them when the allow-list is set over HTTPS; Chromium counts http://localhost as
secure) the framed sign-in holds; left Lax, the frame gets no cookies back and the sign-in fails.
A staff page refuses to be framed."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.conftest import PASSWORD, open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def city_app_page():
    """The city app's web page: one <iframe> of the address it is asked for (?src=)."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            src = self.path.split("?src=", 1)[1] if "?src=" in self.path else ""
            raw = (f"<!DOCTYPE html><title>我的聊城</title><h1>我的聊城</h1>"
                   f"<iframe src='{src}' width='390' height='700'></iframe>").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def frame_sign_in(browser, app_url, live_server, user):
    context, page, errors = open_page(browser, locale="zh-CN")
    page.goto(f"{app_url}/?src={live_server.url}/accounts/login/?next=/accounts/me/")
    frame = page.frame_locator("iframe")
    frame.locator("input[name=phone]").fill(user.phone)
    frame.locator("input[name=password]").fill(PASSWORD)
    frame.locator("main form button[type=submit]").click()
    return context, page, frame


def test_a_resident_signs_in_inside_the_frame(world, live_server, browser, city_app_page, settings):
    from playwright.sync_api import expect

    settings.FRAME_ANCESTORS = [city_app_page]
    settings.SESSION_COOKIE_SAMESITE = settings.CSRF_COOKIE_SAMESITE = "None"
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    context, page, frame = frame_sign_in(browser, city_app_page, live_server, world.users["resident"])
    expect(frame.locator("h1")).to_have_text("我的账户")
    context.close()


def test_lax_cookies_do_not_survive_the_frame(world, live_server, browser, city_app_page, settings):
    from playwright.sync_api import expect

    settings.FRAME_ANCESTORS = [city_app_page]
    context, page, frame = frame_sign_in(browser, city_app_page, live_server, world.users["resident"])
    # The CSRF cookie never came back with the form: refused, and nobody signed in.
    expect(frame.locator("body")).to_contain_text("403")
    context.close()


def test_a_staff_page_is_not_framed(world, live_server, browser, city_app_page, settings):
    settings.FRAME_ANCESTORS = [city_app_page]
    settings.SESSION_COOKIE_SAMESITE = settings.CSRF_COOKIE_SAMESITE = "None"
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    staff_page = f"{live_server.url}/staff/regions/"
    context, page, errors = open_page(browser, locale="zh-CN")
    page.goto(f"{city_app_page}/?src={live_server.url}/accounts/login/?next=/staff/regions/")
    frame = page.frame_locator("iframe")
    frame.locator("input[name=phone]").fill(world.users["county"].phone)
    frame.locator("input[name=password]").fill(PASSWORD)
    with page.expect_response(lambda r: r.url == staff_page) as answered:
        frame.locator("main form button[type=submit]").click()
    assert answered.value.status == 200  # signed in inside the frame: the page was sent ...
    assert "frame-ancestors 'none'" in answered.value.headers["content-security-policy"]
    # ... and Chromium refused to show it in the frame.
    with pytest.raises(Exception, match="ERR_BLOCKED_BY_RESPONSE"):
        page.frames[1].wait_for_url(staff_page)
    context.close()
