"""Every malformed article body is a 4xx in the error shape, never a 500: deep nesting, huge
numbers, lone surrogates, wrong types. A lone surrogate inside the article's text is not an
error: it is read as U+FFFD, so the reading can be written as UTF-8."""

from __future__ import annotations

from typing import Any

import pytest

JSON = {"content-type": "application/json"}


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("[" * 5000 + "]" * 5000, "nested too deeply"),
        ('{"text": ' + "[" * 3000 + "]" * 3000 + "}", "nested too deeply"),
        ('{"text": "NATO", "x": ' + "9" * 5000 + "}", "number"),
        ('{"text": 5}', "non-empty text"),
        ('{"text": ["NATO"]}', "non-empty text"),
        ('{"text": null}', "non-empty text"),
        ('{"html": {"a": 1}}', "non-empty text"),
        ('{"text": "NATO", "published": 20220101}', "must be a string"),
        ('{"text": "NATO", "url": {}}', "must be a string"),
        ('{"text": "NATO", "title": true}', "must be a string"),
        ('{"text": "NATO", "published": "\\ud800"}', "published"),
        ('{"\\ud800": "x", "text": "NATO"}', "unknown JSON field"),
        ('"NATO invited Finland."', "JSON body must be an object"),
        ("12", "JSON body must be an object"),
        ("", "not valid JSON"),
    ],
)
@pytest.mark.parametrize("url", ["/api/read", "/api/check"])
def test_malformed_json_bodies_are_400s(
    client: Any, assert_error: Any, url: str, body: str, words: str
) -> None:
    r = client.post(url, content=body.encode("utf-8"), headers=JSON)
    assert words in assert_error(r, 400)["error"]


@pytest.mark.parametrize("url", ["/api/read", "/api/check"])
def test_lone_surrogates_in_the_text_are_read_as_replacement_characters(
    client: Any, url: str
) -> None:
    body = '{"text": "\\ud800 NATO invited Finland to join. \\udfff", "title": "\\udc00"}'
    r = client.post(url, content=body.encode("utf-8"), headers=JSON)
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["text"] == "\ufffd NATO invited Finland to join. \ufffd"
    [event] = doc["events"]
    ev = event["evidence"]
    assert doc["text"][ev["start"] : ev["end"]] == ev["text"]  # offsets still fit
    assert doc["source"]["title"] == "\ufffd"


def test_a_check_form_with_broken_utf8_escapes_is_read_with_replacements(client: Any) -> None:
    r = client.post(
        "/check.json",
        content=b"text=%ED%A0%80NATO+invited+Finland+to+join.",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["text"] == "\ufffd" * 3 + "NATO invited Finland to join."
    assert [e["country"] for e in doc["result"]["events"]] == ["FIN"]


def test_a_text_body_that_is_not_utf8_is_a_400(client: Any, assert_error: Any) -> None:
    r = client.post(
        "/api/read", content=b"\xed\xa0\x80NATO", headers={"content-type": "text/plain"}
    )
    assert "not UTF-8" in assert_error(r, 400)["error"]
