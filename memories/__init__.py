"""The translation memory: storage, file formats and matching. Knows nothing of Flask."""
