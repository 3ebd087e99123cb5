"""API keys: creation, hashing, verification, revocation and the read-only listing."""
