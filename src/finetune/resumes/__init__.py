"""Tailored resumes over HTTP: generate, list, get, render a PDF, delete."""
