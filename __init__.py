"""mockc: compile API contracts into standalone mock servers."""

__version__ = "0.1.0"
