"""Visible text of an HTML page as paragraphs: blocks and headings kept, scripts and navigation dropped."""
from __future__ import annotations

import re

import lxml.html
from lxml import etree

# Never visible, or site furniture rather than content.
_DROPPED = frozenset({
    "script", "style", "noscript", "template", "nav", "head", "form", "button", "select",
    "option", "iframe", "svg", "canvas", "object", "embed", "audio", "video", "map", "menu",
})
_FURNITURE = frozenset({"header", "footer", "aside"})
_BLOCKS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "blockquote", "pre", "td",
    "th", "tr", "caption", "figcaption", "div", "section", "article", "main", "address",
    "ul", "ol", "dl", "table", "tbody", "thead", "tfoot", "figure", "body", "hr", "center",
    "fieldset", "legend", "details", "summary",
})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_SPACE = re.compile(r"[ \t\r\n\f\u00a0\u202f]+")
_LOOKS_LIKE_HTML = re.compile(
    r"^\s*(?:<!doctype\s+html|<html\b|<\?xml)|<(?:p|div|body|h[1-6]|br|li|table|span|a)\b[^>]*>",
    re.IGNORECASE,
)


def looks_like_html(text: str) -> bool:
    """Guess whether `text` is HTML rather than plain text."""
    return _LOOKS_LIKE_HTML.search(text[:5000]) is not None


def html_paragraphs(markup: str) -> list[str]:
    """Return the visible paragraphs of an HTML page, in document order.

    Line breaks (<br>) survive as newlines inside a paragraph so that the splitter can see
    list-like lines; all other white space is collapsed.
    """
    if not markup.strip():
        return []
    root = lxml.html.document_fromstring(markup.encode("utf-8"), parser=_PARSER)
    collector = _Collector()
    collector.visit(root, inside_content=False)
    collector.flush()
    return collector.paragraphs


_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)


class _Collector:
    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self._buffer: list[str] = []

    def flush(self) -> None:
        text = "".join(self._buffer)
        lines = [_SPACE.sub(" ", line).strip() for line in text.split("\n")]
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            self.paragraphs.append(paragraph)
        self._buffer = []

    def visit(self, element: etree._Element, *, inside_content: bool) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.lower()
        if tag and _is_invisible(element, tag, inside_content):
            self._tail(element)
            return
        inside_content = inside_content or tag in ("main", "article")
        is_block = tag in _BLOCKS
        if is_block:
            self.flush()
        if tag == "br":
            self._buffer.append("\n")
        elif tag and element.text:
            self._buffer.append(element.text)
        for child in element:
            self.visit(child, inside_content=inside_content)
        if is_block:
            self.flush()
        self._tail(element)

    def _tail(self, element: etree._Element) -> None:
        if element.tail:
            self._buffer.append(element.tail)


def _is_invisible(element: etree._Element, tag: str, inside_content: bool) -> bool:
    if tag in _DROPPED:
        return True
    if tag in _FURNITURE and not inside_content:
        return True
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    if element.get("role") in ("navigation", "banner", "contentinfo", "search"):
        return True
    return _HIDDEN_STYLE.search(element.get("style") or "") is not None
