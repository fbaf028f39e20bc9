"""The student UI: a Textual app of screens and widgets that calls the engine, never rules."""
