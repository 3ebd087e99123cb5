"""LLM providers behind one small protocol, and the structured-output ladder they share."""
