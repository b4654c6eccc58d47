"""ELAN files the tests write: small, with every kind of ELAN structure desk keeps."""

from __future__ import annotations

from pathlib import Path

#: Igor's two lines as a linguist annotates them in ELAN: words that subdivide each line, a part
#: of speech per word from a vocabulary in two languages, an English translation (one of them
#: empty), phases that divide the first line in time (one boundary without a time) and a gesture
#: within it; and what desk keeps no place for: a licence, the media file, a header property, an
#: external reference and an annotation that points at it.
STRUCTURED = """<ANNOTATION_DOCUMENT AUTHOR="" DATE="2024-05-01T10:00:00+02:00" FORMAT="3.0"
    VERSION="3.0"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:noNamespaceSchemaLocation="http://www.mpi.nl/tools/elan/EAFv3.0.xsd">
  <LICENSE LICENSE_URL="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</LICENSE>
  <HEADER MEDIA_FILE="" TIME_UNITS="milliseconds">
    <MEDIA_DESCRIPTOR MEDIA_URL="file:///films/anora.mp4" MIME_TYPE="video/mp4"/>
    <PROPERTY NAME="URN">urn:nl-mpi-tools-elan-eaf:1234</PROPERTY>
    <PROPERTY NAME="lastUsedAnnotationId">20</PROPERTY>
  </HEADER>
  <TIME_ORDER>
    <TIME_SLOT TIME_SLOT_ID="ts1" TIME_VALUE="1000"/>
    <TIME_SLOT TIME_SLOT_ID="ts2" TIME_VALUE="2400"/>
    <TIME_SLOT TIME_SLOT_ID="ts3" TIME_VALUE="3000"/>
    <TIME_SLOT TIME_SLOT_ID="ts4" TIME_VALUE="4100"/>
    <TIME_SLOT TIME_SLOT_ID="ts5" TIME_VALUE="1000"/>
    <TIME_SLOT TIME_SLOT_ID="ts6"/>
    <TIME_SLOT TIME_SLOT_ID="ts7" TIME_VALUE="2400"/>
    <TIME_SLOT TIME_SLOT_ID="ts8" TIME_VALUE="1200"/>
    <TIME_SLOT TIME_SLOT_ID="ts9" TIME_VALUE="1900"/>
  </TIME_ORDER>
  <TIER LINGUISTIC_TYPE_REF="utterance" PARTICIPANT="Igor" ANNOTATOR="Lea" LANG_REF="rus"
      TIER_ID="Igor">
    <ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a1" TIME_SLOT_REF1="ts1" TIME_SLOT_REF2="ts2">
      <ANNOTATION_VALUE>Ty v poryadke?</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>
    <ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a2" TIME_SLOT_REF1="ts3" TIME_SLOT_REF2="ts4">
      <ANNOTATION_VALUE>Da.</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>
  </TIER>
  <TIER LINGUISTIC_TYPE_REF="words" PARENT_REF="Igor" PARTICIPANT="Igor" TIER_ID="Igor words">
    <ANNOTATION><REF_ANNOTATION ANNOTATION_ID="a3" ANNOTATION_REF="a1">
      <ANNOTATION_VALUE>ty</ANNOTATION_VALUE></REF_ANNOTATION></ANNOTATION>
    <ANNOTATION><REF_ANNOTATION ANNOTATION_ID="a4" ANNOTATION_REF="a1" PREVIOUS_ANNOTATION="a3">
      <ANNOTATION_VALUE>v</ANNOTATION_VALUE></REF_ANNOTATION></ANNOTATION>
    <ANNOTATION><REF_ANNOTATION ANNOTATION_ID="a5" ANNOTATION_REF="a1" PREVIOUS_ANNOTATION="a4">
      <ANNOTATION_VALUE>poryadke</ANNOTATION_VALUE></REF_ANNOTATION></ANNOTATION>
    <ANNOTATION><REF_ANNOTATION ANNOTATION_ID="a6" ANNOTATION_REF="a2">
      <ANNOTATION_VALUE>da</ANNOTATION_VALUE></REF_ANNOTATION></ANNOTATION>
  </TIER>
  <TIER LINGUISTIC_TYPE_REF="part of speech" PARENT_REF="Igor words" PARTICIPANT="Igor"
      TIER_ID="Igor pos">
    <ANNOTATION><REF_ANNOTATION ANNOTATION_ID="a7" ANNOTATION_REF="a3" CVE_REF="cve-pron">
      <ANNOTATION_VALUE>pronoun</ANNOTATION_VALUE></REF_ANNOTATION></ANNOTATION>
    <ANNOTATION><REF_ANNOTATION ANNOTATION_ID="a8" ANNOTATION_REF="a4" CVE_REF="cve-prep">
      <ANNOTATION_VALUE>preposition</ANNOTATION_VALUE></REF_ANNOTATION></ANNOTATION>
    <ANNOTATION><REF_ANNOTATION ANNOTATION_ID="a9" ANNOTATION_REF="a5" CVE_REF="cve-noun">
      <ANNOTATION_VALUE>noun</ANNOTATION_VALUE></REF_ANNOTATION></ANNOTATION>
  </TIER>
  <TIER LINGUISTIC_TYPE_REF="translation" PARENT_REF="Igor" PARTICIPANT="Igor" LANG_REF="eng"
      TIER_ID="Igor (en)">
    <ANNOTATION><REF_ANNOTATION ANNOTATION_ID="a10" ANNOTATION_REF="a1" EXT_REF="er1">
      <ANNOTATION_VALUE>Are you all right?</ANNOTATION_VALUE></REF_ANNOTATION></ANNOTATION>
    <ANNOTATION><REF_ANNOTATION ANNOTATION_ID="a11" ANNOTATION_REF="a2">
      <ANNOTATION_VALUE></ANNOTATION_VALUE></REF_ANNOTATION></ANNOTATION>
  </TIER>
  <TIER LINGUISTIC_TYPE_REF="phases" PARENT_REF="Igor" TIER_ID="Igor phases">
    <ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a12" TIME_SLOT_REF1="ts5" TIME_SLOT_REF2="ts6">
      <ANNOTATION_VALUE>question</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>
    <ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a13" TIME_SLOT_REF1="ts6" TIME_SLOT_REF2="ts7">
      <ANNOTATION_VALUE>pause</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>
  </TIER>
  <TIER LINGUISTIC_TYPE_REF="gesture" PARENT_REF="Igor" TIER_ID="Igor gesture">
    <ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a14" TIME_SLOT_REF1="ts8" TIME_SLOT_REF2="ts9">
      <ANNOTATION_VALUE>opens his hand</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>
  </TIER>
  <LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="utterance" TIME_ALIGNABLE="true"/>
  <LINGUISTIC_TYPE CONSTRAINTS="Symbolic_Subdivision" GRAPHIC_REFERENCES="false"
      LINGUISTIC_TYPE_ID="words" TIME_ALIGNABLE="false"/>
  <LINGUISTIC_TYPE CONSTRAINTS="Symbolic_Association" CONTROLLED_VOCABULARY_REF="pos"
      GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="part of speech" TIME_ALIGNABLE="false"/>
  <LINGUISTIC_TYPE CONSTRAINTS="Symbolic_Association" GRAPHIC_REFERENCES="false"
      LINGUISTIC_TYPE_ID="translation" TIME_ALIGNABLE="false"/>
  <LINGUISTIC_TYPE CONSTRAINTS="Time_Subdivision" GRAPHIC_REFERENCES="false"
      LINGUISTIC_TYPE_ID="phases" TIME_ALIGNABLE="true"/>
  <LINGUISTIC_TYPE CONSTRAINTS="Included_In" GRAPHIC_REFERENCES="false"
      LINGUISTIC_TYPE_ID="gesture" TIME_ALIGNABLE="true"/>
  <LANGUAGE LANG_DEF="http://cdb.iso.org/lg/CDB-00138502-001" LANG_ID="rus"
      LANG_LABEL="Russian (rus)"/>
  <LANGUAGE LANG_DEF="http://cdb.iso.org/lg/CDB-00138502-002" LANG_ID="eng"
      LANG_LABEL="English (eng)"/>
  <LANGUAGE LANG_ID="nld" LANG_LABEL="Dutch (nld)"/>
  <CONSTRAINT
      DESCRIPTION="Time subdivision of the parent's interval, no gaps"
      STEREOTYPE="Time_Subdivision"/>
  <CONSTRAINT
      DESCRIPTION="Ordered symbolic subdivision of a parent annotation"
      STEREOTYPE="Symbolic_Subdivision"/>
  <CONSTRAINT DESCRIPTION="1-1 association with a parent annotation"
      STEREOTYPE="Symbolic_Association"/>
  <CONSTRAINT
      DESCRIPTION="Within the parent's interval, gaps allowed"
      STEREOTYPE="Included_In"/>
  <CONTROLLED_VOCABULARY CV_ID="pos">
    <DESCRIPTION LANG_REF="eng">Parts of speech</DESCRIPTION>
    <DESCRIPTION LANG_REF="nld">Woordsoorten</DESCRIPTION>
    <CV_ENTRY_ML CVE_ID="cve-noun"><CVE_VALUE DESCRIPTION="a thing"
        LANG_REF="eng">noun</CVE_VALUE><CVE_VALUE
        LANG_REF="nld">zelfstandig naamwoord</CVE_VALUE></CV_ENTRY_ML>
    <CV_ENTRY_ML CVE_ID="cve-pron"><CVE_VALUE LANG_REF="eng">pronoun</CVE_VALUE><CVE_VALUE
        LANG_REF="nld">voornaamwoord</CVE_VALUE></CV_ENTRY_ML>
    <CV_ENTRY_ML CVE_ID="cve-prep"><CVE_VALUE LANG_REF="eng">preposition</CVE_VALUE><CVE_VALUE
        LANG_REF="nld">voorzetsel</CVE_VALUE></CV_ENTRY_ML>
  </CONTROLLED_VOCABULARY>
  <EXTERNAL_REF EXT_REF_ID="er1" TYPE="iso12620" VALUE="http://www.isocat.org/datcat/DC-1345"/>
</ANNOTATION_DOCUMENT>
"""


