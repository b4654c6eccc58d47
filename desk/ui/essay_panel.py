"""The essay panel: paragraphs as editable blocks, each with its time links as chips.

A click on a chip sends the player to that moment. Keys (the action table's "essay" actions,
bound while focus is in the panel): Ctrl+L links the selected paragraph to the
current frame, Ctrl+Shift+L to the I/O range; Ctrl+Up/Down move it; Ctrl+Return splits it at the
cursor while editing; Ctrl+Backspace merges it into the one above (while editing, Ctrl+Backspace
and Ctrl+Delete delete a word, as in any text field). While the film plays, the paragraphs linked
to the playhead are highlighted and the panel follows them (switchable).

Typing is saved 400 ms after the last keystroke, and at once before any other edit, undo or redo,
so the history keeps the order in which things were done.

Project text is untrusted and is only ever painted as plain text.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import (
    QEvent,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPalette,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QPlainTextEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from desk.core.timefmt import fmt_ms
from desk.store import edits
from desk.ui.essay_model import ACTIVE_ROLE, KIND_ROLE, LINKS_ROLE, EssayModel, Index
from desk.ui.session import Session
from desk.ui.transport import Transport

PAD = 8
CHIP_H = 22
THUMB_W = 36
#: Paragraphs measured exactly whenever the essay is laid out: the first screenfuls. The others are
#: laid out at a height estimated from their length until they are first painted, then measured
#: and laid out again: wrapping 5,000 paragraphs exactly takes ~0.4 s, and Qt's batched layout
#: (the other way not to wait for it) paints nothing where the view has not yet laid out, which
#: can leave a long essay blank for seconds while the window opens.
MEASURED_AHEAD = 40
#: The roles whose change can change a paragraph's height.
TEXT_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, KIND_ROLE)
#: Prose whose mean character width stands for a paragraph's in the estimate.
PROSE = "She climbs onto him, and when he leans in to kiss her, she refuses, hits him, and sobs."
#: Word wrap leaves a line shorter than the width by about half a word: ~6% in the estimate.
WRAP_SLACK = 1.06


class ParagraphEditor(QPlainTextEdit):
    """A paragraph being edited: the word-deleting keys delete words, not paragraphs."""

    WORD_KEYS = (
        QKeySequence.StandardKey.DeleteStartOfWord,
        QKeySequence.StandardKey.DeleteEndOfWord,
    )

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and any(event.matches(key) for key in self.WORD_KEYS)
        ):
            event.accept()  # the key goes to the text, ahead of the panel's shortcuts
            return True
        return super().event(event)


class ParagraphDelegate(QStyledItemDelegate):
    """Paints a paragraph as plain wrapped text with a row of link chips below it."""

    chip_clicked = Signal(int)  # film_ms
    editor_opened = Signal(object, int)  # (ParagraphEditor, row)

    def __init__(self, parent: QObject | None = None, thumbnails: object | None = None) -> None:
        super().__init__(parent)
        self.thumbnails = thumbnails
        self._heights: dict[tuple[str, str, int], int] = {}  # exact: by (kind, text, width)
        #: Every row's height at ``_rows_width``, and whether it is an estimate (until the row is
        #: first painted), until the paragraphs change: the view asks for every row's size at
        #: each layout, and a look-up is all it then costs.
        self._row_heights: list[int] | None = None
        self._row_estimated: list[bool] = []
        self._rows_width = 0
        #: Until the paragraphs change: each one's length and whether it is a heading, and the
        #: rows measured once painted, (width, height).
        self._lengths: np.ndarray | None = None
        self._headings = np.zeros(0, dtype=bool)
        self._painted: dict[int, tuple[int, int]] = {}
        self._char_metrics: dict[bool, tuple[float, int]] = {}  # heading? -> (char w, line h)
        self._measured_again: QPersistentModelIndex | None = None
        self._relayout = QTimer(self, singleShot=True, interval=0)
        self._relayout.timeout.connect(self._lay_out_measured)

    def _text_rect(self, option: QStyleOptionViewItem) -> QRect:
        return option.rect.adjusted(PAD, PAD, -PAD, -PAD - CHIP_H - 4)

    def _font(self, option: QStyleOptionViewItem, kind: str) -> QFont:
        font = QFont(option.font)
        if kind == "heading":
            font.setBold(True)
            font.setPointSizeF(font.pointSizeF() * 1.2)
        return font

    def forget_rows(self) -> None:
        """The paragraphs changed: each row's height is found again at the next layout."""
        self._row_heights = None
        self._lengths = None
        self._painted = {}

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        width = max(200, option.rect.width() or 400)
        heights, row = self._row_heights, index.row()
        if heights is None or width != self._rows_width or row >= len(heights):
            heights = self._size_rows(option, index, width)
        return QSize(width, heights[row])

    def _size_rows(self, option: QStyleOptionViewItem, index: Index, width: int) -> list[int]:
        """Every row's height at ``width``: measured (the first rows, and those painted), or
        estimated from its length, all rows at once."""
        model = index.model()
        assert isinstance(model, EssayModel)
        kinds, texts = model.kinds_and_texts()
        if self._lengths is None or len(self._lengths) != len(texts):
            self._lengths = np.fromiter(map(len, texts), dtype=np.float64, count=len(texts))
            self._headings = np.fromiter(
                (kind == "heading" for kind in kinds), dtype=bool, count=len(kinds)
            )
            self._painted = {}
        body, heading = self._metrics(option, "body"), self._metrics(option, "heading")
        char_width = np.where(self._headings, heading[0], body[0])
        line_height = np.where(self._headings, heading[1], body[1])
        lines = np.maximum(1, np.ceil(self._lengths * char_width / max(1, width - 2 * PAD)))
        heights = (lines * line_height).astype(np.int64) + (2 * PAD + CHIP_H + 4)
        estimated = np.ones(len(texts), dtype=bool)
        for row in range(min(len(texts), MEASURED_AHEAD)):
            key = (kinds[row], texts[row] or " ", width)
            heights[row] = self._heights.get(key) or self._measure(key, self._font(option, key[0]))
        estimated[:MEASURED_AHEAD] = False
        for row, (at_width, height) in self._painted.items():
            if at_width == width and row < len(heights):
                heights[row], estimated[row] = height, False
        self._row_heights, self._row_estimated = heights.tolist(), estimated.tolist()
        self._rows_width = width
        return self._row_heights

    def _metrics(self, option: QStyleOptionViewItem, kind: str) -> tuple[float, int]:
        """A kind's mean character width (with word wrap's slack) and line height."""
        heading = kind == "heading"
        metrics = self._char_metrics.get(heading)
        if metrics is None:
            font_metrics = QFontMetrics(self._font(option, kind))
            char_width = font_metrics.horizontalAdvance(PROSE) / len(PROSE)
            metrics = (char_width * WRAP_SLACK, font_metrics.lineSpacing())
            self._char_metrics[heading] = metrics
        return metrics

    def _measure(self, key: tuple[str, str, int], font: QFont) -> int:
        _kind, text, width = key
        bounds = QFontMetrics(font).boundingRect(
            QRect(0, 0, width - 2 * PAD, 100000), int(Qt.TextFlag.TextWordWrap), text
        )
        height = bounds.height() + 2 * PAD + CHIP_H + 4
        if len(self._heights) > 50_000:
            self._heights.clear()
        self._heights[key] = height
        return height

    def _measure_on_paint(self, option: QStyleOptionViewItem, index: Index) -> None:
        """A row laid out at an estimated height is measured as it is first painted; the essay is
        laid out again (once for all rows painted in a turn) if it was not right."""
        heights, row = self._row_heights, index.row()
        if heights is None or row >= len(heights) or not self._row_estimated[row]:
            return
        self._row_estimated[row] = False
        kind = index.data(KIND_ROLE)
        key = (kind, index.data() or " ", self._rows_width)
        exact = self._heights.get(key) or self._measure(key, self._font(option, kind))
        self._painted[row] = (self._rows_width, exact)
        if exact != heights[row]:
            heights[row] = exact
            self._measured_again = QPersistentModelIndex(index)
            self._relayout.start()

    def _lay_out_measured(self) -> None:
        again = self._measured_again
        if again is not None and again.isValid():
            self.sizeHintChanged.emit(again.model().index(again.row(), again.column()))
        self._measured_again = None

    def chip_rects(self, option_rect: QRect, links: list[tuple[int, int, int]]) -> list[QRect]:
        x = option_rect.left() + PAD
        y = option_rect.bottom() - PAD - CHIP_H + 1
        rects = []
        for _id, start, end in links:
            width = THUMB_W + 10 + 7 * len(self._chip_text(start, end))
            rects.append(QRect(x, y, width, CHIP_H))
            x += width + 6
        return rects

    @staticmethod
    def _chip_text(start: int, end: int) -> str:
        return fmt_ms(start) if end == start else f"{fmt_ms(start)}–{fmt_ms(end)}"

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        if self._row_heights is not None:
            self._measure_on_paint(option, index)
        painter.save()
        rect: QRect = option.rect
        palette: QPalette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if index.data(ACTIVE_ROLE):
            painter.fillRect(rect, QColor(242, 193, 78, 90))
        elif selected:
            painter.fillRect(rect, palette.color(QPalette.ColorRole.Highlight).lighter(160))
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        painter.setFont(self._font(option, index.data(KIND_ROLE)))
        painter.drawText(self._text_rect(option), int(Qt.TextFlag.TextWordWrap), index.data() or "")
        links = index.data(LINKS_ROLE) or []
        for r, (_id, start, end) in zip(self.chip_rects(rect, links), links, strict=True):
            self._paint_chip(painter, r, start, end, palette)
        if not links and index.data(KIND_ROLE) != "heading":
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                rect.adjusted(PAD, 0, 0, -PAD),
                int(Qt.AlignmentFlag.AlignBottom),
                "not linked — Ctrl+L links it",
            )
        painter.restore()

    def _paint_chip(
        self, painter: QPainter, r: QRect, start: int, end: int, palette: QPalette
    ) -> None:
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.setBrush(palette.color(QPalette.ColorRole.AlternateBase))
        painter.drawRoundedRect(r, 4, 4)
        thumb_rect = QRect(r.left() + 2, r.top() + 2, THUMB_W, r.height() - 4)
        pixmap = self.thumbnails.pixmap(start) if self.thumbnails is not None else None  # type: ignore[attr-defined]
        if pixmap is not None:
            painter.drawPixmap(thumb_rect, pixmap)
        else:
            painter.fillRect(thumb_rect, QColor(40, 40, 48))
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        painter.drawText(
            r.adjusted(THUMB_W + 6, 0, 0, 0),
            int(Qt.AlignmentFlag.AlignVCenter),
            self._chip_text(start, end),
        )

    def createEditor(  # noqa: N802
        self, parent: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> QWidget:
        editor = ParagraphEditor(parent)
        editor.setObjectName("paragraph-editor")
        self.editor_opened.emit(editor, index.row())
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        assert isinstance(editor, QPlainTextEdit)
        text = index.data() or ""
        if editor.toPlainText() != text:  # not the echo of its own save: the cursor stays put
            editor.setPlainText(text)

    def setModelData(self, editor: QWidget, model: object, index: Index) -> None:  # noqa: N802
        """Edits are written by the panel (debounced), not through the model."""

    def updateEditorGeometry(  # noqa: N802
        self, editor: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> None:
        editor.setGeometry(self._text_rect(option).adjusted(-4, -4, 4, 4))


class EssayPanel(QWidget):
    """The essay beside the film."""

    def __init__(
        self,
        session: Session,
        transport: Transport,
        thumbnails: object | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.transport = transport
        self.model = EssayModel(session)
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.dek = QLabel()
        self.dek.setTextFormat(Qt.TextFormat.PlainText)
        self.dek.setWordWrap(True)
        self.follow = QCheckBox("Follow the film")
        self.follow.setChecked(True)
        self.view = QListView()
        self.view.setObjectName("essay-view")
        # Laid out in one pass, most paragraphs at an estimated height (see MEASURED_AHEAD).
        self.view.setLayoutMode(QListView.LayoutMode.SinglePass)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setModel(self.model)
        self.delegate = ParagraphDelegate(self.view, thumbnails)
        self.view.setItemDelegate(self.delegate)
        for changed in (
            self.model.modelReset,
            self.model.rowsInserted,
            self.model.rowsRemoved,
            self.model.rowsMoved,
            self.model.layoutChanged,
        ):
            changed.connect(self.delegate.forget_rows)
        self.model.dataChanged.connect(self._paragraphs_changed)
        self.view.setWordWrap(True)
        self.view.setUniformItemSizes(False)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setSpacing(2)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.view.viewport().installEventFilter(self)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.follow)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.dek)
        layout.addWidget(self.view, 1)
        self._editing: tuple[int, QPlainTextEdit] | None = None
        self._save_timer = QTimer(self, singleShot=True, interval=400)
        self._save_timer.timeout.connect(self._save_editor)
        self.delegate.editor_opened.connect(self._track_editor)
        self.delegate.closeEditor.connect(lambda *_: self._close_editor())
        session.about_to_change.connect(self._save_pending)
        self._refresh_header()
        session.changes_applied.connect(lambda *_: self._refresh_header())
        transport.position_changed.connect(self._on_playhead)
        if thumbnails is not None:
            thumbnails.updated.connect(self.view.viewport().update)  # type: ignore[attr-defined]

    def _paragraphs_changed(self, _first: Index, _last: Index, roles: list[int]) -> None:
        if not roles or any(role in TEXT_ROLES for role in roles):  # not the playhead's highlight
            self.delegate.forget_rows()

    # -- actions (the window's action table binds their keys and menu items) ------------------
    def selected_paragraph(self) -> int | None:
        index = self.view.currentIndex()
        return self.model.paragraph_id(index.row()) if index.isValid() else None

    def select_paragraph(self, paragraph_id: int) -> None:
        row = self.model.row_of(paragraph_id)
        if row is not None:
            index = self.model.index(row)
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)

    def link_to_playhead(self) -> None:
        pid = self.selected_paragraph()
        if pid is not None:
            at = self.transport.position_ms
            self.session.edit(edits.link, paragraph_id=pid, start_ms=at, initiator=self)

    def link_to_marks(self) -> None:
        pid, marked = self.selected_paragraph(), self.transport.marked_range()
        if pid is not None and marked is not None:
            self.session.edit(
                edits.link, paragraph_id=pid, start_ms=marked[0], end_ms=marked[1], initiator=self
            )

    def new_paragraph(self) -> None:
        index = self.view.currentIndex()
        position = index.row() + 1 if index.isValid() else None
        pid = self.session.edit(edits.add_paragraph, "", position=position, initiator=self)
        self.select_paragraph(pid)
        self.view.edit(self.view.currentIndex())

    def move_selected(self, delta: int) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            pid = self.model.paragraph_id(index.row())
            self.session.edit(edits.move_paragraph, pid, index.row() + delta, initiator=self)
            self.select_paragraph(pid)

    def merge_selected(self) -> None:
        index = self.view.currentIndex()
        if index.isValid() and index.row() > 0:
            first = self.model.paragraph_id(index.row() - 1)
            self.session.edit(
                edits.merge_paragraphs, first, self.model.paragraph_id(index.row()), initiator=self
            )
            self.select_paragraph(first)

    def split_at_cursor(self) -> None:
        if self._editing is None:
            return
        pid, editor = self._editing
        at = editor.textCursor().position()
        self._close_editor()
        self.view.closePersistentEditor(self.view.currentIndex())
        new = self.session.edit(edits.split_paragraph, pid, at, initiator=self)
        self.select_paragraph(new)

    def delete_selected(self) -> None:
        pid = self.selected_paragraph()
        if pid is not None:
            self.session.edit(edits.delete_paragraph, pid, initiator=self)

    # -- chips -----------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            watched is self.view.viewport()
            and event.type() == QEvent.Type.MouseButtonRelease
            and self._chip_click(event)
        ):
            return True
        return super().eventFilter(watched, event)

    def _chip_click(self, event: QEvent) -> bool:
        assert isinstance(event, QMouseEvent)
        pos: QPoint = event.position().toPoint()
        index = self.view.indexAt(pos)
        if not index.isValid():
            return False
        rect = self.view.visualRect(index)
        links = index.data(LINKS_ROLE) or []
        for r, (_id, start, _end) in zip(self.delegate.chip_rects(rect, links), links, strict=True):
            if r.contains(pos):
                self.transport.seek(start)
                self.delegate.chip_clicked.emit(start)
                return True
        return False

    # -- editing: durable while typing, without waiting on every keystroke ----------------------
    def _track_editor(self, editor: QPlainTextEdit, row: int) -> None:
        self._save_pending()  # another paragraph's editor may still hold unsaved text
        self._editing = (self.model.paragraph_id(row), editor)
        editor.textChanged.connect(self._save_timer.start)
        editor.destroyed.connect(lambda: self._forget_editor(editor))

    def _forget_editor(self, editor: QPlainTextEdit) -> None:
        if self._editing is not None and self._editing[1] is editor:
            self._save_timer.stop()
            self._editing = None

    def _save_pending(self) -> None:
        """Save what the editor holds now if its save is still waiting (before another edit)."""
        if self._save_timer.isActive():
            self._save_editor()

    def _save_editor(self) -> None:
        self._save_timer.stop()
        if self._editing is None:
            return
        pid, editor = self._editing
        text = editor.toPlainText()
        row = self.model.row_of(pid)
        if row is not None and self.model.index(row).data() != text:
            self.session.edit(edits.edit_paragraph, pid, text, initiator=self)

    def _close_editor(self) -> None:
        self._save_editor()
        self._editing = None

    # -- following the film ----------------------------------------------------------------------
    def _refresh_header(self) -> None:
        self.title.setText(self.model.title or "Untitled essay")
        self.dek.setText(self.model.dek)
        self.dek.setVisible(bool(self.model.dek))

    def _on_playhead(self, film_ms: int) -> None:
        rows = self.model.set_playhead(film_ms)
        if rows and self.follow.isChecked() and self._editing is None:
            self.view.scrollTo(
                self.model.index(rows[0]), QAbstractItemView.ScrollHint.EnsureVisible
            )
