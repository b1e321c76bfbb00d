"""sitegen: a static site generator for community blogs, social relays, live events and
campaign microsites. Importing the package loads nothing else (the CLI lives in sitegen.cli)."""

__version__ = "0.1.0"
