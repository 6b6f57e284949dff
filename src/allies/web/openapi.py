"""The OpenAPI 3.1 document of the JSON API, written by hand (no generator)."""

from __future__ import annotations

from typing import Any

from ..ledger import Ledger
from ..version import __version__
from .bodies import MAX_BODY
from .work import READ_QUEUE, READ_SLOTS

DAY = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
PDATE = {
    "type": "string",
    "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
    "description": "YYYY-MM-DD, YYYY-MM or YYYY (the precision is the form)",
}
_YEAR = r"(000[1-9]|00[1-9]\d|0[1-9]\d\d|[1-9]\d{3})"
PERIOD = {
    "anyOf": [
        DAY,
        {"type": "string", "pattern": rf"^{_YEAR}-(0[1-9]|1[0-2])$"},
        {"type": "string", "pattern": rf"^{_YEAR}$"},
    ],
    "description": "a day (YYYY-MM-DD), a month (YYYY-MM) or a year (YYYY)",
}
PRECISION = {"type": "string", "enum": ["day", "month", "year"]}
STATE = {"type": "string", "enum": ["announced", "active", "suspended", "former"]}
URLS = {"type": "array", "items": {"type": "string"}}
NULLSTR = {"type": ["string", "null"]}
ISO3 = {"type": "string", "pattern": "^[A-Z]{3}$"}
# Python's whitespace (str.isspace), spelled out so that every regex engine reads it alike.
BLANKS = r"\t-\r\u001c-\u001f \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
TEXT_PATTERN = rf"^[^\u0000]*[^\u0000{BLANKS}][^\u0000]*$"
TEXT_RULE = "UTF-8 text with a non-blank character and no NUL"
TEXT = {"type": "string", "minLength": 1, "pattern": TEXT_PATTERN, "description": TEXT_RULE}
# A whole text/plain or text/html body: any bytes on the wire are text, so no "type" (a JSON
# number or object sent as text is just text); the string rules still apply.
BODY_TEXT = {"minLength": 1, "pattern": TEXT_PATTERN, "description": TEXT_RULE}
WARNINGS = {
    "type": "array",
    "items": {"type": "string"},
    "description": "notes on an answer that is empty for a reason (e.g. HTML with no text)",
}


CITE = {
    "type": "object",
    "required": ["data_version", "content_hash", "permalink", "text"],
    "properties": {
        "data_version": {"type": "string"},
        "content_hash": {"type": "string"},
        "permalink": {
            "type": "string",
            "description": "this answer's URL with its dates spelled out (same link, same "
            "answer while the data version holds)",
        },
        "text": {"type": "string", "description": "a citation line to paste"},
    },
    "description": "cite this: data version, content hash and permalink",
}
TERM = {
    "type": "object",
    "required": ["article", "quote", "plain", "sources", "verified"],
    "properties": {
        "article": {"type": "string", "description": "the treaty article, e.g. Rio Treaty Art. 20"},
        "quote": {"type": "string", "description": "the article's operative words, verbatim"},
        "plain": {"type": "string", "description": "what they commit, in plain words"},
        "sources": URLS,
        "verified": {"type": "boolean"},
    },
}


def cited(schema: dict[str, Any]) -> dict[str, Any]:
    """An answer schema plus its required `cite` block."""
    return {
        **schema,
        "required": [*schema["required"], "cite"],
        "properties": {**schema["properties"], "cite": CITE},
    }


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(required: dict[str, Any], optional: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "required": list(required),
        "properties": {**required, **(optional or {})},
    }


def arr(item: Any) -> dict[str, Any]:
    return {"type": "array", "items": item}


