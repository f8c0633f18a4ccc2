"""The subscription API's shapes (docs/subscriptions.md). Field spellings follow WeChat's where
a mini program or a back end sees them (`priTmplId`, `tmplIds`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from miniapp.subscribe.library import Keyword, LibraryTemplate
from miniapp.subscribe.notifications import Notification
from miniapp.subscribe.preferences import KeptChoice, SubscriptionsSetting
from miniapp.subscribe.sends import Decision
from miniapp.subscribe.templates import ResolvedTemplate

MAX_REQUEST_IDS = 3


class KeywordOut(BaseModel):
    kid: int
    name: str
    rule: str
    example: str
    key: str

    @classmethod
    def of(cls, keyword: Keyword) -> KeywordOut:
        return cls(
            kid=keyword.kid,
            name=keyword.name,
            rule=keyword.rule,
            example=keyword.example,
            key=keyword.key,
        )


class LibraryTemplateOut(BaseModel):
    tid: int
    title: str
    type: int
    keywords: list[KeywordOut]

    @classmethod
    def of(cls, template: LibraryTemplate) -> LibraryTemplateOut:
        return cls(
            tid=template.tid,
            title=template.title,
            type=int(template.type),
            keywords=[KeywordOut.of(keyword) for keyword in template.keywords],
        )


class LibraryOut(BaseModel):
    templates: list[LibraryTemplateOut]


class AppTemplateOut(BaseModel):
    priTmplId: str  # WeChat's spelling
    tid: int
    title: str
    type: int
    keywords: list[KeywordOut]
    scene_desc: str
    created_at: datetime

    @classmethod
    def of(cls, template: ResolvedTemplate) -> AppTemplateOut:
        return cls(
            priTmplId=template.pri_tmpl_id,
            tid=template.tid,
            title=template.title,
            type=int(template.type),
            keywords=[KeywordOut.of(keyword) for keyword in template.keywords],
            scene_desc=template.scene_desc,
            created_at=template.created_at,
        )


class AppTemplatesOut(BaseModel):
    templates: list[AppTemplateOut]


class AppTemplateIn(BaseModel):
    tid: int
    kid_list: list[int] = Field(max_length=10)
    scene_desc: str = Field(max_length=200)


class SheetTemplateOut(BaseModel):
    priTmplId: str
    title: str
    type: int


class SheetTemplatesOut(BaseModel):
    templates: list[SheetTemplateOut]


class DecisionsIn(BaseModel):
    decisions: dict[str, Decision] = Field(min_length=1, max_length=MAX_REQUEST_IDS)
    # "Always keep this choice, don't ask again" was checked.
    keep: bool = False


class KeptRequestIn(BaseModel):
    tmplIds: list[str] = Field(min_length=1, max_length=MAX_REQUEST_IDS)


class KeptAnswerOut(BaseModel):
    """The kept answers; None when any template has no kept choice (the sheet asks)."""

    decisions: dict[str, Decision] | None


class KeptChoiceOut(BaseModel):
    priTmplId: str
    title: str
    type: int
    decision: Decision

    @classmethod
    def of(cls, kept: KeptChoice) -> KeptChoiceOut:
        return cls(
            priTmplId=kept.pri_tmpl_id, title=kept.title, type=kept.type, decision=kept.decision
        )


class SubscriptionsSettingOut(BaseModel):
    """WeChat's `subscriptionsSetting` ({mainSwitch, itemSettings}), with the kept choices'
    titles for the settings page."""

    mainSwitch: bool
    itemSettings: dict[str, Decision]
    items: list[KeptChoiceOut]

    @classmethod
    def of(cls, setting: SubscriptionsSetting) -> SubscriptionsSettingOut:
        return cls(
            mainSwitch=setting.main_switch,
            itemSettings={kept.pri_tmpl_id: kept.decision for kept in setting.kept},
            items=[KeptChoiceOut.of(kept) for kept in setting.kept],
        )


class MainSwitchIn(BaseModel):
    mainSwitch: bool


class KeptChoiceIn(BaseModel):
    decision: Decision


class NotificationOut(BaseModel):
    id: int
    appid: str
    app_name: str
    title: str
    fields: list[dict[str, str]]
    page: str
    created_at: datetime
    read: bool

    @classmethod
    def of(cls, found: Notification) -> NotificationOut:
        return cls(
            id=found.id,
            appid=found.appid,
            app_name=found.app_name,
            title=found.title,
            fields=found.fields,
            page=found.page,
            created_at=found.created_at,
            read=found.read,
        )


class NotificationsOut(BaseModel):
    notifications: list[NotificationOut]
    unread: int


class UnreadOut(BaseModel):
    unread: int


class SendIn(BaseModel):
    touser: str = Field(default="", max_length=64)
    template_id: str = Field(default="", max_length=64)
    page: str = Field(default="", max_length=1024)
    data: dict[str, Any] = Field(default_factory=dict)
    miniprogram_state: str = Field(default="formal", pattern="^(developer|trial|formal)$")
    lang: str = Field(default="zh_CN", max_length=8)
