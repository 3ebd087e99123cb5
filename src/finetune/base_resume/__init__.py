"""The per-account base resume that every tailoring starts from."""