def schemas(framework_ids: list[str]) -> dict[str, Any]:
    fw = {"type": "string", "enum": framework_ids}
    entail = {
        "id": {"type": "string"},
        "kind": {"type": "string", "enum": ["benefit", "obligation", "limit"]},
        "summary": {"type": "string"},
        "citation": {"type": "string"},
        "verified": {"type": "boolean"},
        "sources": URLS,
    }
    event_opt = {
        "intent_of": {"type": "string", "enum": ["designate", "terminate"]},
        "alt_dates": arr(PDATE),
        "layer": {"type": "string"},
        "instrument": {"type": "string"},
        "disputed": {"type": "string"},
    }
    event_full = obj(
        {
            "id": {"type": "string"},
            "framework": fw,
            "country": {"type": "string", "pattern": r"^([A-Z]{3}|\*)$"},
            "action": {"type": "string"},
            "date": PDATE,
            "precision": PRECISION,
            "basis": {"type": "string", "enum": ["reported", "inferred"]},
            "confidence": {"type": "string", "enum": ["high", "medium", "low"]},
            "sources": URLS,
        },
        {**event_opt, "note": {"type": "string"}},
    )
    change = {"allOf": [ref("Event"), obj({"country_name": {"type": "string"}})]}
    read_event = obj(
        {
            "designator": {"type": "string"},
            "framework": {"type": "string"},
            "country": ISO3,
            "action": {"type": "string"},
            "date": {"type": ["string", "null"], "pattern": PDATE["pattern"]},
            "precision": {"type": ["string", "null"], "enum": ["day", "month", "year", None]},
            "evidence": ref("Evidence"),
            "rule": {"type": "string"},
            "role": {
                "type": "string",
                "enum": ["news", "background"],
                "description": "`news`: the development the article reports (or a step of "
                "that same process); `background`: an earlier change mentioned in passing",
            },
        },
        {
            "country_name": {"type": "string"},
            "intent_of": NULLSTR,
            "also_evidence": arr(ref("Evidence")),
            "date_basis": {
                "type": ["string", "null"],
                "enum": ["stated", "relative", "publication", None],
                "description": "where the date comes from; `publication`: the text gives "
                "no date, so the event happened on or before the publication date; null: "
                "no date at all (no date in the text and no publication date)",
            },
        },
    )
    read_claim = obj(
        {
            "framework": {"type": "string"},
            "country": ISO3,
            "state": {"type": "string"},
            "evidence": ref("Evidence"),
        },
        {"country_name": {"type": "string"}, "rule": {"type": "string"}},
    )
    ledger_view = obj(
        {
            "on": {
                **DAY,
                "type": ["string", "null"],
                "description": "the day the ledger was asked about; null for an `undated` item",
            },
            "fact": {"type": "string"},
        },
        {
            "state": {
                "type": "string",
                "enum": ["none", *STATE["enum"]],
                "description": "the state on `on` (absent when `on` is null)",
            },
            "since": PDATE,
            "precision": PRECISION,
            "pending": {"type": "string"},
            "sources": URLS,
            "event": {"type": "object"},
            "security_guarantee": ref("Guarantee"),
        },
    )
    verdict = {
        "type": "string",
        "enum": ["confirmed", "contradicted", "undated", "not_in_ledger"],
        "description": "`confirmed`: the ledger has it; `contradicted`: the ledger says "
        "otherwise (`ledger.fact`); `undated`: no publication date to place it in time "
        "(`reason`); `not_in_ledger`: after the ledger's coverage or a step it does not record "
        "in full, for review",
    }
    checked = {"verdict": verdict, "ledger": ledger_view}
    checked_opt = {
        "reason": {"type": "string", "description": "why an item is `undated`"},
        "date_differs_by_days": {"type": "integer", "minimum": 0},
    }
    counts = {k: {"type": "integer", "minimum": 0}
              for k in ("confirmed", "contradicted", "undated", "not_in_ledger")}
    reading_opt = {
        "source": {"type": "object"},
        "warnings": WARNINGS,
        "unread": {
            **arr(ref("Evidence")),
            "description": "sentences naming a framework and a country that gave neither an "
            "event nor a claim",
        },
    }
    reading_req = {
        "published": {"type": ["string", "null"], "format": "date"},
        "text": {"type": "string"},
        "events": arr(ref("ReadEvent")),
        "claims": arr(ref("ReadClaim")),
    }
    return {
        "Error": {
            "type": "object",
            "required": ["ok", "status", "error"],
            "additionalProperties": False,
            "properties": {
                "ok": {"const": False},
                "status": {"type": "integer", "minimum": 400, "maximum": 599},
                "error": {"type": "string", "minLength": 1, "pattern": r"^[^\n]+$"},
            },
        },
        "Country": obj({"iso3": ISO3, "name": {"type": "string"}}),
        "EventBrief": obj(
            {
                "id": {"type": "string"},
                "action": {"type": "string"},
                "date": PDATE,
                "precision": PRECISION,
                "confidence": {"type": "string", "enum": ["high", "medium", "low"]},
                "sources": URLS,
            },
            event_opt,
        ),
        "Event": event_full,
        "Guarantee": obj(
            {
                "value": {"type": "boolean"},
                "via": arr(fw),
                "not_via": arr(fw),
                "disputed_via": arr(fw),
            },
            {
                "note": {"type": "string"},
                "caveats": arr(obj({"framework": fw, "note": {"type": "string"}})),
            },
        ),
        "EntailApplied": obj(
            {
                **entail,
                "applies": {"type": "string", "enum": ["yes", "no", "conditional"]},
            },
            {"condition": {"type": "string"}, "note": {"type": "string"}},
        ),
        "Entails": obj(
            {
                "country": ref("Country"),
                "on": DAY,
                "security_guarantee": ref("Guarantee"),
                "frameworks": arr(
                    obj(
                        {
                            "framework": fw,
                            "name": {"type": "string"},
                            "security_guarantee": {"type": "boolean"},
                            "guarantee_citation": {"type": "string"},
                            "entails": arr(ref("EntailApplied")),
                        },
                        {"since": PDATE},
                    )
                ),
            },
            {"warnings": WARNINGS},
        ),
        "StatusEntry": obj(
            {
                "framework": fw,
                "state": STATE,
                "pending": NULLSTR,
                "uncertain": {"type": "boolean"},
                "events": arr(ref("EventBrief")),
            },
            {
                "since": PDATE,
                "precision": PRECISION,
                "treated_as": {"type": "boolean"},
                "disputed": arr(ref("Dispute")),
            },
        ),
        "Status": obj(
            {
                "country": ref("Country"),
                "on": DAY,
                "statuses": arr(ref("StatusEntry")),
                "security_guarantee": ref("Guarantee"),
            },
            {"warnings": WARNINGS},
        ),
        "Member": obj(
            {
                "iso3": ISO3,
                "name": {"type": "string"},
                "state": {"const": "active"},
                "pending": NULLSTR,
                "uncertain": {"type": "boolean"},
            },
            {
                "since": PDATE,
                "precision": PRECISION,
                "treated_as": {"type": "boolean"},
                "disputed": arr(ref("Dispute")),
            },
        ),
        "Dispute": obj(
            {
                "event": {"type": "string"},
                "about": {"type": "string", "enum": ["date", "status"]},
                "note": {"type": "string"},
            }
        ),
        "Members": obj(
            {
                "framework": fw,
                "on": DAY,
                "count": {"type": "integer", "minimum": 0},
                "members": arr(ref("Member")),
                "suspended": arr(
                    obj({"iso3": ISO3, "name": {"type": "string"}, "since": NULLSTR})
                ),
            },
            {"warnings": WARNINGS},
        ),
        "Period": obj(
            {
                "framework": fw,
                "state": STATE,
                "from": PDATE,
                "until": {"type": ["string", "null"], "pattern": PDATE["pattern"]},
                "pending": NULLSTR,
            }
        ),
        "History": obj(
            {
                "country": ref("Country"),
                "periods": arr(ref("Period")),
                "events": arr(ref("Event")),
            }
        ),
        "Changes": obj(
            {
                "since": DAY,
                "until": DAY,
                "count": {"type": "integer", "minimum": 0},
                "events": arr(change),
            },
            {"warnings": WARNINGS},
        ),
        "Entail": obj(entail, {"note": {"type": "string"}, "condition": {"type": "string"}}),
        "Framework": obj(
            {
                "id": fw,
                "name": {"type": "string"},
                "short": {"type": "string"},
                "kind": {"type": "string", "enum": ["designation", "alliance", "treaty"]},
                "designator": {"type": "string"},
                "legal_basis": {"type": "string"},
                "security_guarantee": obj(
                    {"value": {"type": "boolean"}, "citation": {"type": "string"}, "sources": URLS},
                    {"terms": arr(TERM)},
                ),
                "sources": URLS,
                "coverage": obj(
                    {
                        "complete": {"type": "boolean"},
                        "through": {**DAY, "type": ["string", "null"]},
                        "steps": arr({"type": "string"}),
                        "note": {"type": "string"},
                    }
                ),
            },
            {"entails": arr(ref("Entail"))},
        ),
        "Version": obj(
            {
                "code_version": {"type": "string"},
                "data_version": {"type": "string"},
                "content_hash": {"type": "string"},
                "last_event_date": {"type": "string"},
                "events": {"type": "integer", "minimum": 0},
                "license": {"type": "string"},
                "sources_note": {"type": "string"},
                "user_data": NULLSTR,
            }
        ),
        "Evidence": obj(
            {
                "text": {"type": "string"},
                "start": {"type": "integer", "minimum": 0},
                "end": {"type": "integer", "minimum": 0},
            }
        ),
        "ReadEvent": read_event,
        "ReadClaim": read_claim,
        "Reading": obj(reading_req, reading_opt),
        "Checked": obj(
            {
                **reading_req,
                "events": arr({"allOf": [ref("ReadEvent"), obj(checked, checked_opt)]}),
                "claims": arr({"allOf": [ref("ReadClaim"), obj(checked, checked_opt)]}),
                "summary": obj(
                    {
                        **counts,
                        "groups": obj({g: obj(counts) for g in ("news", "background", "claims")}),
                        "line": {
                            "type": "string",
                            "description": "the summary the CLI and the check page show",
                        },
                    }
                ),
            },
            reading_opt,
        ),
        "ArticleJSON": {
            "type": "object",
            "description": "give `text` or `html` (non-empty), not both",
            "properties": {
                "text": TEXT,
                "html": {**TEXT, "description": "an HTML page (instead of text)"},
                "published": {**DAY, "type": ["string", "null"]},
                "url": {"type": ["string", "null"]},
                "title": {"type": ["string", "null"]},
            },
            "additionalProperties": False,
            "oneOf": [{"required": ["text"]}, {"required": ["html"]}],
        },
        "ArticleForm": {
            "type": "object",
            "description": "the same fields and rules as JSON: give `text` or `html`, not "
            "both; a field that is present must be filled in",
            "properties": {
                "text": TEXT,
                "html": {**TEXT, "description": "an HTML page (instead of text)"},
                "published": DAY,
                "url": {"type": "string"},
                "title": {"type": "string"},
            },
            "additionalProperties": False,
            "oneOf": [{"required": ["text"]}, {"required": ["html"]}],
        },
    }


