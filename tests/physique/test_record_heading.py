"""A resident's own record names its list for what it is (issue 16, item 10): their test results,
not 测试人次 (the figures' count of tests taken)."""

from django.urls import reverse


def test_my_record_lists_test_results_not_a_count(client_for):
    page = client_for("resident").get(reverse("physique:me"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "<h2>测试结果</h2>" in page
    assert "测试人次" not in page
