"""UI text by area; each module has a ``DA`` and an ``EN`` dict with the same keys (merged by i18n)."""