def err(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": ref("Error")}},
    }


def ok(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def param(name: str, where: str, schema: dict[str, Any], desc: str, required: bool) -> Any:
    return {
        "name": name,
        "in": where,
        "required": required,
        "schema": schema,
        "description": desc,
    }


COUNTRY = param(
    "country",
    "path",
    {"type": "string", "minLength": 1, "maxLength": 100},
    "a country name, ISO2/ISO3 code or demonym, e.g. COL, Colombia, Colombian",
    True,
)
COUNTRY["example"] = "COL"
ON = param("on", "query", PERIOD, "the day to answer for (default: today); a month or a year: "
           "the state at its end, plus `period` and `changes` (every change inside it)", False)
KNOWN = param("as_known_on", "query", DAY, "answer as the ledger stood on this day (only "
              "events recorded by then; default: the ledger as it is)", False)
PUBLISHED = param("published", "query", DAY, "publication date (resolves relative dates)", False)


def article_body() -> dict[str, Any]:
    return {
        "required": True,
        "description": f"the article: plain text, HTML, JSON or a form; at most {MAX_BODY} "
        "bytes. HTML with no readable text gives an empty reading with `warnings`.",
        "content": {
            "text/plain": {"schema": BODY_TEXT},
            "text/html": {"schema": {**BODY_TEXT, "description": "an HTML page"}},
            "application/json": {"schema": ref("ArticleJSON")},
            "application/x-www-form-urlencoded": {"schema": ref("ArticleForm")},
        },
    }


CITED = ("Status", "Members", "Entails", "History", "Changes", "Version")


def answer_schemas(framework_ids: list[str]) -> dict[str, Any]:
    """The schemas, plus `<Name>Answer`: the API's answer, the library's plus `cite`."""
    out = schemas(framework_ids)
    for name in CITED:
        out[f"{name}Answer"] = cited(out[name])
    return out


def build_openapi(ledger: Ledger) -> dict[str, Any]:
    fids = list(ledger.frameworks)
    bad = err(
        "bad parameter: malformed, repeated or unknown (the message names it, the fix and "
        "the accepted parameters)"
    )
    nf_country = err("unknown country")
    common = {
        "405": err("method not allowed"),
        "431": err("request line and headers over 16 KB, or more than 100 header fields"),
        "500": err("server error (generic message)"),
    }
    get_ops: dict[str, Any] = {
        "/api/status/{country}": (
            "status",
            "Status of a country in every framework on a day",
            [COUNTRY, ON, KNOWN],
            ok(ref("StatusAnswer")),
            {"400": bad, "404": nf_country},
        ),
        "/api/members/{framework}": (
            "members",
            "Active members of a framework on a day",
            [
                param("framework", "path", {"type": "string", "enum": fids}, "framework id", True),
                ON,
                KNOWN,
            ],
            ok(ref("MembersAnswer")),
            {"400": bad, "404": err("unknown framework")},
        ),
        "/api/entails/{country}": (
            "entails",
            "What a country's active statuses entail on a day: benefits, obligations and "
            "limits with citations, whether each applies, and the security guarantee",
            [COUNTRY, ON],
            ok(ref("EntailsAnswer")),
            {"400": bad, "404": nf_country},
        ),
        "/api/history/{country}": (
            "history",
            "Every event of a country and its state periods per framework",
            [COUNTRY],
            ok(ref("HistoryAnswer")),
            {"400": bad, "404": nf_country},
        ),
        "/api/changes": (
            "changes",
            "Events dated between two days, inclusive",
            [
                param("since", "query", PERIOD, "first day (a month or year: its first day)",
                      True),
                param(
                    "until",
                    "query",
                    PERIOD,
                    "last day (default: today, or `since` if that is later); "
                    "before `since`: an empty answer with `warnings`",
                    False,
                ),
            ],
            ok(ref("ChangesAnswer")),
            {"400": bad},
        ),
        "/api/frameworks": (
            "frameworks",
            "The frameworks and what each entails",
            [],
            ok(arr(ref("Framework"))),
            {"400": bad},
        ),
        "/api/version": (
            "version",
            "Code version, data version, content hash and last event date",
            [],
            ok(ref("VersionAnswer")),
            {"400": bad},
        ),
    }
    paths: dict[str, Any] = {}
    for path, (op_id, summary, params, good, errors) in get_ops.items():
        paths[path] = {
            "get": {
                "operationId": op_id,
                "summary": summary,
                "parameters": params,
                "responses": {"200": good, **errors, **common},
            }
        }
    busy = err(
        f"server busy: {READ_SLOTS} articles are read at a time and {READ_QUEUE} more may "
        "wait; retry after the seconds in Retry-After"
    )
    busy["headers"] = {
        "Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}
    }
    post_errors = {
        "400": err(
            "bad body or parameter: empty, not UTF-8, binary, broken JSON, both text and "
            "html, a bad date, or an unknown parameter (the message names it and the fix)"
        ),
        "408": err("the body did not arrive within 10 s (a stalled upload)"),
        "413": err("body over 2 MB"),
        "415": err("unsupported Content-Type"),
        "422": err("reading the article took more than its CPU budget (allies serve: 20 s)"),
        "503": busy,
    }
    paths["/api/read"] = {
        "post": {
            "operationId": "read",
            "summary": "Read an article: the status events and claims it reports",
            "description": "Evidence offsets index into the returned `text` (for HTML, the "
            "extracted text).",
            "parameters": [PUBLISHED],
            "requestBody": article_body(),
            "responses": {"200": ok(ref("Reading")), **post_errors, **common},
        }
    }
    paths["/api/check"] = {
        "post": {
            "operationId": "check",
            "summary": "Read an article and check each event and claim against the ledger",
            "description": "Verdicts: confirmed, contradicted (with the ledger's fact and "
            "sources) or not_in_ledger (a possible new event, for review).",
            "parameters": [PUBLISHED],
            "requestBody": article_body(),
            "responses": {"200": ok(ref("Checked")), **post_errors, **common},
        }
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "allies API",
            "version": __version__,
            "description": "A dated, sourced record of U.S. alliance statuses (NATO, U.S. "
            "collective-defense treaties, Major Non-NATO Allies). Read-only. Every answer "
            "about the ledger carries `cite` (data version, content hash, permalink with the "
            "date); GET answers send `Access-Control-Allow-Origin: *`.",
            "license": {"name": "Apache-2.0 (code); data: see /api/version"},
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {"schemas": answer_schemas(fids)},
    }
