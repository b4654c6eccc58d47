"""The beats timeline: film time from the whole film down to single frames, with the scenes,
cuts, links and loudness above one lane of beats per character, and the emotional arc below.

The main window embeds :class:`TimelineWidget` as a dock; everything else here is its parts.
"""

from desk.ui.timeline.widget import TimelineWidget

__all__ = ["TimelineWidget"]
