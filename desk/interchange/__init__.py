"""Reading and writing the formats other tools use (ELAN, WebVTT, SRT, W3C Web Annotation, CSV)
and desk's own sharing bundle. No Qt."""
