"""Issue 16, item 11: `make run` says where the server really answers (HOST and PORT reach load_demo's
closing line), the account list has one line per person with each role once and no mixed languages,
and the residents to try are printed with what to try."""

import io
import re
from pathlib import Path

from django.core.management import call_command

from quanmin.demo.management.commands.load_demo import merged

ROOT = Path(__file__).resolve().parents[2]


def test_make_run_passes_host_and_port_to_the_closing_line():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"load_demo --if-empty --url http://\$\(HOST\):\$\(PORT\)", makefile)


def test_closing_line_names_the_url_given(world):
    out = io.StringIO()
    call_command("load_demo", "--if-empty", "--url", "http://127.0.0.1:8101", stdout=out)
    assert "Open http://127.0.0.1:8101 " in out.getvalue()
    assert "127.0.0.1:8000" not in out.getvalue()


def test_accounts_merge_to_one_line_each_role_once():
    listed = [("13800000010", "周海燕: 场馆运营人员 · 东昌府区体育场"),
              ("13800000020", "孟庆华: 器材巡检人员 · 东昌府区"),
              ("13800000010", "周海燕: 体育组织工作人员 · 夜跑团"),
              ("13800000020", "孟庆华: 器材巡检人员 · 东昌府区; 器材巡检人员 · 东昌府区; 裁判员 · 聊城市")]
    assert merged(listed) == [
        ("13800000010", "周海燕: 场馆运营人员 · 东昌府区体育场; 体育组织工作人员 · 夜跑团"),
        ("13800000020", "孟庆华: 器材巡检人员 · 东昌府区; 裁判员 · 聊城市"),
    ]
