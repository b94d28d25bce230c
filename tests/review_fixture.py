"""A small spun document and wordlist shared by the review, TUI and tmux tests."""

WORDLIST = """\
expectancies -> expectations
helps to keep -> keeps ; noinflect
in opposition to -> against, towards ; choose
our bodies -> ; flag ; reason="a body of people, or a spun 'bodies'?"
spherical -> round ; choose
squaddie -> soldier
would possibly -> may ; noinflect
"""

TEXT = (
    "Russia and Ukraine met for a third spherical of talks in Would possibly. Expectancies were low.\n"
    "The squaddies stood in opposition to the plan, and the captain helps to keep his word.\n"
    "Later the squaddies went home with our bodies tired; talks in Would possibly went on.\n"
)

# the findings WORDLIST produces in TEXT, in document order
SPUN = [
    "spherical",
    "Would possibly",
    "Expectancies",
    "squaddies",
    "in opposition to",
    "helps to keep",
    "squaddies",
    "our bodies",
    "Would possibly",
]
