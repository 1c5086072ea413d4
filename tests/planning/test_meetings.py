"""Joint meetings: the plan's owners record a meeting and its members, and each decision becomes a
task of the plan led by the department it names; nothing is written on a bad deadline or by a
reader who does not own the plan."""

from django.urls import reverse

from quanmin.planning.models import Department, JointMeeting, TaskItem, TaskPeriod


def test_meeting_decisions_become_tasks(world, client_for, liaocheng):
    sport = Department.objects.get(division_code=world.city.code, name="市教育体育局")
    health = Department.objects.get(division_code=world.city.code, name="市卫生健康委")
    client = client_for("city")
    url = reverse("planning:meetings", args=[liaocheng.key])
    assert client.post(url, {"title": "全民健身工作联席会议", "held_on": "2022-03-01", "place": "市政府",
                             "members": [sport.pk, health.pk], "minutes": "研究部署年度重点工作。"}).status_code == 302
    meeting = JointMeeting.objects.get()
    assert set(meeting.members.all()) == {sport, health}
    decide = reverse("planning:meeting_decide", args=[liaocheng.key, meeting.pk])
    tasks_before = TaskItem.objects.count()
    # A deadline outside the plan's period: told why, no task.
    client.post(decide, {"text": "推进体医融合", "lead": health.pk, "deadline": "2030-01-01"})
    assert TaskItem.objects.count() == tasks_before
    client.post(decide, {"text": "推进体医融合", "lead": health.pk, "deadline": "2022-12-31"})
    task = meeting.decisions.get().task
    assert (task.plan, task.title, [u.department for u in task.units.all()]) == (liaocheng, "推进体医融合", [health])
    assert TaskPeriod.objects.filter(task=task, due_on="2022-12-31").exists()
    page = client_for("county").get(url).content.decode()
    assert "推进体医融合" in page and "市卫生健康委" in page and 'name="lead"' not in page
    listed = client_for("supervisor").get(f"/api/v1/planning/plans/{liaocheng.key}/meetings").json()["items"]
    assert listed[0]["decisions"][0] == {"text": "推进体医融合", "task_id": task.pk, "task_number": task.number,
                                         "lead_units": ["市卫生健康委"], "deadline": "2022-12-31"}
    # A county's staff read the city's meetings but record nothing.
    client_for("county").post(url, {"title": "越权", "held_on": "2022-03-01"})
    client_for("county").post(decide, {"text": "越权", "lead": sport.pk, "deadline": "2022-12-31"})
    assert JointMeeting.objects.count() == 1 and meeting.decisions.count() == 1
