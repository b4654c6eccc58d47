"""The conflicts of an import or a merge, side by side, each settled on its own.

One row per conflict: what both sides started from (when the file records it, as a bundle does),
the project's version and the file's, and a choice of keep mine, take theirs or keep both. The
import has already kept the project's versions when the dialog opens; choosing otherwise for any
row runs the import again with those choices (:func:`desk.ui.interchange_menu.settle_conflicts`).
Every text is shown as plain text: it comes from someone else's file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from desk.interchange.model import Conflict, OnConflict

#: How a conflict shows a deleted version (as :data:`desk.interchange.model.DELETED`, which is
#: not imported here: the model loads SQLModel).
DELETED = "(deleted)"

#: The choices of a row, as shown, in order.
CHOICES: tuple[tuple[OnConflict, str], ...] = (
    ("ours", "Keep mine"),
    ("theirs", "Take theirs"),
    ("both", "Keep both"),
)
_BASE, _MINE, _THEIRS, _CHOICE = 1, 2, 3, 4


class ConflictDialog(QDialog):
    """Conflicts side by side (base, mine, theirs) with a choice per row."""

    def __init__(self, conflicts: list[Conflict], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Conflicting annotations")
        self.conflicts = conflicts
        self.groups: list[QButtonGroup] = []
        layout = QVBoxLayout(self)
        intro = QLabel(_intro(conflicts))
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = self._table(conflicts)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox()
        reset = QDialogButtonBox.ButtonRole.ResetRole
        self.all_mine = buttons.addButton("Keep mine for all", reset)
        self.all_theirs = buttons.addButton("Take theirs for all", reset)
        self.apply = buttons.addButton("Apply", QDialogButtonBox.ButtonRole.AcceptRole)
        self.all_mine.clicked.connect(lambda: self.choose_all("ours"))
        self.all_theirs.clicked.connect(lambda: self.choose_all("theirs"))
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        rows = sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
        self.resize(1100, min(720, 150 + rows))

    def _table(self, conflicts: list[Conflict]) -> QTableWidget:
        table = QTableWidget(len(conflicts), 5)
        table.setHorizontalHeaderLabels(
            ["", "Both started from", "Mine (this project)", "Theirs (the file)", ""]
        )
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setWordWrap(True)
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for column in (0, _CHOICE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        for row, conflict in enumerate(conflicts):
            texts = (f"{conflict.kind}\n{conflict.uid[:8]}", conflict.base or "", conflict.ours,
                     conflict.theirs)  # fmt: skip
            for column, text in enumerate(texts):
                table.setItem(row, column, QTableWidgetItem(text))
            # Keeping both of an annotation and its deletion is keeping it.
            deleted = DELETED in (conflict.ours, conflict.theirs)
            table.setCellWidget(row, _CHOICE, self._choices(row, both=not deleted))
        # Without a base (a two-way merge) the column would stand empty.
        table.setColumnHidden(_BASE, all(c.base is None for c in conflicts))
        table.resizeRowsToContents()
        return table

    def _choices(self, row: int, *, both: bool) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(6, 2, 6, 2)
        group = QButtonGroup(box)
        for number, (_, text) in enumerate(CHOICES):
            button = QRadioButton(text)
            button.setObjectName(f"choice-{row}-{number}")
            button.setEnabled(number < 2 or both)
            group.addButton(button, number)
            column.addWidget(button)
        group.button(0).setChecked(True)  # what the import did already
        self.groups.append(group)
        return box

    def choose(self, row: int, choice: OnConflict) -> None:
        index = [c for c, _ in CHOICES].index(choice)
        self.groups[row].button(index).setChecked(True)

    def choose_all(self, choice: OnConflict) -> None:
        for row, group in enumerate(self.groups):
            if group.button([c for c, _ in CHOICES].index(choice)).isEnabled():
                self.choose(row, choice)

    def choices(self) -> dict[str, OnConflict]:
        """The choice of each conflict, by the uid of its annotation."""
        return {
            conflict.uid: CHOICES[group.checkedId()][0]
            for conflict, group in zip(self.conflicts, self.groups, strict=True)
        }


def _intro(conflicts: list[Conflict]) -> str:
    count = len(conflicts)
    some = f"{count} annotation{'' if count == 1 else 's'}"
    if any(c.base is not None for c in conflicts):
        what = (
            f"{some} {'was' if count == 1 else 'were'} changed on both sides (or changed on one "
            "and deleted on the other) since the bundle was made."
        )
    else:
        what = (
            f"{some} of the file {'is' if count == 1 else 'are'} in the project in another "
            "version; the file does not say which side changed."
        )
    return f"{what} Your versions were kept; choose for each what to keep, then Apply."
