"""The built-in components a mini program can use without declaring them (WeChat's list).

The runtime renders each as the element `wx-<tag>`; compiled WXSS rewrites tag selectors the same
way. A tag that is neither built in nor declared in usingComponents stays a plain element.
"""

from __future__ import annotations

BUILTIN_TAGS: frozenset[str] = frozenset(
    {
        # view containers
        "view",
        "scroll-view",
        "swiper",
        "swiper-item",
        "movable-area",
        "movable-view",
        "cover-view",
        "cover-image",
        "match-media",
        "page-container",
        "root-portal",
        "share-element",
        "grid-view",
        "list-view",
        "sticky-header",
        "sticky-section",
        # basic content
        "icon",
        "text",
        "rich-text",
        "progress",
        # forms
        "button",
        "checkbox",
        "checkbox-group",
        "editor",
        "form",
        "input",
        "keyboard-accessory",
        "label",
        "picker",
        "picker-view",
        "picker-view-column",
        "radio",
        "radio-group",
        "slider",
        "switch",
        "textarea",
        # navigation
        "navigator",
        "functional-page-navigator",
        "navigation-bar",
        # media
        "audio",
        "camera",
        "channel-live",
        "channel-video",
        "image",
        "live-player",
        "live-pusher",
        "video",
        "voip-room",
        # map, canvas, open abilities
        "map",
        "canvas",
        "web-view",
        "ad",
        "ad-custom",
        "official-account",
        "open-data",
        "store-product",
        # page-level
        "page-meta",
    }
)

# Names with a meaning in WXML itself rather than a rendered component.
WXML_KEYWORD_TAGS: frozenset[str] = frozenset(
    {"block", "template", "import", "include", "wxs", "slot"}
)
