"""Reading an essay file into a title, a dek and an ordered run of headings and paragraphs.

An essay arrives as plain text, Markdown, HTML or a Word document, in whatever encoding the
critic's editor used. :func:`read_essay` reads a file (checking its size, decoding its bytes and
choosing a parser by extension or, failing that, by content); :func:`parse_essay_text` parses text
already in memory. Both return a :class:`ParsedEssay` of plain text: no markup survives, runs of
whitespace inside a paragraph become one space, and the text is in Unicode NFC.

Plain text carries no structure, so its title, dek and headings are guessed from the shape of the
paragraphs: a short first line without a final period is a title, a short line standing alone
between paragraphs is a heading. The other formats say what is what.

Every problem with the input (a missing, empty, binary, oversized or damaged file, or one without a
single paragraph) raises :class:`desk.errors.ImportFormatError` with one sentence that names the
file. Essays are untrusted: HTML is read for its text only and nothing it points to is fetched.
"""

from __future__ import annotations

import codecs
import re
import stat
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, NamedTuple

import charset_normalizer
import docx
from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, NavigableString, Tag
from bs4.element import PageElement, PreformattedString
from bs4.exceptions import ParserRejectedMarkup
from docx.opc.exceptions import PackageNotFoundError
from lxml.etree import LxmlError
from markdown_it import MarkdownIt
from markdown_it.token import Token

from desk.errors import ImportFormatError

MAX_ESSAY_BYTES = 20 * 1024 * 1024
"""Largest essay file accepted; checked before the file is read."""

MAX_DOCX_UNPACKED_BYTES = 10 * MAX_ESSAY_BYTES
"""Largest total size of the parts inside a .docx, so a small file cannot unpack into a huge one."""

SUFFIX_FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".docx": "docx",
}
"""Essay format by file extension; a file with any other extension is sniffed."""

TITLE_MAX_CHARS = 120
DEK_MAX_CHARS = 250
HEADING_MAX_CHARS = 80
LONG_LINE_CHARS = 120

BlockKind = Literal["heading", "body"]


@dataclass(frozen=True)
class Block:
    """One heading or one body paragraph of an essay, as plain text."""

    kind: BlockKind
    text: str


@dataclass(frozen=True)
class ParsedEssay:
    """An essay as read from a file: its title, its dek (standfirst, or ""), and its blocks."""

    title: str
    dek: str
    blocks: tuple[Block, ...]

    @property
    def body_paragraphs(self) -> tuple[str, ...]:
        """The text of the body paragraphs, in order, without the headings."""
        return tuple(block.text for block in self.blocks if block.kind == "body")


def read_essay(path: Path) -> ParsedEssay:
    """Read the essay in ``path``; raise :class:`ImportFormatError` if it cannot be imported."""
    subject = f"The essay file '{path.name}'"
    _check_file(path, subject)
    fmt = _format_for_suffix(path, subject)
    if fmt == "docx":
        return _finish(_parse_docx(path, subject), subject)
    text = _clean(_decode(_read_bytes(path, subject), subject))
    return _parse_text(text, fmt or _sniff_format(text), subject)


def parse_essay_text(text: str, fmt: str) -> ParsedEssay:
    """Parse essay ``text`` in ``fmt`` ("text", "markdown" or "html"; a .docx needs a file)."""
    return _parse_text(_clean(text), fmt, "The essay text")


# --- errors ------------------------------------------------------------------------------------


def _error(subject: str, predicate: str) -> ImportFormatError:
    return ImportFormatError(f"{subject} {predicate}.")


def _not_text(subject: str) -> ImportFormatError:
    return _error(subject, "does not contain text (it looks like an image, a video or other data)")


def _too_large(subject: str, size: int) -> ImportFormatError:
    limit_mb = MAX_ESSAY_BYTES // (1024 * 1024)
    return _error(
        subject, f"is too large to import ({size / 2**20:.1f} MB; the limit is {limit_mb} MB)"
    )


def _finish(parts: _Parts, subject: str) -> ParsedEssay:
    blocks = tuple(block for block in parts.blocks if block.text)
    if not any(block.kind == "body" for block in blocks):
        raise _error(subject, "contains no paragraphs of text")
    return ParsedEssay(title=_squash(parts.title), dek=_squash(parts.dek), blocks=blocks)


# --- files and encodings -----------------------------------------------------------------------

_UNSUPPORTED_SUFFIXES = frozenset({".doc", ".odt", ".rtf", ".pdf", ".pages", ".epub"})

