"""The pure engine: wordlists, matching, scoring, findings. No files, no UI, nothing from the layers above."""
