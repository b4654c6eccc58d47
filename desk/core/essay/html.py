"""Parsing an HTML essay for its text only: the article's ``<h1>`` is the title, a dek is found by
class or position, and page furniture (navigation, scripts, media) is left out."""

from __future__ import annotations

import re
import warnings

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, NavigableString, Tag
from bs4.element import PageElement, PreformattedString
from bs4.exceptions import ParserRejectedMarkup

from desk.core.essay.classify import _blocks, _classify, _Para, _Parts
from desk.core.essay.model import _error
from desk.core.essay.normalise import _squash

_IGNORED_TAGS = [
    *("script", "style", "noscript", "template"),
    *("nav", "footer", "aside", "figcaption"),
    *("form", "button", "select", "textarea"),
    *("svg", "math", "iframe", "object", "embed", "canvas", "video", "audio"),
]
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_LIST_TAGS = frozenset({"ul", "ol", "li", "dl", "dt", "dd"})
_TABLE_TAGS = frozenset({"table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td"})
_SECTION_TAGS = frozenset(
    {"html", "body", "main", "article", "section", "div", "figure", "hgroup", "details", "summary"}
)
_OTHER_BLOCK_TAGS = frozenset({"p", "pre", "blockquote", "hr", "address", "center", "fieldset"})
_BLOCK_TAGS = _HEADING_TAGS | _LIST_TAGS | _TABLE_TAGS | _SECTION_TAGS | _OTHER_BLOCK_TAGS
_DEK_CLASS = re.compile(r"dek|subtitle|standfirst|subhead", re.I)
_DEK_FOLLOWERS = ["h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote"]
_DEK_MAX_HTML_CHARS = 500
_LINE_BREAK = "\u2028"
_PARAGRAPH_BREAK = re.compile(f"{_LINE_BREAK}\\s*{_LINE_BREAK}")


def _soup(text: str) -> BeautifulSoup | None:
    """Parse HTML with the standard library's parser; None if it refuses the markup."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        try:
            return BeautifulSoup(text, "html.parser")
        except ParserRejectedMarkup:
            return None


def _parse_html(text: str, subject: str) -> _Parts:
    soup = _soup(text)
    if soup is None:
        raise _error(subject, "contains HTML that cannot be read")
    _remove(soup, _IGNORED_TAGS)
    page_title = _element_text(soup.find("title"))
    _remove(soup, ["head", "title"])
    root = _content_root(soup)
    title_tag = root.find("h1") or soup.find("h1")
    title = _element_text(title_tag) or page_title
    dek_tag = _find_dek(soup, root, title_tag)
    dek = _element_text(dek_tag)
    ancestors = {id(parent) for parent in root.parents}
    _remove(soup, ["header"], keep=ancestors)
    paras = _html_paras(root, skip={id(title_tag), id(dek_tag)})
    if not title:
        return _classify(paras, guess_headings=False)
    return _Parts(title, dek, _blocks(paras, guess_headings=False))


def _html_fragment(text: str) -> list[_Para]:
    """The paragraphs of a piece of raw HTML inside another format."""
    soup = _soup(text)
    if soup is None:
        return [_Para(_squash(text))]
    _remove(soup, [*_IGNORED_TAGS, "head", "header"])
    return _html_paras(soup, skip=set())


def _remove(soup: BeautifulSoup, names: list[str], keep: set[int] | None = None) -> None:
    for tag in soup.find_all(names):
        if not tag.decomposed and (keep is None or id(tag) not in keep):
            tag.decompose()


def _content_root(soup: BeautifulSoup) -> Tag:
    """The article with the most paragraphs, else <main>, else <body>, else the whole page."""
    articles = soup.find_all("article")
    if articles:
        return max(articles, key=lambda article: len(article.find_all("p")))
    main = soup.find("main")
    if isinstance(main, Tag):
        return main
    return soup.body or soup


def _find_dek(soup: BeautifulSoup, root: Tag, title_tag: Tag | None) -> Tag | None:
    for scope in (root, soup):
        for candidate in scope.find_all(class_=_DEK_CLASS):
            if _fits_dek(candidate, title_tag):
                return candidate
    if title_tag is None:
        return None
    following = title_tag.find_next(_DEK_FOLLOWERS)
    if following is None:
        return None
    if following.name == "h2" or (following.name == "p" and "lead" in _classes(following)):
        return following
    return None


def _fits_dek(candidate: Tag, title_tag: Tag | None) -> bool:
    if not 0 < len(_element_text(candidate)) <= _DEK_MAX_HTML_CHARS:
        return False
    if title_tag is None:
        return True
    unrelated = not (_contains(candidate, title_tag) or _contains(title_tag, candidate))
    return candidate is not title_tag and unrelated


def _contains(outer: Tag, inner: Tag) -> bool:
    return any(parent is outer for parent in inner.parents)


def _classes(tag: Tag) -> list[str]:
    value = tag.get("class")
    if isinstance(value, str):
        return value.split()
    return list(value or [])


def _element_text(tag: object) -> str:
    if not isinstance(tag, Tag):
        return ""
    return " ".join(para.text for para in _html_paras(tag, skip=set()))


def _html_paras(root: Tag, skip: set[int]) -> list[_Para]:
    """The text of each block element under ``root``, in document order, without recursion.

    Text belongs to its nearest block ancestor; a block nested inside another (a list inside a
    list item) ends the text before it and starts its own. Two ``<br>`` in a row split a
    paragraph, as in pages that set paragraphs apart with line breaks.
    """
    paras: list[_Para] = []
    frames: list[tuple[bool, list[str]]] = [(False, [])]
    stack: list[tuple[PageElement, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            _flush(frames.pop(), paras)
        elif isinstance(node, NavigableString):
            if not isinstance(node, PreformattedString):
                frames[-1][1].append(str(node))
        elif isinstance(node, Tag) and id(node) not in skip:
            if node.name == "br":
                frames[-1][1].append(_LINE_BREAK)
                continue
            if node.name in _BLOCK_TAGS:
                _flush(frames[-1], paras)
                frames.append((node.name in _HEADING_TAGS, []))
                stack.append((node, True))
            stack.extend((child, False) for child in reversed(node.contents))
    _flush(frames[0], paras)
    return paras


def _flush(frame: tuple[bool, list[str]], paras: list[_Para]) -> None:
    heading, pieces = frame
    for chunk in _PARAGRAPH_BREAK.split("".join(pieces)):
        text = _squash(chunk)
        if text:
            paras.append(_Para(text, heading))
    pieces.clear()
