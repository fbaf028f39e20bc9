"""Screens and modal dialogs of the student UI, one module each, styles in .tcss beside them."""
