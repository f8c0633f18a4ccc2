"""The choices a user keeps and the main switch (docs/subscriptions.md "Kept choices and the
main switch").

WeChat's subscribe sheet has "always keep this choice, don't ask again": checked, the answer per
template is kept for (user, template) and later requests for templates all kept are answered
with it without asking; a kept accept of a one-time template still adds one credit per request.
The main switch (per user and app, on unless turned off on the settings page) turned off makes
every request fail without asking (WeChat's 20004). Credits are granted only by
`sends.do_decide`, in the caller's one transaction with the rest.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from miniapp.discovery.recents import upsert_statement
from miniapp.errors import Conflict
from miniapp.subscribe.models import AppTemplate, SubscribePreference, SubscribeSwitch
from miniapp.subscribe.sends import Decision, do_decide
from miniapp.subscribe.templates import ResolvedTemplate, resolve


@dataclass(frozen=True)
class KeptChoice:
    pri_tmpl_id: str
    title: str
    type: int
    decision: Decision


@dataclass(frozen=True)
class SubscriptionsSetting:
    """WeChat's `subscriptionsSetting`, with the titles the settings page shows."""

    main_switch: bool
    kept: list[KeptChoice]


def read_main_switch(session: Session, *, user_id: int, app_id: int) -> bool:
    row = session.get(SubscribeSwitch, (user_id, app_id))
    return True if row is None else row.main_switch


def check_main_switch_on(session: Session, *, user_id: int, app_id: int) -> None:
    """`subscribe_main_switch_off` (409) when the user turned the app's messages off."""
    if not read_main_switch(session, user_id=user_id, app_id=app_id):
        raise Conflict("subscribe_main_switch_off")


def read_subscriptions_setting(
    session: Session, *, user_id: int, app_id: int
) -> SubscriptionsSetting:
    """The main switch and every kept choice of the user for the app, oldest template first."""
    rows = session.execute(
        select(SubscribePreference.decision, AppTemplate)
        .join(AppTemplate, AppTemplate.pri_tmpl_id == SubscribePreference.pri_tmpl_id)
        .where(SubscribePreference.user_id == user_id, SubscribePreference.app_id == app_id)
        .order_by(AppTemplate.id)
    ).all()
    kept = []
    for decision, row in rows:
        template = resolve(row)
        kept.append(
            KeptChoice(
                pri_tmpl_id=template.pri_tmpl_id,
                title=template.title,
                type=int(template.type),
                decision=Decision(decision),
            )
        )
    return SubscriptionsSetting(
        main_switch=read_main_switch(session, user_id=user_id, app_id=app_id), kept=kept
    )


def do_keep(
    session: Session,
    *,
    user_id: int,
    app_id: int,
    decisions: Sequence[tuple[ResolvedTemplate, Decision]],
    now: datetime,
) -> None:
    """Keep the user's choice for each template (the app's: access_templates), replacing any
    earlier one. Grants nothing."""
    for template, decision in decisions:
        insert = upsert_statement(session, SubscribePreference).values(
            user_id=user_id,
            pri_tmpl_id=template.pri_tmpl_id,
            app_id=app_id,
            decision=decision.value,
            decided_at=now,
        )
        session.execute(
            insert.on_conflict_do_update(
                index_elements=[SubscribePreference.user_id, SubscribePreference.pri_tmpl_id],
                set_={"decision": decision.value, "decided_at": now},
            )
        )


def do_forget(session: Session, *, user_id: int, app_id: int, pri_tmpl_id: str) -> None:
    """Forget the user's kept choice for the template (none kept: nothing changes); the next
    request asks again."""
    session.execute(
        delete(SubscribePreference).where(
            SubscribePreference.user_id == user_id,
            SubscribePreference.app_id == app_id,
            SubscribePreference.pri_tmpl_id == pri_tmpl_id,
        )
    )


def do_set_main_switch(
    session: Session, *, user_id: int, app_id: int, on: bool, now: datetime
) -> None:
    insert = upsert_statement(session, SubscribeSwitch).values(
        user_id=user_id, app_id=app_id, main_switch=on, updated_at=now
    )
    session.execute(
        insert.on_conflict_do_update(
            index_elements=[SubscribeSwitch.user_id, SubscribeSwitch.app_id],
            set_={"main_switch": on, "updated_at": now},
        )
    )


def do_answer_sheet(
    session: Session,
    *,
    user_id: int,
    app_id: int,
    decisions: Sequence[tuple[ResolvedTemplate, Decision]],
    keep: bool,
    now: datetime,
) -> None:
    """The user answered the sheet (the templates are the app's): grant as `do_decide` does and,
    with "always keep this choice", keep each answer. 409 `subscribe_main_switch_off` first."""
    check_main_switch_on(session, user_id=user_id, app_id=app_id)
    do_decide(session, user_id=user_id, app_id=app_id, decisions=decisions, now=now)
    if keep:
        do_keep(session, user_id=user_id, app_id=app_id, decisions=decisions, now=now)


def do_answer_kept(
    session: Session,
    *,
    user_id: int,
    app_id: int,
    templates: Sequence[ResolvedTemplate],
    now: datetime,
) -> Mapping[str, Decision] | None:
    """A request without the sheet: when the user kept a choice for every one of `templates`
    (the app's), grant as those answers would (`do_decide`) and return them; None when any is
    not kept (the sheet must ask; nothing changed). 409 `subscribe_main_switch_off` first."""
    check_main_switch_on(session, user_id=user_id, app_id=app_id)
    rows = session.execute(
        select(SubscribePreference.pri_tmpl_id, SubscribePreference.decision).where(
            SubscribePreference.user_id == user_id,
            SubscribePreference.pri_tmpl_id.in_([t.pri_tmpl_id for t in templates]),
        )
    ).all()
    kept: dict[str, str] = dict(rows)
    if any(template.pri_tmpl_id not in kept for template in templates):
        return None
    decisions = [(template, Decision(kept[template.pri_tmpl_id])) for template in templates]
    do_decide(session, user_id=user_id, app_id=app_id, decisions=decisions, now=now)
    return {template.pri_tmpl_id: decision for template, decision in decisions}
