"""The Textual review app. Import it only where a terminal UI is wanted."""