_BOM_CODECS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Encodings an essay without a BOM that is not UTF-8 is likely to be in, most likely first: when
# several decode the bytes about equally well, the earlier one wins.
_LEGACY_ENCODINGS: tuple[str, ...] = (
    *("cp1252", "cp1251", "koi8_r", "koi8_u", "cp1250", "iso8859_15", "latin_1", "iso8859_2"),
    *("cp866", "mac_cyrillic", "mac_roman", "cp1253", "cp1254", "cp1257", "cp1255", "cp1256"),
    *("cp874", "shift_jis", "euc_jp", "gb18030", "big5", "euc_kr"),
)
_CHAOS_TOLERANCE = 0.05

_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 32), 127])
_SNIFF_BYTES = 64 * 1024
_WHITESPACE_CONTROLS = frozenset("\t\n\r\x0b\x0c")
_NON_TEXT_CATEGORIES = frozenset({"Cc", "Co", "Cn", "Cs"})


def _check_file(path: Path, subject: str) -> None:
    try:
        info = path.stat()
    except FileNotFoundError as exc:
        raise _error(subject, "does not exist") from exc
    except OSError as exc:
        raise _error(subject, f"cannot be read ({_reason(exc)})") from exc
    if stat.S_ISDIR(info.st_mode):
        raise _error(subject, "is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise _error(subject, "is not a regular file")
    if info.st_size > MAX_ESSAY_BYTES:
        raise _too_large(subject, info.st_size)
    if info.st_size == 0:
        raise _error(subject, "is empty")


def _reason(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()


def _format_for_suffix(path: Path, subject: str) -> str | None:
    suffix = path.suffix.lower()
    if suffix in _UNSUPPORTED_SUFFIXES:
        raise _error(
            subject,
            f"is a {suffix} document, which desk cannot read; save it as .docx, .md, .html or "
            ".txt and import that",
        )
    return SUFFIX_FORMATS.get(suffix)


def _read_bytes(path: Path, subject: str) -> bytes:
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_ESSAY_BYTES + 1)
    except OSError as exc:
        raise _error(subject, f"cannot be read ({_reason(exc)})") from exc
    if len(raw) > MAX_ESSAY_BYTES:
        raise _too_large(subject, len(raw))
    return raw


def _decode(raw: bytes, subject: str) -> str:
    codec = next((name for bom, name in _BOM_CODECS if raw.startswith(bom)), None)
    if codec is None and _has_binary_bytes(raw):
        raise _not_text(subject)
    try:
        text = raw.decode(codec or "utf-8")
    except UnicodeDecodeError:
        if codec is not None:
            raise _not_text(subject) from None
        text = _decode_legacy(raw, subject)
    if _mostly_not_text(text):
        raise _not_text(subject)
    return text


def _has_binary_bytes(raw: bytes) -> bool:
    if b"\x00" in raw:
        return True
    sample = raw[:_SNIFF_BYTES]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls * 20 > len(sample)


def _decode_legacy(raw: bytes, subject: str) -> str:
    text = legacy_text(raw)
    if text is None:
        raise _error(subject, "is in a text encoding desk does not recognise; save it as UTF-8")
    return text


def legacy_text(raw: bytes) -> str | None:
    """``raw`` (not UTF-8) decoded in the most plausible legacy encoding, Western European
    first among the equally plausible; None when no known encoding reads it."""
    matches = list(charset_normalizer.from_bytes(raw, cp_isolation=list(_LEGACY_ENCODINGS)))
    if not matches:
        return None
    least_chaos = min(match.chaos for match in matches)
    plausible = [match for match in matches if match.chaos <= least_chaos + _CHAOS_TOLERANCE]
    best = min(plausible, key=lambda match: _encoding_rank(match.could_be_from_charset))
    return str(best)


def _encoding_rank(names: Sequence[str]) -> int:
    ranks = [_LEGACY_ENCODINGS.index(name) for name in names if name in _LEGACY_ENCODINGS]
    return min(ranks, default=len(_LEGACY_ENCODINGS))


def _mostly_not_text(text: str) -> bool:
    sample = text[:_SNIFF_BYTES]
    odd = sum(
        1
        for char in sample
        if char == "\ufffd"
        or (char not in _WHITESPACE_CONTROLS and unicodedata.category(char) in _NON_TEXT_CATEGORIES)
    )
    return odd * 50 > len(sample)


# --- text normalisation ------------------------------------------------------------------------

_LINE_BREAKS = str.maketrans(
    {"\r": "\n", "\x0b": "\n", "\x0c": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n\n"}
)
_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufeff]")
_SPACE_RUN = re.compile(r"\s+")
_HARD_SPACES = frozenset("\u00a0\u2007\u202f")
_HTML_START = re.compile(r"\s*<(?:!doctype\b|\?xml\b|!--|[a-z][a-z0-9-]*(?:\s|/?>))", re.I)


def _clean(text: str) -> str:
    """Newlines as ``\\n``, no control characters, Unicode NFC."""
    text = text.replace("\r\n", "\n").translate(_LINE_BREAKS)
    return unicodedata.normalize("NFC", _INVISIBLE.sub("", text))


def _squash(text: str) -> str:
    """Collapse each run of whitespace to one space (a run of no-break spaces keeps one)."""
    return _SPACE_RUN.sub(_collapse_space, text).strip()


def _collapse_space(match: re.Match[str]) -> str:
    run = match.group()
    return run[0] if _HARD_SPACES.issuperset(run) else " "


def _sniff_format(text: str) -> str:
    return "html" if _HTML_START.match(text) else "text"


def _parse_text(text: str, fmt: str, subject: str) -> ParsedEssay:
    parser = _TEXT_PARSERS.get(fmt)
    if parser is None:
        raise ValueError(f"cannot parse essay text as {fmt!r}; docx is read from a file")
    if not text.strip():
        raise _error(subject, "is empty")
    return _finish(parser(text, subject), subject)


# --- title, dek and headings by the shape of the paragraphs ------------------------------------


class _Para(NamedTuple):
    text: str
    heading: bool = False
    """Marked as a heading by the source itself (a ``#`` line, an ``<h2>``, a heading style)."""


class _Parts(NamedTuple):
    title: str
    dek: str
    blocks: list[Block]


_CLOSERS = "\"'”’»)]*_"
_SENTENCE_ENDS = frozenset(".!?…։。！？।؟")
_TITLE_ENDS = frozenset(".,;:։。")
_CLAUSE_ENDS = _SENTENCE_ENDS | _TITLE_ENDS
_FULL_STOPS = frozenset(".։。।")
_SENTENCE_BREAK = re.compile(r"[.!?…։。！？।؟]+[\"'”’»)\]]*\s+\S")


def _last_char(text: str) -> str:
    return text.rstrip(_CLOSERS)[-1:]


def _ends_sentence(text: str) -> bool:
    return _last_char(text) in _SENTENCE_ENDS


def _looks_like_title(para: _Para) -> bool:
    if para.heading:
        return True
    return len(para.text) <= TITLE_MAX_CHARS and _last_char(para.text) not in _TITLE_ENDS


def _looks_like_dek(para: _Para) -> bool:
    if para.heading or len(para.text) > DEK_MAX_CHARS:
        return False
    return _last_char(para.text) not in _FULL_STOPS or not _SENTENCE_BREAK.search(para.text)


def _could_be_heading(para: _Para) -> bool:
    return (
        len(para.text) <= HEADING_MAX_CHARS
        and not para.heading
        and _last_char(para.text) not in _CLAUSE_ENDS
    )


def _classify(paras: Sequence[_Para], *, guess_headings: bool) -> _Parts:
    """Take a title and a dek from the first paragraphs if they look like them."""
    rest = [para for para in paras if para.text]
    title = dek = ""
    if len(rest) > 1 and _looks_like_title(rest[0]):
        title = rest.pop(0).text
        if len(rest) > 1 and _looks_like_dek(rest[0]):
            dek = rest.pop(0).text
    return _Parts(title, dek, _blocks(rest, guess_headings=guess_headings))


def _blocks(paras: Sequence[_Para], *, guess_headings: bool) -> list[Block]:
    """A short line standing alone before a paragraph reads as a heading, if guessing."""
    blocks = []
    for at, para in enumerate(paras):
        following = paras[at + 1] if at + 1 < len(paras) else None
        guessed = (
            guess_headings
            and following is not None
            and _could_be_heading(para)
            and not following.heading
            and not _could_be_heading(following)
        )
        blocks.append(Block("heading" if para.heading or guessed else "body", para.text))
    return blocks


# --- plain text --------------------------------------------------------------------------------

_MD_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
_RULE_LINE = re.compile(r"^\s*(?:[-=*_~•·]\s*){3,}$")
_BULLET = re.compile(r"^\s*[-*•‣◦][ \t]+")
_WRAPPED_HYPHEN = re.compile(r"(?<=\w-)\n[ \t]*(?=\w)")


def _parse_plain(text: str, subject: str) -> _Parts:
    return _classify(_plain_paragraphs(text), guess_headings=True)


def _plain_paragraphs(text: str) -> list[_Para]:
    groups = _line_groups(text)
    if _one_paragraph_per_line(groups):
        chunks = [[line] for group in groups for line in group]
    else:
        chunks = [chunk for group in groups for chunk in _split_wrapped(group)]
    return [_para_from_lines(chunk) for chunk in chunks]


def _line_groups(text: str) -> list[list[str]]:
    """The runs of non-blank lines; a rule such as ``* * *`` separates runs like a blank line."""
    groups: list[list[str]] = [[]]
    for line in text.split("\n"):
        if not line.strip() or _RULE_LINE.match(line):
            if groups[-1]:
                groups.append([])
        else:
            groups[-1].append(line.rstrip())
    return [group for group in groups if group]


def _one_paragraph_per_line(groups: list[list[str]]) -> bool:
    """Whether each line is a paragraph, rather than text hard-wrapped into lines.

    Paragraph-per-line files have mostly long lines, or lines that end where sentences end; a
    hard-wrapped text breaks its lines mid-sentence.
    """
    lines = [line for group in groups for line in group]
    long_lines = sum(len(line.strip()) > LONG_LINE_CHARS for line in lines)
    if 2 * long_lines > len(lines):
        return True
    inner = [line for group in groups for line in group[:-1]]
    if not inner:
        return True
    return 2 * sum(_ends_sentence(line.strip()) for line in inner) > len(inner)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _split_wrapped(group: list[str]) -> list[list[str]]:
    """Split a run of wrapped lines at headings, bullets and indented first lines."""
    base = min(_indent(line) for line in group)
    chunks: list[list[str]] = []
    for line in group:
        if not chunks or _starts_paragraph(line, chunks[-1], base):
            chunks.append([line])
        else:
            chunks[-1].append(line)
    return chunks


def _starts_paragraph(line: str, chunk: list[str], base_indent: int) -> bool:
    if _MD_HEADING.match(line) or _MD_HEADING.match(chunk[0]) or _BULLET.match(line):
        return True
    first_line_indent = _indent(line) > base_indent and _indent(chunk[-1]) == base_indent
    return first_line_indent and not _BULLET.match(chunk[0])


def _para_from_lines(lines: list[str]) -> _Para:
    heading = _MD_HEADING.match(lines[0])
    if heading and len(lines) == 1:
        return _Para(_squash(heading.group(1)), heading=True)
    text = _WRAPPED_HYPHEN.sub("", "\n".join(lines))
    return _Para(_squash(_BULLET.sub("", text, count=1)))


# --- Markdown ----------------------------------------------------------------------------------

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_META_LINE = re.compile(r"^([\w-]+)[ \t]*:[ \t]*(.*?)[ \t]*$")
_DEK_KEYS = ("subtitle", "dek", "standfirst", "description")
_TEXT_TOKENS = frozenset({"text", "text_special", "code_inline"})


class _MdItem(NamedTuple):
    para: _Para
    level: int
    """Heading level, or 0 for text that is not a heading."""
    standout: bool
    """Wholly emphasised, or quoted: how Markdown essays often set their dek."""
    listed: bool


def _parse_markdown(text: str, subject: str) -> _Parts:
    meta, text = _split_front_matter(text)
    items = [item for item in _markdown_items(text) if item.para.text]
    title_at = next((at for at, item in enumerate(items) if item.level == 1), None)
    if title_at is not None:
        title = items.pop(title_at).para.text
        dek = ""
        if _is_markdown_dek(items, title_at):
            dek = items.pop(title_at).para.text
        return _Parts(title, dek, [_markdown_block(item) for item in items])
    if meta.get("title"):
        dek = next((meta[key] for key in _DEK_KEYS if meta.get(key)), "")
        return _Parts(meta["title"], dek, [_markdown_block(item) for item in items])
    return _classify([item.para for item in items], guess_headings=False)


def _split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Take off a YAML-style block of ``key: value`` lines at the very start, if there is one."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        return {}, text
    meta: dict[str, str] = {}
    for line in match.group(1).split("\n"):
        pair = _META_LINE.match(line)
        if pair:
            meta[pair.group(1).lower()] = _squash(pair.group(2).strip("\"'"))
        elif line.strip() and not line[:1].isspace() and not line.lstrip().startswith("-"):
            return {}, text
    return meta, text[match.end() :]


def _is_markdown_dek(items: list[_MdItem], at: int) -> bool:
    """Whether the item right under the title is a dek: a ``##``, a quote, or a short paragraph."""
    if at + 1 >= len(items):
        return False
    item = items[at]
    if item.level == 2:
        return True
    return item.level == 0 and not item.listed and (item.standout or _looks_like_dek(item.para))


def _markdown_block(item: _MdItem) -> Block:
    return Block("heading" if item.level else "body", item.para.text)


def _markdown_items(text: str) -> list[_MdItem]:
    items: list[_MdItem] = []
    level = quotes = lists = 0
    for token in MarkdownIt("commonmark").parse(text):
        if token.type == "heading_open":
            level = int(token.tag[1:])
        elif token.type == "heading_close":
            level = 0
        elif token.type.startswith("blockquote_"):
            quotes += token.nesting
        elif token.type.endswith(("list_open", "list_close")):
            lists += token.nesting
        elif token.type == "inline":
            standout = quotes > 0 or _is_emphasised(token.children or [])
            para = _Para(_inline_text(token.children or []), heading=level > 0)
            items.append(_MdItem(para, level, standout, lists > 0))
        elif token.type in ("fence", "code_block"):
            items.append(_MdItem(_Para(_squash(token.content)), 0, False, lists > 0))
        elif token.type == "html_block":
            items.extend(_MdItem(para, 0, False, False) for para in _html_fragment(token.content))
    return items


def _inline_text(children: list[Token]) -> str:
    """The words of an inline run; images, raw HTML tags and link targets drop out."""
    pieces = []
    for child in children:
        if child.type in _TEXT_TOKENS:
            pieces.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            pieces.append(" ")
    return _squash("".join(pieces))


def _is_emphasised(children: list[Token]) -> bool:
    depth = 0
    has_words = False
    for child in children:
        if child.type in ("em_open", "strong_open"):
            depth += 1
        elif child.type in ("em_close", "strong_close"):
            depth -= 1
        elif child.type in _TEXT_TOKENS and child.content.strip():
            if depth == 0:
                return False
            has_words = True
    return has_words


# --- HTML --------------------------------------------------------------------------------------

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


# --- Word documents ----------------------------------------------------------------------------

_DOCX_ERRORS = (
    PackageNotFoundError,
    zipfile.BadZipFile,
    KeyError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    EOFError,
    OSError,
    zlib.error,
    LxmlError,
)
_DocxRole = Literal["title", "dek", "heading", "body"]


def _parse_docx(path: Path, subject: str) -> _Parts:
    _check_docx_package(path, subject)
    try:
        rows = _docx_rows(path)
    except _DOCX_ERRORS as exc:
        raise _error(subject, "is not a valid Word document (.docx)") from exc
    title_at = next((at for at, (role, _) in enumerate(rows) if role == "title"), None)
    if title_at is None:
        paras = [_Para(text, role == "heading") for role, text in rows]
        return _classify(paras, guess_headings=False)
    dek_at = next((at for at, (role, _) in enumerate(rows) if role == "dek"), None)
    blocks = [
        Block("body" if role == "body" else "heading", text)
        for at, (role, text) in enumerate(rows)
        if at not in (title_at, dek_at)
    ]
    dek = rows[dek_at][1] if dek_at is not None else ""
    return _Parts(rows[title_at][1], dek, blocks)


def _check_docx_package(path: Path, subject: str) -> None:
    try:
        with zipfile.ZipFile(path) as package:
            unpacked = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _error(subject, "is not a valid Word document (.docx)") from exc
    if unpacked > MAX_DOCX_UNPACKED_BYTES:
        limit_mb = MAX_DOCX_UNPACKED_BYTES // (1024 * 1024)
        raise _error(subject, f"is too large to import (it unpacks to more than {limit_mb} MB)")


def _docx_rows(path: Path) -> list[tuple[_DocxRole, str]]:
    rows: list[tuple[_DocxRole, str]] = []
    for paragraph in docx.Document(str(path)).paragraphs:
        text = _squash(_clean(paragraph.text))
        if text:
            style = paragraph.style
            rows.append((_docx_role(style.name if style is not None else None), text))
    return rows


def _docx_role(style_name: str | None) -> _DocxRole:
    name = (style_name or "").lower()
    if name == "title":
        return "title"
    if name == "subtitle":
        return "dek"
    if name.startswith("heading"):
        return "heading"
    return "body"


_TEXT_PARSERS: dict[str, Callable[[str, str], _Parts]] = {
    "text": _parse_plain,
    "markdown": _parse_markdown,
    "html": _parse_html,
}
