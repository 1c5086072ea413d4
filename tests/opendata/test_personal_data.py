"""No personal data in anything open data publishes: every feed item, dataset file, the catalogue and
the activity scheme are scanned for the people of the world (names, phone numbers, ID numbers) and for
anything shaped like a mobile number or an ID number."""

import re

import pytest
from django.test import Client

from quanmin.accounts import crypto
from quanmin.accounts.models import User
from quanmin.booking import services as bs
from quanmin.opendata import changes, datasets
from quanmin.opendata.models import DatasetFile, FeedItem
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")


def test_nothing_published_names_or_identifies_a_person(feeds_world):
    from quanmin.organizations import services as orgs

    su = feeds_world.users["superuser"]
    orgs.update(feeds_world.group, {"contact_name": "王秀英", "contact_phone": "13912345678",
                                    "officers": [{"post": "会长", "name": "李建国"}]}, actor=su)
    feeds_world.site.contact_phone = "13812345678"
    feeds_world.site.save()
    booker = make_user("13711112222", "欧阳娜娜", home=feeds_world.community, seq=41)
    bs.book(booker, feeds_world.unit.slots.exclude(pk=feeds_world.slot.pk).order_by("start")[40].pk)
    changes.stamp()
    datasets.publish()
    texts = [d for d in FeedItem.objects.values_list("data", flat=True)]
    texts += [bytes(c).decode("utf-8") for c in DatasetFile.objects.values_list("content", flat=True)]
    client = Client()
    texts += [client.get(u).content.decode() for u in ("/opendata/catalog.json", "/opendata/dictionary.json",
                                                       "/opendata/activity-list.jsonld", "/opendata/")]
    people = ["王秀英", "李建国", "欧阳娜娜"]
    secrets = ["13912345678", "13812345678"] + [crypto.decrypt(u.phone_enc) for u in User.objects.all()]
    assert len(texts) > 20
    for text in texts:
        assert not MOBILE.search(text), MOBILE.search(text).group()
        assert not ID_NUMBER.search(text), ID_NUMBER.search(text).group()
        for name in people:
            assert name not in text, name
        for value in secrets:
            assert value not in text
