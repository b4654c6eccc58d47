"""Films: probing, the exact-frame server, playback backends, synthetic films and analysis."""
