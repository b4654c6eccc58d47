"""The names desk gives things in an ELAN file: the linguistic types of its tiers, the fields
their dependent tiers carry, the emotions vocabulary, the length of a moment, and the
constraint stereotypes ELAN defines.
"""

from __future__ import annotations

ESSAY, SCENE, BEAT, NOTE = "desk-essay", "desk-scene", "desk-beat", "desk-note-"
#: The fields carried by dependent tiers (linguistic type ``desk-<key>``), in the order written,
#: with the word that ends the tier's name.
FIELDS = {
    "id": "desk id",
    "number": "paragraph number",
    "kind": "kind",
    "paragraph": "paragraph",
    "created": "created",
    "label": "link label",
    "emotion": "emotion",
    "valence": "valence",
    "intensity": "intensity",
    "description": "description",
}
EMOTIONS_CV = "desk-emotions"
#: The length of the annotation that stands for a moment.
MOMENT_MS = 1
#: The stereotypes ELAN defines, with what each means.
STEREOTYPES = {
    "Time_Subdivision": "Annotations divide the parent's span in time, without gaps.",
    "Symbolic_Subdivision": "Annotations divide the parent's span in equal, ordered parts.",
    "Symbolic_Association": "One annotation per parent annotation, over the same span.",
    "Included_In": "Annotations lie within the parent's span, gaps allowed.",
}
