"""Renderers: turn core results into terminal output (rich), Markdown or JSON."""
