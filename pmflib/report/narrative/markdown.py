"""Safe Markdown: text from many hands rendered without raw HTML or unsafe links (pure)."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import unquote

import nh3
from markdown_it import MarkdownIt

from pmflib.core.constants import (
    NARRATIVE_ALIGN_CLASSES,
    NARRATIVE_HTML_ATTRIBUTES,
    NARRATIVE_HTML_TAGS,
    NARRATIVE_LINK_REL,
    NARRATIVE_LINK_SCHEMES,
    NARRATIVE_MIN_HEADING_LEVEL,
)
from pmflib.core.values import as_text as _text

# --- safe Markdown (pure) ------------------------------------------------------------------
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f-\x9f]")


def is_safe_link(url: str) -> bool:
    """Only http, https, mailto and relative or #fragment links are links.

    Characters browsers ignore in a URL are dropped before the scheme is
    read, so ``java\\tscript:`` cannot slip through; markdown-it has already
    decoded entities, so ``jav&#x61;script:`` arrives here as ``javascript:``;
    a percent-encoded scheme (``java%09script:``) is refused as well.
    """
    for form in (url, unquote(url)):  # percent-decoded too: refuse rather than rely on browsers
        match = _SCHEME.match(_IGNORED_IN_URLS.sub("", form))
        if match is not None and match.group(1).lower() not in NARRATIVE_LINK_SCHEMES:
            return False
    return True


@lru_cache(maxsize=2)
def _parser(breaks: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False, "breaks": breaks})
    md.enable("table")
    # Images are off: untrusted text must not load things from elsewhere into a
    # reader's browser (tracking), and an image typed in a return has no alt text.
    md.disable("image")
    md.validateLink = is_safe_link
    return md


def _adjust(tokens) -> None:
    """Headings typed in narrative sit below the report's own; table alignment
    becomes a class, since style attributes are never allowed."""
    shift = NARRATIVE_MIN_HEADING_LEVEL - 1
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + shift, 6)}"
        elif token.type in ("th_open", "td_open"):
            style = token.attrs.pop("style", None)
            if isinstance(style, str) and style.startswith("text-align:"):
                align = NARRATIVE_ALIGN_CLASSES.get(style.split(":", 1)[1])
                if align:
                    token.attrs["class"] = align


def clean_html(markup: str) -> str:
    """The allowlist every rendered fragment passes through: the second line of
    defence after the parser, and usable on any HTML built from untrusted text."""
    return nh3.clean(
        markup,
        tags=set(NARRATIVE_HTML_TAGS),
        clean_content_tags={"script", "style"},
        attributes={tag: set(names) for tag, names in NARRATIVE_HTML_ATTRIBUTES.items()},
        url_schemes=set(NARRATIVE_LINK_SCHEMES),
        link_rel=NARRATIVE_LINK_REL,
        allowed_classes={tag: set(NARRATIVE_ALIGN_CLASSES.values()) for tag in ("th", "td")},
        strip_comments=True,
    )


def render_markdown(text: object, *, breaks: bool = False) -> str:
    """Untrusted Markdown (narrative, owners' commentary) as safe HTML.

    Raw HTML is shown as text, unsafe links as plain text, and the result is
    cleaned against an allowlist (no style, no event handlers; links get
    ``rel="noopener noreferrer"``) in case the parser ever lets one through.
    """
    source = _text(text)
    if not source.strip():
        return ""
    md = _parser(breaks)
    tokens = md.parse(source)
    _adjust(tokens)
    return clean_html(md.renderer.render(tokens, md.options, {}))


def render_inline(text: object, *, breaks: bool = True) -> str:
    """Short text for a table cell: one paragraph comes back without its ``<p>``.

    Line breaks are kept by default because commentary typed in an Excel cell
    uses Alt+Enter to mean a new line.
    """
    source = _text(text)
    if not source.strip():
        return ""
    md = _parser(breaks)
    tokens = md.parse(source)
    _adjust(tokens)
    if len(tokens) == 3 and tokens[0].type == "paragraph_open" and tokens[2].type == "paragraph_close":
        tokens = tokens[1:2]
    return clean_html(md.renderer.render(tokens, md.options, {}))
