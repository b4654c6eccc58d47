"""desk: scene-by-scene film analysis with an essay, notes and beats pinned to exact frames."""

__version__ = "0.1.0"
