"""Frozen SQL of each released schema version."""
