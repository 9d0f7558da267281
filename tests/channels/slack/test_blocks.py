"""Block Kit builders, tested on their output and on Slack's limits."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from agent.reply import PendingConfirmation, Reply, ToolCallRecord
from channels.slack.blocks import (
    MAX_BLOCKS,
    SlackMessage,
    alert_list_blocks,
    confirmation_blocks,
    edit_modal,
    replace_alert,
    reply_messages,
)
from channels.slack.mrkdwn import split_text, to_mrkdwn

AS_OF = dt.date(2026, 11, 22)
ACME = {
    "client_id": 1, "name": "Acme Corp", "health_score": 45.7, "health_score_then": 65.5, "drop": 19.8,
    "health_status": "AT_RISK", "health_trend": "DOWN", "annual_recurring_revenue": "120000.00",
    "next_renewal_date": "2027-02-05", "days_to_renewal": 75, "churn_probability": 0.6808,
}  # fmt: skip


def reply(answer: str, *calls: tuple[str, dict[str, Any]], **extra: Any) -> Reply:
    records = [ToolCallRecord(name=name, args={}, status="ok", result=result) for name, result in calls]
    return Reply(thread_id="C1:1.0", model="offline", as_of=AS_OF, answer=answer, tool_calls=records, **extra)


def within_limits(message: SlackMessage) -> None:
    """Slack rejects a message past these: blocks, section text and fields, buttons and their values."""
    assert 0 < len(message.blocks) <= MAX_BLOCKS
    assert len(message.text) <= 3000
    for block in message.blocks:
        assert len(json.dumps(block)) < 12000
        if block["type"] == "section":
            assert len(block.get("text", {}).get("text", "")) <= 3000
            assert len(block.get("fields", [])) <= 10
            assert all(len(field["text"]) <= 2000 for field in block.get("fields", []))
        if block["type"] == "actions":
            assert len(block["elements"]) <= 25
            for button in block["elements"]:
                assert len(button["text"]["text"]) <= 75
                assert len(button["value"]) <= 2000
        if block["type"] == "context":
            assert len(block["elements"]) <= 10


def all_text(message: SlackMessage) -> str:
    return json.dumps(message.blocks, ensure_ascii=False)


def test_an_at_risk_list_shows_health_trend_arr_and_renewal_per_client() -> None:
    result = {"source_ids": {"client": [1]}, "at_risk": {"clients": [ACME]}}
    (message,) = reply_messages(
        reply("1 client at risk:\n1. **Acme Corp** ...", ("list_at_risk_clients", result)), owner=3
    )
    within_limits(message)
    client = next(b for b in message.blocks if b.get("fields"))
    assert client["text"]["text"] == "*Acme Corp*"
    fields = [field["text"] for field in client["fields"]]
    assert fields[0] == "*Health*\n🟠 45.7 at risk ↘ (-19.8)"
    assert fields[1:] == ["*ARR*\n$120K", "*Renewal*\nrenews 2027-02-05 (in 75 days)", "*Churn risk*\n68%"]
    assert message.blocks[0]["text"]["text"] == "1 client at risk:", "the headline, then the cards"


def test_a_portfolio_answer_has_totals_and_tiers() -> None:
    portfolio = {"total_clients": 12, "average_health": 76.5, "at_risk_count": 3, "total_arr": "858500.00",
                 "arr_at_risk": "225500.00", "arr_at_risk_share": 26.3,
                 "by_tier": [{"label": "Enterprise", "clients": 3, "average_health": 71.5, "at_risk": 1,
                              "arr": "458000"}]}  # fmt: skip
    (message,) = reply_messages(reply("Portfolio:", ("portfolio_summary", {"portfolio": portfolio})), owner=3)
    within_limits(message)
    assert "*ARR at risk*\\n$226K (26.3%)" in all_text(message)
    assert "*Enterprise*: 3 clients, avg 71.5, 1 at risk, ARR $458K" in all_text(message)


def test_drivers_are_a_compact_breakdown() -> None:
    drivers = {"client_name": "Acme Corp", "score_before": 65.49, "score_after": 45.74, "change": -19.75,
               "status_after": "AT_RISK", "from_day": "2026-10-23", "to_day": "2026-11-22",
               "drivers": [{"component": "usage", "contribution": -8.13,
                            "evidence_after": "7.0 DAU vs 18.0"}]}  # fmt: skip
    result = {"drivers": drivers, "score": {"trend": "DOWN"}, "churn": {"probability_90d": 0.68, "risk_band": "high"}}
    (message,) = reply_messages(reply("**Acme Corp** health is 45.7", ("explain_score_drivers", result)), owner=3)
    within_limits(message)
    text = all_text(message)
    assert "65.5 → 45.7 (-19.8) over 2026-10-23 → 2026-11-22" in text
    assert "` -8.1` *usage*: 7.0 DAU vs 18.0" in text
    assert "Churn risk 68% over 90 days (high)" in text


def test_an_outreach_draft_is_copyable_exactly() -> None:
    body = "Hi Jacob,\n\n  Your renewal is coming up.\n\nBest regards,\nJane"
    result = {
        "client": "Acme Corp",
        "to_name": "Jacob",
        "to_email": "j@acme.example",
        "subject": "Renewal",
        "body": body,
    }
    (message,) = reply_messages(reply("Draft ...", ("draft_outreach", result)), owner=3)
    within_limits(message)
    code = [b["elements"][0]["elements"][0]["text"] for b in message.blocks if b["type"] == "rich_text"]
    assert code == ["Subject: Renewal", body]


def test_a_confirmation_card_has_confirm_edit_cancel_and_keeps_long_text_out_of_the_edit_form() -> None:
    args = {"client": "Acme Corp", "subject": "Call", "notes": "x" * 5000, "duration_minutes": 30}
    pending = PendingConfirmation(tool="log_activity", args=args, summary="Log call with Acme Corp")
    blocks = confirmation_blocks(pending, thread_id="D1:2.0", owner=3)
    within_limits(SlackMessage("t", blocks))
    buttons = {b["action_id"]: b for b in blocks[-1]["elements"]}
    assert list(buttons) == ["write_confirm", "write_edit", "write_cancel"]
    assert json.loads(buttons["write_confirm"]["value"]) == {"thread": "D1:2.0", "owner": 3}
    edit = json.loads(buttons["write_edit"]["value"])
    assert edit["args"] == {"client": "Acme Corp", "subject": "Call", "duration_minutes": 30}
    modal = edit_modal("log_activity", edit["args"], "{}")
    assert len(modal["title"]["text"]) <= 24
    assert len(modal["submit"]["text"]) <= 24
    inputs = {b["block_id"]: b["element"]["initial_value"] for b in modal["blocks"] if b["type"] == "input"}
    assert inputs == {"arg:client": "Acme Corp", "arg:subject": "Call", "arg:duration_minutes": "30"}


def alert(n: int) -> dict[str, Any]:
    return {"id": n, "severity": "HIGH", "title": f"Acme: alert {n}", "recommended_action": "Call <them> & ask"}


def test_alerts_carry_their_buttons_up_to_a_limit_and_a_handled_alert_loses_them() -> None:
    blocks = alert_list_blocks("12 open alerts:", {"alerts": [alert(n) for n in range(1, 13)]})
    within_limits(SlackMessage("t", blocks))
    actions = [b for b in blocks if b["type"] == "actions"]
    assert len(actions) == 10
    assert blocks[-1]["elements"][0]["text"].startswith("2 more")
    assert [e["action_id"] for e in actions[0]["elements"]] == [
        "alert_ack", "alert_snooze_day", "alert_snooze_week", "alert_dismiss"
    ]  # fmt: skip
    assert "Call &lt;them&gt; &amp; ask" in json.dumps(blocks)
    handled = replace_alert(blocks, alert(1), "Acknowledged by Jane Doe")
    assert len(handled) == len(blocks)
    assert {b.get("block_id") for b in handled} >= {"alert-1", "alert-1-done", "alert-2-actions"}
    assert "alert-1-actions" not in {b.get("block_id") for b in handled}


def test_long_answers_are_split_within_slacks_limits() -> None:
    paragraph = "Acme Corp moved because usage fell. " * 40
    messages = reply_messages(reply("\n\n".join([paragraph] * 120)), owner=3)
    assert len(messages) > 1
    for message in messages:
        within_limits(message)
    shown = "".join(b["text"]["text"] for m in messages for b in m.blocks if b["type"] == "section")
    assert shown.count("usage fell") == 40 * 120, "nothing lost at the cuts"


def test_markdown_becomes_mrkdwn_and_user_text_cannot_form_links() -> None:
    assert to_mrkdwn("**Acme** is *down* & <@U1>\n- see [docs](https://x.example/a?b=1&c=2)") == (
        "*Acme* is _down_ &amp; &lt;@U1&gt;\n• see <https://x.example/a?b=1&c=2|docs>"
    )
    assert split_text("one two\n\nthree four", 12) == ["one two", "three four"]
    assert split_text("abcdefghij", 4) == ["abcd", "efgh", "ij"]