def write_transcription(
    path: Path, utterances: int = 20_000, speakers: int = 5, per_line: int = 3
) -> int:
    """A transcription of ``speakers`` speakers: ``utterances`` time-aligned lines, a translation
    of each (Symbolic_Association) and ``per_line`` words per line (Symbolic_Subdivision), written
    to ``path``; returns its number of annotations (100,000 by default)."""
    slots, tiers, ann = [], [], 0
    per = utterances // speakers
    for s in range(speakers):
        speaker = f"Speaker {s + 1}"
        lines, translations, words = [], [], []
        for u in range(per):
            start = (u * speakers + s) * 1500
            n = len(slots)
            slots.append(f'<TIME_SLOT TIME_SLOT_ID="ts{n + 1}" TIME_VALUE="{start}"/>')
            slots.append(f'<TIME_SLOT TIME_SLOT_ID="ts{n + 2}" TIME_VALUE="{start + 1200}"/>')
            line = ann = ann + 1
            lines.append(
                f'<ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a{line}" '
                f'TIME_SLOT_REF1="ts{n + 1}" TIME_SLOT_REF2="ts{n + 2}"><ANNOTATION_VALUE>'
                f"line {u} of {speaker}, said slowly</ANNOTATION_VALUE>"
                "</ALIGNABLE_ANNOTATION></ANNOTATION>"
            )
            ann += 1
            translations.append(
                f'<ANNOTATION><REF_ANNOTATION ANNOTATION_ID="a{ann}" ANNOTATION_REF="a{line}">'
                f"<ANNOTATION_VALUE>translation of line {u}</ANNOTATION_VALUE>"
                "</REF_ANNOTATION></ANNOTATION>"
            )
            for w in range(per_line):
                ann += 1
                previous = f' PREVIOUS_ANNOTATION="a{ann - 1}"' if w else ""
                words.append(
                    f'<ANNOTATION><REF_ANNOTATION ANNOTATION_ID="a{ann}" '
                    f'ANNOTATION_REF="a{line}"{previous}><ANNOTATION_VALUE>word{w}'
                    "</ANNOTATION_VALUE></REF_ANNOTATION></ANNOTATION>"
                )
        tiers.append(
            f'<TIER LINGUISTIC_TYPE_REF="utterance" PARTICIPANT="{speaker}" '
            f'TIER_ID="{speaker}">{"".join(lines)}</TIER>'
            f'<TIER LINGUISTIC_TYPE_REF="translation" PARENT_REF="{speaker}" '
            f'TIER_ID="{speaker} (en)">{"".join(translations)}</TIER>'
            f'<TIER LINGUISTIC_TYPE_REF="words" PARENT_REF="{speaker}" '
            f'TIER_ID="{speaker} words">{"".join(words)}</TIER>'
        )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<ANNOTATION_DOCUMENT AUTHOR="" DATE="2024-01-01T00:00:00+00:00" FORMAT="3.0" '
        'VERSION="3.0"><HEADER MEDIA_FILE="" TIME_UNITS="milliseconds"/>'
        f"<TIME_ORDER>{''.join(slots)}</TIME_ORDER>{''.join(tiers)}"
        '<LINGUISTIC_TYPE LINGUISTIC_TYPE_ID="utterance" TIME_ALIGNABLE="true"/>'
        '<LINGUISTIC_TYPE LINGUISTIC_TYPE_ID="translation" CONSTRAINTS="Symbolic_Association" '
        'TIME_ALIGNABLE="false"/>'
        '<LINGUISTIC_TYPE LINGUISTIC_TYPE_ID="words" CONSTRAINTS="Symbolic_Subdivision" '
        'TIME_ALIGNABLE="false"/>'
        '<CONSTRAINT DESCRIPTION="" STEREOTYPE="Symbolic_Association"/>'
        '<CONSTRAINT DESCRIPTION="" STEREOTYPE="Symbolic_Subdivision"/>'
        "</ANNOTATION_DOCUMENT>",
        encoding="utf-8",
    )
    return ann
