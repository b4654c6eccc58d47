"""Typed reads for the window's views, one module per view's subject: the notes list, the outline
(scenes, characters), the readings and their evidence, the timeline's bulk columns and placed
search hits. The views ask for what they show; only these modules know the tables."""
